import { expect, test } from "@playwright/test";
import { AccountMenu, hydrated, orderForPartner, signInAs, signOut } from "../fixtures/pages";

test("a partner follows a to-do count on its home page to the filtered list, and a member reads it in English", async ({ page }) => {
  // A customer asks its partner to pay an order.
  const number = await orderForPartner(page, "1");

  // The partner's home page counts it among the orders waiting for it, and the count leads there.
  await signInAs(page, "provider");
  await page.goto("/center");
  await hydrated(page);
  const todo = page.getByTestId("todo-orders");
  await expect(todo).toContainText("待伙伴代付的订单");
  expect(Number(await todo.getByTestId("todo-count").textContent())).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId("figure-available")).toContainText("可用余额");
  await todo.getByRole("link").click();
  await expect(page).toHaveURL(/\/center\/sales\/orders\?tab=awaiting$/);
  await expect(page.getByTestId(`order-${number}`)).toBeVisible();
  await signOut(page);

  // A finance member sees the same to-do (its role pays orders), in English once it switches.
  await signInAs(page, "provider-finance");
  await page.goto("/center");
  await hydrated(page);
  await new AccountMenu(page).open();
  await new AccountMenu(page).item("English").click();
  await hydrated(page);
  await expect(page.getByTestId("todo-orders")).toContainText("Orders waiting for you to pay");
  await expect(page.getByTestId("figure-available")).toContainText("Available balance (yuan)");
  await expect(page.getByTestId("todo-hos")).toHaveCount(0);
  const menu = new AccountMenu(page);
  await menu.open();
  await menu.item("中文").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
});
