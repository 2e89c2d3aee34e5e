import { expect, test } from "@playwright/test";
import { hydrated, signInAs } from "../fixtures/pages";

test("an operator grants a quota to a partner picked by name and freezes it with a reason", async ({ page }) => {
  await signInAs(page, "operator");
  await page.goto("/operator");
  await page.locator(".console-nav").getByRole("link", { name: "额度管理" }).click();
  await expect(page).toHaveURL(/\/operator\/quotas$/);
  await hydrated(page);
  const grant = page.getByTestId("grant-quota");
  await grant.getByLabel("伙伴").fill("成都初创");
  await grant.getByRole("button", { name: /成都初创科技有限公司/ }).click();
  await grant.getByLabel("额度类型").selectOption("pickup");
  await grant.getByLabel("总额度(元)").fill("1234.00");
  await grant.getByRole("button", { name: "发放", exact: true }).click();
  const granted = grant.getByTestId("quota-granted");
  await expect(granted).toBeVisible();
  const id = (await granted.textContent())!.match(/(\d+)\s*$/)![1];

  const row = page.getByTestId(`quota-${id}`);
  await expect(row).toContainText("成都初创科技有限公司");
  await expect(row).toContainText("1,234.00");
  await expect(row.getByTestId("quota-status")).toHaveText("正常");
  await row.getByLabel("状态").selectOption({ label: "冻结" });
  await row.getByLabel("原因").fill("资质复核中");
  await row.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status").filter({ hasText: "额度状态已更新" })).toBeVisible();
  await expect(page.getByTestId(`quota-${id}`).getByTestId("quota-status")).toHaveText("冻结");
});
