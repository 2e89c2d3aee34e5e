import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { AccountMenu, hydrated, orderForPartner, signInAs } from "../fixtures/pages";

test("a partner searches, sorts and pages its orders by link, and exports exactly the rows it sees", async ({ page }) => {
  // A customer places an order for its partner to pay.
  const number = await orderForPartner(page, "2");

  // The partner finds it by its number: the search lives in the link.
  await signInAs(page, "provider");
  await page.goto("/center/sales/orders?tab=all");
  await hydrated(page);
  await page.getByLabel("关键字").fill(number);
  await page.getByLabel("支付方式").selectOption("partner");
  await page.getByTestId("order-filters").getByRole("button", { name: "查询" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${number}`));
  await expect(page).toHaveURL(/payment=partner/);
  const rows = page.getByTestId("orders").locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId(`order-${number}`)).toContainText("1,160.00");

  // The export holds the same rows (the list's filters ride along), with a byte-order mark.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
  expect(download.suggestedFilename()).toBe("orders.csv");
  const csv = readFileSync(await download.path(), "utf8");
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const lines = csv.trim().split("\n");
  expect(lines[0]).toContain("number,customer,product");
  expect(lines.length).toBe(1 + 1);
  expect(lines[1]).toContain(`${number},`);
  expect(lines[1]).toContain(",1160.00,");
  const [xlsx] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-xlsx").click()]);
  expect(xlsx.suggestedFilename()).toBe("orders.xlsx");
  expect(readFileSync(await xlsx.path()).subarray(0, 2).toString()).toBe("PK");

  // All orders, sorted by amount by the column's heading, twenty to a page; the link says so.
  await page.goto("/center/sales/orders?tab=all");
  await hydrated(page);
  await page.getByTestId("orders").getByRole("link", { name: "金额" }).click();
  await expect(page).toHaveURL(/sort=amount/);
  await expect(page).toHaveURL(/dir=desc/);
  await expect(page.getByTestId("orders").locator("th[aria-sort=descending]")).toContainText("金额");
  const amounts = await page.getByTestId("orders").locator("tbody tr td:nth-child(5)").allTextContents();
  const values = amounts.map((a) => Number(a.replaceAll(",", "")));
  expect(values).toEqual([...values].sort((a, b) => b - a));
  await page.getByTestId("page-sizes").getByRole("link", { name: "20" }).click();
  await expect(page).toHaveURL(/size=20/);
  await expect(page).toHaveURL(/sort=amount/);
  await expect(page.getByTestId("page-sizes").locator("a[aria-current=true]")).toHaveText("20");

  // The same list in English: its filters, its sorted heading, its exports and page sizes.
  const menu = new AccountMenu(page);
  await menu.open();
  await menu.item("English").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.goto("/center/sales/orders?tab=all&sort=amount&dir=desc");
  await hydrated(page);
  await expect(page.getByLabel("Keyword")).toBeVisible();
  await expect(page.getByTestId("orders").locator("th[aria-sort=descending]")).toContainText("Amount (yuan)");
  await expect(page.getByTestId("export-xlsx")).toHaveText("Export Excel");
  await expect(page.getByTestId("page-sizes")).toContainText("Per page");
  await menu.open();
  await menu.item("中文").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
});
