import { expect, test, type Page } from "@playwright/test";
import { linkMailedTo } from "../fixtures/mail";
import { hydrated, LoginPage, signInAs, signOut } from "../fixtures/pages";

/** The partner center's top menu as the signed-in member sees it. */
async function centerMenu(page: Page): Promise<string[]> {
  await page.goto("/center");
  return (await page.locator(".center-nav a").allTextContents()).map((t) => t.trim());
}

test("an administrator invites a finance colleague, who sees only its menus until its role changes and it is removed", async ({ browser, page, baseURL }) => {
  const run = String(Date.now() % 1_000_000_000);
  const login = `fin-${run}`;
  const email = `fin-${run}@provider.example.com`;

  // 成员管理: the provider's administrator invites a colleague as 财务.
  await signInAs(page, "provider");
  await page.goto("/center/members");
  await hydrated(page);
  await expect(page.getByTestId("member-provider")).toContainText("管理员");
  await page.locator("#mb-login").fill(login);
  await page.locator("#mb-email").fill(email);
  await page.locator("#mb-role").selectOption("finance");
  await page.getByRole("button", { name: "发送邀请" }).click();
  await expect(page.getByRole("status").first()).toContainText("邀请已发送");
  await expect(page.getByTestId(`member-${login}`)).toContainText("待接受");

  // The colleague follows the mailed link and chooses a password.
  const link = await linkMailedTo(baseURL!, email, "/join/member/");
  const member = await browser.newPage();
  await member.goto(link);
  await hydrated(member);
  await expect(member.getByTestId("join-member")).toContainText("财务");
  await expect(member.getByTestId("join-login")).toContainText(login);
  const password = `Fin#${run}`;
  await member.locator("#jm-new").fill(password);
  await member.locator("#jm-confirm").fill(password);
  await member.getByRole("button", { name: "设置密码并加入" }).click();
  await expect(member).toHaveURL(/\/login\?joined=1$/);
  await new LoginPage(member).login(login, password);
  await expect(member.getByTestId("account-menu")).toBeVisible();

  // 财务: 销售 with funds, orders and vouchers only; plans and the organisation are not its.
  expect(await centerMenu(member)).toEqual(["主页", "销售"]);
  await member.goto("/center/sales");
  const side = (await member.locator(".side-menu a").allTextContents()).map((t) => t.trim());
  expect(side).toContain("资金管理");
  expect(side).toContain("客户订单");
  expect(side).toContain("券管理");
  expect(side).not.toContain("客户管理");
  expect(side).not.toContain("机会点共享");
  await member.goto("/center/plans");
  await expect(member.getByTestId("forbidden")).toBeVisible();
  await member.goto("/center/sales/funds");
  await expect(member.getByTestId("forbidden")).toHaveCount(0);

  // The administrator makes it 业务: its next page follows the new role.
  await page.reload();
  await hydrated(page);
  const row = page.getByTestId(`member-${login}`);
  await expect(row).toContainText("正常");
  await row.getByLabel("角色").selectOption("business");
  await row.getByRole("button", { name: "修改角色" }).click();
  await expect(page.getByRole("status").first()).toContainText("角色已修改");
  await expect(page.getByTestId(`member-${login}`)).toContainText("业务");
  expect(await centerMenu(member)).toEqual(["主页", "销售", "计划", "能力"]);
  await member.goto("/center/sales/funds");
  await expect(member.getByTestId("forbidden")).toBeVisible();

  // Removed after a confirmation: signed out at once.
  page.once("dialog", (d) => d.accept());
  await page.getByTestId(`member-${login}`).getByRole("button", { name: "移除" }).click();
  await expect(page.getByRole("status").first()).toContainText("成员已移除");
  await expect(page.getByTestId(`member-${login}`)).toContainText("已移除");
  await member.goto("/center");
  await expect(member).toHaveURL(/\/login\?next=/);
  await member.close();
  await signOut(page);
});
