import { expect, test } from "@playwright/test";
import { hydrated, signInAs } from "../fixtures/pages";

test("an operator opens a partner from 伙伴管理, edits its contacts and funds it with the partner already chosen", async ({ page }) => {
  const run = String(Date.now() % 1_000_000_000);
  await signInAs(page, "operator");
  await page.goto("/operator?q=杭州数智");
  await page.getByTestId("partner-list").getByRole("link", { name: "杭州数智解决方案有限公司" }).click();
  await expect(page).toHaveURL(/\/operator\/partners\/\d+$/);
  await hydrated(page);
  await expect(page.getByTestId("partner-name")).toHaveText("杭州数智解决方案有限公司");
  await expect(page.getByTestId("partner-facts")).toContainText("解决方案提供商");
  // Its members, customers and certificates as the records hold them.
  const members = page.getByTestId("partner-members");
  await expect(members).toContainText("provider-finance");
  await expect(members).toContainText("财务");
  await expect(page.getByTestId("partner-customers")).not.toHaveText("0");

  // Contacts: a bad number is refused in words, a good one saved.
  const contact = page.getByTestId("partner-contact");
  await contact.getByLabel("联系手机").fill("123");
  await contact.getByRole("button", { name: "保存" }).click();
  await expect(contact.getByRole("alert")).toBeVisible();
  const email = `sales-${run}@provider.example.com`;
  await contact.getByLabel("联系邮箱").fill(email);
  await contact.getByLabel("联系手机").fill("13900139000");
  await contact.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status").first()).toContainText("联系方式已保存");
  await expect(page.locator("#pd-email")).toHaveValue(email);
  await expect(page.getByTestId("partner-audit")).toContainText("partner.contact");

  // 运营拨款 on the partner's own page: the partner is already chosen; amount → preview →
  // confirm, and back on the page with the new balance.
  const before = (await page.getByTestId("partner-balance").textContent()) ?? "";
  const actions = page.getByTestId("partner-actions");
  await actions.getByTestId("action-fund").locator("summary").click();
  const funding = actions.getByTestId("operator-funding");
  await expect(funding.getByTestId("picker-fund_partner").getByTestId("picked")).toContainText("杭州数智解决方案有限公司");
  await page.locator("#fund-amount").fill("1.00");
  await funding.getByRole("button", { name: "下一步" }).click();
  await expect(page).toHaveURL(/\/operator\/partners\/\d+\?fund_partner=\d+&fund_amount=1\.00$/);
  const preview = funding.getByTestId("fund-preview");
  await expect(preview).toContainText("杭州数智解决方案有限公司");
  await preview.getByRole("button", { name: "确定" }).click();
  await expect(page).toHaveURL(/\/operator\/partners\/\d+\?funded=/);
  await expect(page.getByTestId("partner-name")).toHaveText("杭州数智解决方案有限公司");
  await expect(page.getByTestId("partner-balance")).not.toHaveText(before);
  const cents = (s: string) => Math.round(Number(s.replace(/,/g, "")) * 100);
  expect(cents((await page.getByTestId("partner-balance").textContent()) ?? "") - cents(before)).toBe(100);
});
