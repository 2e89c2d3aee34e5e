import { expect, test, type Page } from "@playwright/test";
import { fen, hydrated, plain, signInAs, signOut } from "../fixtures/pages";

/** 券管理 of the signed-in partner, on a tab and sub-view. */
async function vouchers(page: Page, tab: "coupon" | "pickup", view = "quotas") {
  await page.goto(`/center/sales/vouchers?tab=${tab}&view=${view}`);
  await hydrated(page);
}

/** The provider's coupon quota from Huawei Cloud (20,000.00 in the demo data) in 券管理. */
function couponQuota(page: Page) {
  return page.getByTestId("quota-table").getByRole("row").filter({ hasText: "20,000.00" });
}

/** As the provider: issues a coupon of `face` yuan ("100.00") to 宁波港航物流有限公司 and reclaims
 * it, for a test that needs a reclaimed coupon or the records of one without counting on another
 * test. */
async function issueAndReclaimCoupon(page: Page, face: string) {
  await vouchers(page, "coupon");
  await couponQuota(page).getByRole("link", { name: "发放代金券" }).click();
  await hydrated(page);
  await page.getByLabel("面值(元)").fill(face);
  await page.getByRole("checkbox", { name: /宁波港航物流有限公司/ }).check();
  await page.getByRole("button", { name: "下一步" }).click();
  const preview = page.getByTestId("issue-preview");
  await expect(preview.getByTestId("preview-total")).toHaveText(face);
  await hydrated(page);
  await preview.getByRole("button", { name: "确定" }).click();
  await expect(page.getByTestId("issued-banner")).toBeVisible();
  // The newest coupon comes first.
  const row = page.getByTestId("coupon-table").getByRole("row").filter({ hasText: "宁波港航物流有限公司" }).first();
  await expect(row.getByTestId("coupon-status")).toHaveText("可使用");
  await row.getByRole("checkbox").check();
  await page.getByRole("button", { name: "回收所选" }).click();
  const confirm = page.getByTestId("reclaim-preview");
  await expect(confirm.getByTestId("reclaim-total")).toHaveText(face);
  await hydrated(page);
  await confirm.getByRole("button", { name: "确定" }).click();
  await expect(page.getByTestId("reclaimed-amount")).toHaveText(face);
}

test("a provider issues a coupon to a resale customer, is refused for a consulting one, and reclaims it", async ({ page }) => {
  await signInAs(page, "provider");
  await page.getByRole("navigation", { name: "伙伴中心" }).getByRole("link", { name: "销售" }).click();
  await page.getByRole("link", { name: "券管理" }).click();
  await expect(page.getByRole("tab", { name: "代金券管理" })).toHaveAttribute("aria-selected", "true");
  const quota = couponQuota(page);
  await expect(quota.getByTestId("quota-status")).toHaveText("正常");
  // Other tests issue coupons from this quota too (a reclaimed coupon does not return to it).
  const left = fen(await quota.getByTestId("quota-balance").textContent());
  await quota.getByRole("link", { name: "发放代金券" }).click();
  await hydrated(page);

  await page.getByLabel("面值(元)").fill("100");
  await page.getByRole("checkbox", { name: /苏州精密制造股份有限公司/ }).check();
  await page.getByRole("button", { name: "下一步" }).click();
  await expect(page.getByRole("alert")).toContainText("只能向代售类客户发放代金券");
  await expect(page.getByRole("alert")).toContainText("CBC.5021");

  await page.getByRole("checkbox", { name: /苏州精密制造股份有限公司/ }).uncheck();
  await page.getByRole("checkbox", { name: /宁波港航物流有限公司/ }).check();
  await page.getByRole("button", { name: "下一步" }).click();
  const preview = page.getByTestId("issue-preview");
  await expect(preview.getByTestId("preview-total")).toHaveText("100.00");
  await expect(preview.getByTestId("preview-quota")).toHaveText(`${plain(left)} → ${plain(left - 10_000)}`);
  await hydrated(page);
  await preview.getByRole("button", { name: "确定" }).click();
  await expect(page.getByTestId("issued-banner")).toBeVisible();
  const row = page.getByTestId("coupon-table").getByRole("row").filter({ hasText: "宁波港航物流有限公司" }).first();
  await expect(row.getByTestId("coupon-status")).toHaveText("可使用");

  await row.getByRole("checkbox").check();
  await page.getByRole("button", { name: "回收所选" }).click();
  const confirm = page.getByTestId("reclaim-preview");
  await expect(confirm.getByRole("heading", { name: "确定回收以下代金券吗?" })).toBeVisible();
  await expect(confirm.getByTestId("reclaim-total")).toHaveText("100.00");
  await hydrated(page);
  await confirm.getByRole("button", { name: "确定" }).click();
  await expect(page.getByTestId("reclaimed-amount")).toHaveText("100.00");
  await page.getByLabel("状态", { exact: true }).selectOption({ label: "已回收" });
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page.getByTestId("coupon-table").getByTestId("coupon-status").first()).toHaveText("已回收");
});

test("every 券管理 tab opens, and pickup vouchers go to whitelisted customers and are reclaimed after confirmation", async ({ page }) => {
  // Huawei Cloud operations grant the pickup whitelist: the operator picks the partner, then
  // one of its resale customers.
  await signInAs(page, "operator");
  await page.goto("/operator/whitelist");
  await hydrated(page);
  const console = page.getByTestId("operator-whitelist");
  await console.getByLabel("伙伴名称").selectOption({ label: "杭州数智解决方案有限公司" });
  await console.getByRole("button", { name: "查询" }).click();
  await hydrated(page);
  await console.getByLabel("客户", { exact: true }).selectOption({ label: "宁波港航物流有限公司" });
  await console.getByTestId("whitelist-add").click();
  await expect(console.getByTestId("wl-customer-resale")).toBeVisible();
  await signOut(page);

  await signInAs(page, "provider");
  // The 操作记录 below show a coupon issued and reclaimed: this test makes its own.
  await issueAndReclaimCoupon(page, "100.00");
  await vouchers(page, "coupon");
  for (const [view, label] of [
    ["view-quotas", "代金券额度"],
    ["view-issued", "已发放代金券"],
    ["view-records", "操作记录"],
  ]) {
    await page.getByTestId(view).click();
    await expect(page.getByTestId(view)).toHaveText(label);
    await expect(page.getByTestId(view)).toHaveClass(/active/);
  }
  await expect(page.getByTestId("record-table")).toContainText("手动回收");
  await expect(page.getByTestId("record-table")).toContainText("发放");
  await expect(page.getByTestId("view-issued-quotas")).toHaveCount(0);

  await page.getByTestId("tab-pickup").click();
  await expect(page.getByRole("tab", { name: "提货券管理" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("quota-table")).toContainText("10,000.00");
  await page.getByTestId("view-uses").click();
  await expect(page.getByText("暂无使用记录")).toBeVisible();
  await page.getByTestId("view-records").click();
  await expect(page.getByText("暂无操作记录")).toBeVisible();

  // The partner reads its whitelist; it cannot change it.
  await page.getByTestId("view-whitelist").click();
  await expect(page.getByTestId("whitelist-granted")).toBeVisible();
  await expect(page.getByTestId("wl-customer-resale")).toBeVisible();
  await expect(page.getByTestId("whitelist-add")).toHaveCount(0);

  await page.getByTestId("view-quotas").click();
  await page.getByTestId("quota-table").getByRole("link", { name: "为客户下发提货券" }).click();
  await hydrated(page);
  await page.getByLabel("面值(元)").fill("66.60");
  await page.getByRole("checkbox", { name: /宁波港航物流有限公司/ }).check();
  await page.getByRole("button", { name: "下一步" }).click();
  await hydrated(page);
  await page.getByTestId("issue-preview").getByRole("button", { name: "确定" }).click();
  await expect(page.getByTestId("issued-banner")).toBeVisible();
  await page.getByTestId("coupon-table").getByRole("checkbox").first().check();
  await page.getByRole("button", { name: "回收所选" }).click();
  await expect(page.getByRole("heading", { name: "确定回收以下提货券吗?" })).toBeVisible();
  await hydrated(page);
  await page.getByTestId("reclaim-preview").getByRole("button", { name: "确定" }).click();
  await expect(page.getByTestId("reclaimed-amount")).toHaveText("66.60");
});

test("a distributor gives its reseller a coupon quota and takes it back", async ({ page }) => {
  await signInAs(page, "distributor");
  await vouchers(page, "coupon", "issued-quotas");
  await expect(page.getByText("暂无已发放的代金券额度")).toBeVisible();
  await page.getByTestId("give-quota").click();
  await hydrated(page);
  await page.getByTestId("reseller-reseller").check();
  await page.getByLabel("每个云经销商的额度(元)").fill("500");
  await page.getByRole("button", { name: "下一步" }).click();
  const preview = page.getByTestId("give-preview");
  await expect(preview.getByTestId("give-quota-after")).toHaveText("50000.00 → 49500.00");
  await hydrated(page);
  await preview.getByRole("button", { name: "确定" }).click();
  await expect(page.getByTestId("given-banner")).toContainText("500.00");
  const row = page.getByTestId("quota-table").getByRole("row").filter({ hasText: "深圳云享经销有限公司" });
  await expect(row.getByTestId("quota-balance")).toHaveText("500.00");

  await row.getByRole("link", { name: "回收" }).click();
  await expect(page.getByTestId("take-total")).toHaveText("500.00");
  await hydrated(page);
  await page.getByTestId("take-preview").getByRole("button", { name: "确定" }).click();
  await expect(page.getByTestId("taken-banner")).toContainText("500.00");
  await expect(page.getByTestId("quota-table").getByRole("row").filter({ hasText: "深圳云享经销有限公司" }).getByTestId("quota-status")).toHaveText("失效");
});

test("a customer sees its linked partner and its coupons", async ({ page }) => {
  // The provider gives the customer a coupon and takes it back, so the customer has one.
  await signInAs(page, "provider");
  await issueAndReclaimCoupon(page, "100.00");
  await signOut(page);

  await signInAs(page, "customer-resale");
  await page.goto("/customer");
  await expect(page.getByTestId("partner-name")).toHaveText("杭州数智解决方案有限公司");
  await expect(page.getByTestId("partner-mode")).toHaveText("代售");
  await expect(page.getByTestId("resale-notice")).toContainText("不支持自行充值");
  await expect(page.getByTestId("contract-offline")).toContainText("线下");
  await page.getByTestId("my-coupons").click();
  await expect(page.getByRole("heading", { name: "我的优惠券" })).toBeVisible();
  const coupons = page.getByTestId("coupon-table").first();
  await expect(coupons).toContainText("100.00");
  await expect(coupons.getByTestId("coupon-status").first()).toHaveText("已回收");
});

test("a partner invites by offline link and a new customer accepts it", async ({ page }) => {
  await signInAs(page, "provider");
  await page.goto("/center/sales/customers");
  await page.getByTestId("invite-customers").click();
  await hydrated(page);
  await page.getByLabel("线下链接（30天有效）").check();
  await page.getByLabel("标签（可选）").fill("展会");
  await page.getByRole("button", { name: "发送邀请" }).click();
  await expect(page.getByTestId("invite-created")).toBeVisible();
  const link = await page.getByTestId("invite-link").first().inputValue();
  expect(link).toContain("/invite/");
  await signOut(page);

  await signInAs(page, "customer-new");
  await page.goto(new URL(link).pathname);
  await expect(page.getByTestId("invite-partner")).toHaveText("杭州数智解决方案有限公司");
  await hydrated(page);
  await page.getByTestId("invite-accept").click();
  await expect(page.getByTestId("partner-name")).toHaveText("杭州数智解决方案有限公司");
  await expect(page.getByTestId("partner-mode")).toHaveText("代售");
});
