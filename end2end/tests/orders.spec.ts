import { expect, test, type Page } from "@playwright/test";
import { hydrated, signInAs, signOut } from "../fixtures/pages";

async function placeOrder(page: Page, product: string, payment: "自行支付" | "伙伴代付"): Promise<string> {
  await page.goto("/customer/orders/new");
  await hydrated(page);
  await page.getByLabel("产品").selectOption({ label: product });
  await page.getByLabel("数量(月)").fill("1");
  await page.getByLabel(payment).check();
  await page.getByRole("button", { name: "提交订单" }).click();
  await expect(page.getByRole("status")).toContainText("订单已提交");
  const row = page.getByTestId("orders").getByRole("row").nth(1);
  return ((await row.locator("code").textContent()) ?? "").trim();
}

test("a customer asks its partner to pay, the partner pays, the customer sees it paid", async ({ page }) => {
  await signInAs(page, "customer-resale");
  const number = await placeOrder(page, "云数据库 RDS for MySQL 2核4G · 580.00 元/月", "伙伴代付");
  expect(number).toMatch(/^CS\d{12}\d{6}$/);
  await expect(page.getByTestId(`order-${number}`)).toContainText("待伙伴支付");
  await signOut(page);

  await signInAs(page, "provider");
  await expect(page.getByTestId("unread-messages")).toContainText("未读消息");
  await page.goto("/center/sales");
  await page.getByRole("link", { name: "客户订单" }).click();
  const row = page.getByTestId(`order-${number}`);
  await expect(row).toContainText("宁波港航物流有限公司");
  await row.getByRole("link", { name: "支付" }).click();
  const confirm = page.getByTestId("order-confirm");
  await expect(confirm.getByRole("heading", { name: "确定为客户支付该订单吗?" })).toBeVisible();
  await expect(confirm.getByTestId("confirm-amount")).toHaveText("580.00");
  await hydrated(page);
  await confirm.getByRole("button", { name: "确定" }).click();
  await expect(page.getByRole("status")).toContainText(number);
  await expect(page.getByTestId(`order-${number}`)).toContainText("已支付");
  await signOut(page);

  await signInAs(page, "customer-resale");
  await page.goto("/customer/orders?tab=paid");
  await expect(page.getByTestId(`order-${number}`)).toContainText("伙伴代付");
  await expect(page.getByTestId(`order-${number}`)).toContainText("已支付");
});

test("a customer cancels an unpaid order from 我的订单 > 待支付", async ({ page }) => {
  await signInAs(page, "customer-resale");
  const number = await placeOrder(page, "CDN 流量包 1TB · 126.00 元/月", "自行支付");
  await page.goto("/customer/orders");
  await page.getByRole("tab", { name: "待支付" }).click();
  const row = page.getByTestId(`order-${number}`);
  await expect(row).toContainText("待支付");
  await row.getByRole("link", { name: "取消订单" }).click();
  await expect(page.getByRole("heading", { name: "确定取消该订单吗?" })).toBeVisible();
  await hydrated(page);
  await page.getByRole("button", { name: "确定" }).click();
  await expect(page.getByRole("status")).toContainText(number);
  await page.getByRole("tab", { name: "已取消" }).click();
  await expect(page.getByTestId(`order-${number}`)).toContainText("已取消");
  await page.getByRole("tab", { name: "待支付" }).click();
  await expect(page.getByTestId(`order-${number}`)).toHaveCount(0);
});
