import { expect, test } from "@playwright/test";
import { linkMailedTo } from "../fixtures/mail";
import { hydrated, signInAs, signOut } from "../fixtures/pages";

test("an operator creates an account with a picker, its user changes the password and later resets a forgotten one", async ({ page, baseURL }) => {
  const run = String(Date.now() % 1_000_000_000);
  const login = `west-${run}`;
  const email = `owner-${run}@west.example.com`;

  // 账号管理 → 新建账号: a cloud reseller under a distributor chosen by typing part of its name.
  await signInAs(page, "operator");
  await page.goto("/operator/accounts");
  await hydrated(page);
  const form = page.getByTestId("create-account");
  await form.locator("summary").click();
  await form.getByLabel("角色").selectOption("partner");
  await form.getByLabel("账号名").fill(login);
  await form.getByLabel("所属企业").fill(`西部云科技${run}`);
  await form.getByLabel("伙伴类型").selectOption("reseller");
  await form.getByLabel("总经销商").fill("华南");
  await form.getByRole("button", { name: /华南云总经销有限公司/ }).click();
  await expect(form.getByTestId("picked")).toContainText("华南云总经销有限公司");
  await form.getByRole("button", { name: "创建账号" }).click();
  const temporary = (await form.getByTestId("temporary-password").textContent())!.trim();
  expect(temporary).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/);
  await signOut(page);

  // The new user signs in with it and is sent to change it before anything else.
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("账号名").fill(login);
  await page.getByLabel("密码").fill(temporary);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/account\/password$/);
  await expect(page.getByTestId("must-change")).toBeVisible();
  await page.goto("/center/sales");
  await expect(page).toHaveURL(/\/account\/password$/);
  await hydrated(page);
  const first = `First#${run}`;
  await page.getByLabel("当前密码").fill(temporary);
  await page.getByLabel("新密码", { exact: true }).fill(first);
  await page.getByLabel("确认新密码").fill(first);
  await page.getByRole("button", { name: "确认修改" }).click();
  await expect(page.getByRole("status").first()).toContainText("密码已修改");
  await page.goto("/center");
  await expect(page.getByTestId("account-menu")).toBeVisible();

  // 账号设置: the user's own email, where a reset link goes.
  await page.goto("/account");
  await hydrated(page);
  const profile = page.getByTestId("profile");
  await profile.getByLabel("联系邮箱").first().fill(email);
  await profile.getByRole("button", { name: "保存" }).click();
  await expect(profile.getByRole("status").first()).toContainText("已保存");
  await signOut(page);

  // 忘记密码 from the sign-in page; the mailed link sets a new password once.
  await page.goto("/login");
  await hydrated(page);
  await page.getByTestId("forgot-link").click();
  await expect(page).toHaveURL(/\/login\/forgot$/);
  await hydrated(page);
  await page.getByLabel("账号名").fill(login);
  await page.getByRole("button", { name: "发送重置链接" }).click();
  await expect(page.getByRole("status").first()).toContainText("重置链接已发送");
  const link = await linkMailedTo(baseURL!, email, "/reset-password/");
  await page.goto(link);
  await hydrated(page);
  const second = `Second#${run}`;
  await page.getByLabel("新密码", { exact: true }).fill(second);
  await page.getByLabel("确认新密码").fill(second);
  await page.getByRole("button", { name: "确认修改" }).click();
  await expect(page).toHaveURL(/\/login\?reset=1$/);
  await expect(page.getByRole("status")).toHaveText("密码已重置，请使用新密码登录。");
  await page.getByLabel("账号名").fill(login);
  await page.getByLabel("密码").fill(second);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByTestId("account-menu")).toBeVisible();

  // The link works once.
  await page.goto(link);
  await expect(page.getByRole("alert")).toContainText("该链接已使用");
});
