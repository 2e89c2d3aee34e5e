import { expect, test } from "@playwright/test";
import { hydrated, signInAs, signOut } from "../fixtures/pages";

test("funding above 100 000.00 waits for a second operator, who approves it", async ({ page }) => {
  // The maker picks the partner by typing part of its name and previews the funding.
  await signInAs(page, "operator");
  await page.goto("/operator");
  await page.locator(".console-nav").getByRole("link", { name: "资金管理" }).click();
  await expect(page).toHaveURL(/\/operator\/funding$/);
  await hydrated(page);
  const funding = page.getByTestId("operator-funding");
  await funding.locator("#fund-partner").fill("杭州数智");
  await funding.getByRole("button", { name: /杭州数智解决方案有限公司/ }).click();
  await expect(funding.getByTestId("picked")).toContainText("杭州数智解决方案有限公司");
  await funding.locator("#fund-amount").fill("150000.00");
  await funding.getByRole("button", { name: "下一步" }).click();
  const preview = page.getByTestId("fund-preview");
  await expect(preview.getByTestId("needs-approval")).toBeVisible();
  await preview.getByRole("button", { name: "提交审批" }).click();
  await expect(page.getByTestId("fund-requested")).toBeVisible();
  const request = new URL(page.url()).searchParams.get("requested");
  expect(request).toMatch(/^\d+$/);
  // The maker may withdraw its request, never approve it.
  const mine = page.getByTestId(`funding-request-${request}`);
  await expect(mine).toContainText("150,000.00");
  await expect(mine).toContainText("等待其他运营审批");
  await expect(mine.getByRole("button", { name: "审批通过" })).toHaveCount(0);
  await signOut(page);

  // The checker approves it: the money moves.
  await signInAs(page, "operator2");
  await page.goto("/operator/funding?state=pending");
  await hydrated(page);
  const row = page.getByTestId(`funding-request-${request}`);
  await expect(row).toContainText("待审批");
  await row.getByRole("button", { name: "审批通过" }).click();
  await expect(page.getByRole("status").filter({ hasText: "已审批，资金已入账。" })).toBeVisible();
  await page.goto("/operator/funding?state=approved");
  await expect(page.getByTestId(`funding-request-${request}`)).toContainText("operator2");
});
