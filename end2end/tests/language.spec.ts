import { expect, test } from "@playwright/test";
import { AccountMenu, hydrated, LoginPage } from "../fixtures/pages";

test("the language switch turns the console into English and back", async ({ page }) => {
  const login = new LoginPage(page);
  await login.goto();
  await login.login("operator");
  await expect(page).toHaveURL(/\/operator$/);
  await expect(page.getByRole("heading", { name: "华为云运营" })).toBeVisible();

  await new AccountMenu(page).open();
  await new AccountMenu(page).item("English").click();
  await hydrated(page);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { name: "Huawei Cloud Operations" })).toBeVisible();
  // (The partner list: the workbench above it counts partners by kind too.)
  await expect(page.getByTestId("partner-list").getByRole("cell", { name: "Distributor (tier-1)" })).toBeVisible();

  const menu = new AccountMenu(page);
  await menu.open();
  await expect(menu.item("Message Center")).toBeVisible();
  await expect(page.getByRole("button", { name: "Log Out" })).toBeVisible();
  await menu.item("中文").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { name: "华为云运营" })).toBeVisible();
});
