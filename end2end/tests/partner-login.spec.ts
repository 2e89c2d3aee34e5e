import { expect, test } from "@playwright/test";
import { AccountMenu, hydrated, LoginPage } from "../fixtures/pages";

test("a partner logs in through the form and opens 伙伴中心 from the account drop-down", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("link", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/login$/);

  const login = new LoginPage(page);
  await hydrated(page);
  await login.login("provider");
  await expect(page).toHaveURL(/\/center$/);

  const menu = new AccountMenu(page);
  await menu.open();
  for (const label of ["伙伴中心", "消息中心", "中文", "English"]) {
    await expect(menu.item(label)).toBeVisible();
  }
  await expect(page.getByRole("button", { name: "退出" })).toBeVisible();
  await menu.item("伙伴中心").click();

  const nav = page.getByRole("navigation", { name: "伙伴中心" });
  for (const label of ["主页", "销售", "计划", "能力", "组织"]) {
    await expect(nav.getByRole("link", { name: label })).toBeVisible();
  }
  await expect(page.getByRole("heading", { name: "主页" })).toBeVisible();
  await expect(page.getByTestId("partner-profile")).toContainText("杭州数智解决方案有限公司");

  // 销售 opens on its overview (#19: figures and charts instead of an empty state).
  await nav.getByRole("link", { name: "销售" }).click();
  await expect(page.getByRole("heading", { name: "销售" })).toBeVisible();
  await expect(page.getByTestId("workbench-figures")).toContainText("可用余额");
  const flows = page.getByTestId("chart-flows");
  await expect(flows).toContainText("近12个月拨款与回收");
  // 12 months, two series each: 24 bars, drawn on the server.
  await expect(flows.locator("rect")).toHaveCount(24);
  await expect(page.getByTestId("chart-balance").locator("rect")).toHaveCount(90);
});

test("a wrong password shows a clear message and keeps the user on the login page", async ({ page }) => {
  const login = new LoginPage(page);
  await login.goto();
  await login.login("provider", "wrong-password-1");
  await expect(page.getByRole("alert")).toHaveText("账号名或密码错误。");
  await expect(page).toHaveURL(/\/login/);
});

test("logging out from the drop-down returns to the landing page", async ({ page }) => {
  const login = new LoginPage(page);
  await login.goto();
  await login.login("distributor");
  await expect(page).toHaveURL(/\/center$/);
  await new AccountMenu(page).open();
  await page.getByRole("button", { name: "退出" }).click();
  await expect(page.getByRole("link", { name: "登录" })).toBeVisible();
  await page.goto("/center");
  await expect(page).toHaveURL(/\/login\?next=(%2F|\/)center$/);
});
