import { expect, test } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { hydrated, signInAs, signOut } from "../fixtures/pages";

test("a partner applies for a plan, the operator approves, the partner downloads and verifies the certificate", async ({ page }) => {
  await signInAs(page, "provider");
  await page.getByRole("navigation", { name: "伙伴中心" }).getByRole("link", { name: "计划" }).click();
  await expect(page.getByRole("heading", { name: "伙伴计划简介" })).toBeVisible();
  // A plan for another kind of partner says so instead of offering the form.
  await expect(page.getByTestId("plan-distribution-tier1")).toContainText("该计划仅面向总经销商");

  const plan = page.getByTestId("plan-capability");
  await plan.getByRole("link", { name: "申请加入" }).click();
  await hydrated(page);
  await page.getByLabel("联系人").fill("王磊");
  await page.getByLabel("联系电话").fill("138 0000 1234");
  await page.getByLabel("申请说明").fill("希望与华为云共享商机。");
  await page.getByRole("button", { name: "提交申请" }).click();
  await expect(page.getByRole("status")).toContainText("申请已提交");
  await expect(page.getByTestId("applications").getByRole("row", { name: /合作伙伴能力计划/ })).toContainText("审核中");
  await signOut(page);

  await signInAs(page, "operator");
  await page.goto("/operator/plans");
  const row = page.getByRole("row").filter({ hasText: "杭州数智解决方案有限公司" }).filter({ hasText: "合作伙伴能力计划" });
  await hydrated(page);
  await row.getByRole("button", { name: "通过" }).click();
  await expect(page.getByRole("status")).toContainText("已通过，证书编号");
  await signOut(page);

  await signInAs(page, "provider");
  await page.goto("/center/plans");
  await page.getByRole("navigation", { name: "华为云伙伴计划" }).getByRole("link", { name: "已加入伙伴计划" }).click();
  const joined = page.getByTestId("joined-capability");
  await expect(joined).toContainText("有效");
  const number = (await joined.locator("code").textContent())?.trim() ?? "";
  expect(number).toMatch(/^PC\d{4}-[0-9A-Z]{10}$/);

  const downloading = page.waitForEvent("download");
  await joined.getByRole("link", { name: "下载证书" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`certificate-${number}.pdf`);
  const pdf = await readFile(await download.path());
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");

  await joined.getByRole("link", { name: "验证" }).click();
  await expect(page).toHaveURL(new RegExp(`/verify/${number}$`));
  const result = page.getByTestId("verify-result");
  await expect(result).toHaveAttribute("data-state", "valid");
  await expect(result).toContainText("有效");
  await expect(page.getByTestId("verify-holder")).toHaveText("杭州数智解决方案有限公司");
});

test("anyone can check a certificate number on the public verification page", async ({ page }) => {
  await page.goto("/verify");
  await page.getByLabel("证书编号").fill("PC2026-0000000000");
  await page.getByRole("button", { name: "验证" }).click();
  await expect(page.getByTestId("verify-not-found")).toContainText("未找到该证书编号");
});
