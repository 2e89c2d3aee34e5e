import { expect, test } from "@playwright/test";
import { AccountMenu, fen, hydrated, LoginPage, yuan } from "../fixtures/pages";

/** 拨款 or 回收 from a management list row, through the confirmation step; returns the
 * transaction id the done banner shows. */
async function adjust(page: import("@playwright/test").Page, login: string, action: "拨款" | "回收", amount: string) {
  await page.getByTestId(`party-${login}`).getByRole("link", { name: action }).click();
  await page.getByLabel("金额(元)").fill(amount);
  await page.getByRole("button", { name: "下一步" }).click();
  const preview = page.getByTestId("adjust-preview");
  await expect(preview.getByRole("heading", { name: "是否确定调整" })).toBeVisible();
  await expect(preview.getByTestId("preview-amount")).toHaveText(Number(amount).toFixed(2));
  await hydrated(page);
  await preview.getByRole("button", { name: "确定" }).click();
  await expect(page.getByRole("status")).toContainText("调整成功");
  const done = (await page.getByRole("status").textContent()) ?? "";
  const id = /交易号：\s*(\S+)/.exec(done)?.[1];
  expect(id, done).toBeTruthy();
  return id!;
}

test("a distributor allocates to its reseller, reclaims part, and sees both in 调账记录", async ({ page }) => {
  await new LoginPage(page).goto();
  await new LoginPage(page).login("distributor");
  await expect(page.getByTestId("account-menu")).toBeVisible();
  // The API Explorer spec moves money between the same two partners: the balances are read
  // first and the changes asserted, and the records are found by their transaction ids.
  await page.goto("/center/sales/funds");
  const balance = fen(await page.getByTestId("balance").textContent());
  await page.getByRole("navigation", { name: "伙伴中心" }).getByRole("link", { name: "销售" }).click();
  await page.getByRole("link", { name: "云经销商管理" }).click();
  await expect(page.getByRole("tab", { name: "我的云经销商" })).toBeVisible();
  const row = page.getByTestId("party-reseller");
  await expect(row).toContainText("深圳云享经销有限公司");
  const held = fen(await row.locator("td.num").textContent());

  const allocated = await adjust(page, "reseller", "拨款", "1000");
  await expect(page.getByTestId("party-reseller")).toContainText(yuan(held + 100_000));
  const reclaimed = await adjust(page, "reseller", "回收", "300.5");
  await expect(page.getByTestId("party-reseller")).toContainText(yuan(held + 69_950));

  await page.getByRole("link", { name: "资金管理" }).click();
  await expect(page.getByTestId("balance")).toHaveText(yuan(balance - 69_950));
  const records = page.getByTestId("records");
  await expect(records.getByRole("row").filter({ hasText: "BEADJUST" }).filter({ hasText: allocated })).toContainText("-1,000.00");
  await expect(records.getByRole("row").filter({ hasText: "BERETRIEVE" }).filter({ hasText: reclaimed })).toContainText("+300.50");
  await page.getByLabel("操作类型").selectOption("BERETRIEVE");
  await page.getByRole("button", { name: "查询" }).click();
  await expect(records.getByRole("row").filter({ hasText: "BEADJUST" })).toHaveCount(0);
});

test("a partner funds a resale customer, who then sees the new balance and the no-top-up notice", async ({ page }) => {
  await new LoginPage(page).goto();
  await new LoginPage(page).login("provider");
  await expect(page).toHaveURL(/\/center$/);
  await page.goto("/center/sales/customers");
  await expect(page.getByTestId("party-customer-consult")).toContainText("不支持拨款/回收");
  await adjust(page, "customer-resale", "拨款", "88.88");
  await expect(page.getByTestId("party-customer-resale")).toContainText("88.88");

  await new AccountMenu(page).open();
  await page.getByRole("button", { name: "退出" }).click();
  await expect(page.getByRole("link", { name: "登录" })).toBeVisible();

  await new LoginPage(page).goto();
  await new LoginPage(page).login("customer-resale");
  await page.getByRole("link", { name: "费用中心 · 账户余额" }).click();
  await expect(page.getByTestId("customer-balance")).toHaveText("88.88");
  await expect(page.getByTestId("no-top-up")).toContainText("不支持自行充值");
  await expect(page.getByTestId("no-top-up").getByRole("link", { name: "杭州数智解决方案有限公司" })).toBeVisible();
});
