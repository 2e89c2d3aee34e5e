import { expect, test } from "@playwright/test";
import { fen, hydrated, signInAs, signOut, yuan } from "../fixtures/pages";

test("an operator creates a customer for a partner with pickers only, grants the partner a quota on its page, and the partner issues a coupon to that customer from it", async ({ page }) => {
  const run = String(Date.now() % 1_000_000_000);
  const customer = `鲲鹏材料${run}有限公司`;
  // A quota amount no other test uses, to find its row.
  const amount = `${3000 + (Number(run) % 5000)}.37`;
  // As tables show it: `3,123.37`.
  const shown = yuan(fen(amount));

  // 账号管理 → 新建账号: a resale customer of 杭州数智, the partner chosen by typing part of its name.
  await signInAs(page, "operator");
  await page.goto("/operator/accounts");
  await hydrated(page);
  const form = page.getByTestId("create-account");
  await form.locator("summary").click();
  await form.getByLabel("角色").selectOption("customer");
  await form.getByLabel("账号名").fill(`kunpeng-${run}`);
  await form.getByLabel("所属企业").fill(customer);
  await form.getByLabel("所属伙伴").fill("杭州数智");
  await form.getByRole("button", { name: /杭州数智解决方案有限公司/ }).click();
  await expect(form.getByTestId("picked")).toContainText("杭州数智解决方案有限公司");
  await form.getByLabel("关联模式").selectOption("resale");
  await form.getByRole("button", { name: "创建账号" }).click();
  await expect(form.getByTestId("temporary-password")).toBeVisible();

  // 伙伴管理 → the partner's page: 发放额度 with the partner already chosen (no picker to use).
  await page.goto("/operator?q=杭州数智");
  await page.getByTestId("partner-list").getByRole("link", { name: "杭州数智解决方案有限公司" }).click();
  await expect(page).toHaveURL(/\/operator\/partners\/\d+$/);
  await hydrated(page);
  const actions = page.getByTestId("partner-actions");
  await actions.getByTestId("action-quota").locator("summary").click();
  const grant = actions.getByTestId("grant-quota");
  await expect(grant.getByTestId("picked")).toContainText("杭州数智解决方案有限公司");
  await grant.getByLabel("额度类型").selectOption("coupon");
  await grant.getByLabel("总额度(元)").fill(amount);
  await grant.getByRole("button", { name: "发放", exact: true }).click();
  await expect(grant.getByTestId("quota-granted")).toBeVisible();
  // The page's quota table has it at once.
  await expect(page.getByTestId("partner-quotas")).toContainText(shown);
  await signOut(page);

  // The partner issues a coupon from that quota to the new customer.
  await signInAs(page, "provider");
  await page.goto("/center/sales/vouchers?tab=coupon&view=quotas");
  await hydrated(page);
  const quota = page.getByTestId("quota-table").getByRole("row").filter({ hasText: shown });
  await expect(quota.getByTestId("quota-status")).toHaveText("正常");
  await quota.getByRole("link", { name: "发放代金券" }).click();
  await hydrated(page);
  await page.getByLabel("面值(元)").fill("50");
  await page.getByRole("checkbox", { name: new RegExp(customer) }).check();
  await page.getByRole("button", { name: "下一步" }).click();
  const preview = page.getByTestId("issue-preview");
  await expect(preview.getByTestId("preview-total")).toHaveText("50.00");
  await preview.getByRole("button", { name: "确定" }).click();
  await expect(page.getByTestId("issued-banner")).toBeVisible();
  const row = page.getByTestId("coupon-table").getByRole("row").filter({ hasText: customer }).first();
  await expect(row.getByTestId("coupon-status")).toHaveText("可使用");
});
