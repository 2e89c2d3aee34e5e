import { expect, test } from "@playwright/test";
import { linkMailedTo } from "../fixtures/mail";
import { DEMO_PASSWORD, hydrated, signInAs, signOut } from "../fixtures/pages";

/** A unified social credit code with its check character (GB 32100-2015) from 17 characters. */
function uscc(first17: string): string {
  const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...first17].reduce((s, c, i) => s + chars.indexOf(c) * weights[i], 0);
  return first17 + chars[(31 - (sum % 31)) % 31];
}

test("a company registers, confirms its email, is approved by an operator and selects a path", async ({ page, baseURL }) => {
  // A code and names of this run, so the spec can run again on the same database.
  const run = String(Date.now() % 1_000_000_000).padStart(9, "0");
  const code = uscc(`91330100${run}`);
  const login = `join-${run}`;
  const email = `admin-${run}@join.example.com`;
  const company = `杭州启航云科技有限公司${run}`;

  await page.goto("/");
  await page.getByTestId("join-link").click();
  await expect(page).toHaveURL(/\/join$/);
  await hydrated(page);
  const form = page.getByTestId("join");
  await form.getByLabel("账号名").fill(login);
  await form.getByLabel("密码").fill(DEMO_PASSWORD);
  await form.getByLabel("企业名称").fill(company);
  // A wrong check character is named as such, and nothing is created.
  await form.getByLabel("统一社会信用代码").fill(code.slice(0, 17) + (code.endsWith("0") ? "1" : "0"));
  await form.getByLabel("注册地址").fill("浙江省杭州市西湖区文三路 1 号");
  await form.getByLabel("联系人").fill("陈工");
  await form.getByLabel("联系邮箱").fill(email);
  await form.getByLabel("联系手机").fill("13900139000");
  await form.getByRole("button", { name: "注册并提交" }).click();
  await expect(form.getByRole("alert")).toContainText("统一社会信用代码校验位错误");
  await form.getByLabel("统一社会信用代码").fill(code);
  await form.getByRole("button", { name: "注册并提交" }).click();

  // Signed in; the home page says the email is to be confirmed.
  await expect(page).toHaveURL(/\/center$/);
  await expect(page.getByTestId("onboarding-state")).toHaveText("待确认邮箱");

  // The link from the mail, opened signed out as from a mail client.
  const link = await linkMailedTo(baseURL!, email, "/join/confirm/");
  await signOut(page);
  await page.goto(link);
  await hydrated(page);
  await page.getByRole("button", { name: "确认邮箱" }).click();
  await expect(page.getByRole("status")).toHaveText("邮箱已确认，入驻申请已提交审核。");

  // The operator approves it in 入驻审核.
  await signInAs(page, "operator");
  await page.goto("/operator");
  await page.locator(".console-nav").getByRole("link", { name: "入驻审核" }).click();
  await hydrated(page);
  const row = page.getByTestId(`onboarding-${code}`);
  await expect(row).toContainText(company);
  await expect(row).toContainText("待审核");
  await row.getByRole("button", { name: "通过" }).click();
  await expect(page.getByRole("status")).toContainText("已通过");
  await expect(page.getByTestId(`onboarding-${code}`)).toHaveCount(0);
  await signOut(page);

  // The partner is onboarded and selects a development path.
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("账号名").fill(login);
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByTestId("partner-profile")).toContainText("已完成HCPN入驻");
  await expect(page.getByTestId("onboarding")).toHaveCount(0);
  await page.goto("/center/paths/explore");
  await hydrated(page);
  await page.getByTestId("path-software").getByRole("button", { name: "选择该路径" }).click();
  await expect(page.getByTestId("select-result")).toHaveText("已加入该发展路径。");
  await page.goto("/messages");
  await expect(page.getByTestId("messages").getByRole("listitem").filter({ hasText: "HCPN入驻申请已通过" })).toHaveCount(1);
});
