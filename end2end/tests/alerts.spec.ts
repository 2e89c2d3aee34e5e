import { expect, test } from "@playwright/test";
import { fen, hydrated, plain, signInAs, yuan } from "../fixtures/pages";

/** 拨款 or 回收 of `amount` yuan to a customer of the list, through the confirmation step. */
async function adjust(page: import("@playwright/test").Page, login: string, action: "拨款" | "回收", amount: string) {
  await page.goto("/center/sales/customers");
  await page.getByTestId(`party-${login}`).getByRole("link", { name: action }).click();
  await page.getByLabel("金额(元)").fill(amount);
  await page.getByRole("button", { name: "下一步" }).click();
  await hydrated(page);
  await page.getByTestId("adjust-preview").getByRole("button", { name: "确定" }).click();
  await expect(page.getByRole("status")).toContainText("调整成功");
}

test("a partner sets a low-balance alert, an allocation crosses it, and the notice is in 消息中心", async ({ page }) => {
  await signInAs(page, "provider");
  await page.goto("/center/sales/funds");
  await hydrated(page);
  const available = fen(await page.getByTestId("available").textContent());
  const alert = page.getByTestId("low-balance");
  await expect(alert.getByTestId("low-balance-state")).toHaveText("未设置余额预警");
  // 5.00 yuan under the available balance: not below yet.
  const threshold = plain(available - 500);
  await alert.getByLabel("预警值（元）").fill(threshold);
  await alert.getByRole("button", { name: "保存" }).click();
  await expect(alert.getByTestId("low-balance-state")).toHaveText(`可用余额低于 ${threshold} 元时通知我`);
  await expect(alert.getByTestId("low-balance-below")).toHaveCount(0);

  await adjust(page, "customer-resale", "拨款", "10");
  await page.goto("/messages");
  const notice = page.getByTestId("messages").getByRole("listitem").filter({ hasText: "可用余额低于预警值" });
  await expect(notice).toHaveCount(1);
  await expect(notice).toContainText(plain(available - 1000));

  // Back as it was: the money returns, the alert is turned off.
  await adjust(page, "customer-resale", "回收", "10");
  await page.goto("/center/sales/funds");
  await hydrated(page);
  await expect(page.getByTestId("available")).toHaveText(yuan(available));
  await alert.getByRole("button", { name: "关闭预警" }).click();
  await expect(alert.getByTestId("low-balance-state")).toHaveText("未设置余额预警");
});

test("a user turns email off for order notices, and the choice stays after a reload", async ({ page }) => {
  await signInAs(page, "provider");
  await page.goto("/messages");
  await hydrated(page);
  const row = page.getByTestId("notification-prefs").getByTestId("pref-order");
  const email = row.getByRole("checkbox", { name: "邮件" });
  await expect(email).toBeChecked();
  await email.uncheck();
  await row.getByRole("button", { name: "保存" }).click();
  await expect(page.getByTestId("notification-prefs").getByRole("status")).toHaveText("通知设置已保存");
  await page.reload();
  await hydrated(page);
  await expect(row.getByRole("checkbox", { name: "邮件" })).not.toBeChecked();
  await expect(row.getByRole("checkbox", { name: "短信" })).toBeChecked();
  // Back as it was for the other specs.
  await row.getByRole("checkbox", { name: "邮件" }).check();
  await row.getByRole("button", { name: "保存" }).click();
  await expect(page.getByTestId("notification-prefs").getByRole("status")).toHaveText("通知设置已保存");
  await page.reload();
  await hydrated(page);
  await expect(row.getByRole("checkbox", { name: "邮件" })).toBeChecked();
});

test("a customer chooses its own channels: SMS for funds notices is off until it turns it on", async ({ page }) => {
  await signInAs(page, "customer-new");
  await page.goto("/messages");
  await hydrated(page);
  const prefs = page.getByTestId("notification-prefs");
  // A customer is reached at the address and number of its own account settings.
  await expect(prefs.getByRole("link", { name: "账号设置" })).toHaveAttribute("href", "/account");
  const row = prefs.getByTestId("pref-funds");
  const sms = row.getByRole("checkbox", { name: "短信" });
  await expect(sms).not.toBeChecked();
  await expect(prefs.getByTestId("pref-order").getByRole("checkbox", { name: "短信" })).toBeChecked();
  await sms.check();
  await row.getByRole("button", { name: "保存" }).click();
  await expect(prefs.getByRole("status")).toHaveText("通知设置已保存");
  await page.reload();
  await hydrated(page);
  await expect(row.getByRole("checkbox", { name: "短信" })).toBeChecked();
  await expect(row.getByRole("checkbox", { name: "邮件" })).toBeChecked();
  // Back as it was for the other specs.
  await row.getByRole("checkbox", { name: "短信" }).uncheck();
  await row.getByRole("button", { name: "保存" }).click();
  await expect(prefs.getByRole("status")).toHaveText("通知设置已保存");
});
