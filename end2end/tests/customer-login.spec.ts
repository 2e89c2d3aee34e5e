import { expect, test } from "@playwright/test";
import { AccountMenu, LoginPage } from "../fixtures/pages";

test("a customer logs in, has no partner center, and sees its linked partner", async ({ page }) => {
  const login = new LoginPage(page);
  await login.goto();
  await login.login("customer-resale");
  await expect(page).toHaveURL(/\/customer$/);
  await expect(page.getByTestId("linked-partner")).toContainText("杭州数智解决方案有限公司");
  await expect(page.getByTestId("linked-partner")).toContainText("代售");

  const menu = new AccountMenu(page);
  await menu.open();
  await expect(menu.item("我的合作伙伴")).toBeVisible();
  await expect(menu.item("伙伴中心")).toHaveCount(0);

  const res = await page.goto("/center");
  expect(res?.status()).toBe(403);
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.getByTestId("partner-profile")).toHaveCount(0);
});
