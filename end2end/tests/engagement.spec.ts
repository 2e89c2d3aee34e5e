import { expect, test } from "@playwright/test";
import { hydrated, signInAs, signOut } from "../fixtures/pages";

test("a partner invites an employee, who accepts through the notice in the message center", async ({ page }) => {
  await signInAs(page, "distributor");
  await page.getByRole("navigation", { name: "伙伴中心" }).getByRole("link", { name: "组织" }).click();
  await hydrated(page);
  // An account without real-name verification is refused with the reason.
  await page.getByLabel("个人账号名").fill("employee-unverified");
  await page.getByRole("button", { name: "发送邀请" }).click();
  await expect(page.getByRole("alert")).toContainText("未完成实名认证");
  await page.getByLabel("个人账号名").fill("employee");
  await page.getByRole("button", { name: "发送邀请" }).click();
  await expect(page.getByRole("status")).toContainText("邀请已发送");
  await expect(page.getByTestId("member-employee")).toContainText("待接受");
  await signOut(page);

  await signInAs(page, "employee");
  await page.getByTestId("unread-messages").click();
  await expect(page.getByRole("heading", { name: "消息中心" })).toBeVisible();
  const notice = page.getByTestId("messages").getByRole("listitem").filter({ hasText: "华南云总经销有限公司 邀请您关联为项目专员" });
  await notice.getByRole("link", { name: "查看详情" }).click();
  await hydrated(page);
  const invitation = page.getByRole("listitem").filter({ hasText: "华南云总经销有限公司" });
  await invitation.getByRole("button", { name: "接受" }).click();
  await expect(page.getByRole("status")).toContainText("已接受邀请");
  await expect(page.getByRole("listitem").filter({ hasText: "华南云总经销有限公司" })).toContainText("已关联");
  // Now an employee, real-name verified on the China site: the service-partner exam is on the
  // person's own page, and its link goes through the warning before leaving the site.
  await page.goto("/personal");
  const exam = page.getByTestId("my-exam");
  await expect(exam).toContainText("华南云总经销有限公司");
  await exam.getByTestId("exam-link").click();
  await expect(page.getByRole("heading", { name: "您即将访问非华为云网站，请注意账号财产安全" })).toBeVisible();
  const target = "https://www.huaweicloud.com/partners/roles/service_partner/certification/index.html";
  await expect(page.getByTestId("leave-target")).toHaveText(target);
  await expect(page.getByTestId("leave-continue")).toHaveAttribute("href", target);
  await expect(page.getByTestId("leave-continue")).toHaveAttribute("rel", /noopener/);
  await page.getByTestId("leave-back").click();
  await expect(page).toHaveURL(/\/personal$/);
  await signOut(page);

  await signInAs(page, "distributor");
  await page.goto("/center/org");
  await expect(page.getByTestId("member-employee")).toContainText("已关联");
  await expect(page.getByTestId("member-employee").getByRole("button", { name: "取消绑定" })).toBeVisible();
});

test("a PCE partner registers a PO and rejects an HO with a reason", async ({ page }) => {
  await signInAs(page, "provider");
  await page.goto("/center/sales");
  await page.getByRole("link", { name: "机会点共享" }).click();
  await hydrated(page);
  await page.getByLabel("客户名称").fill("宁波港航物流有限公司");
  await page.getByLabel("产品").fill("弹性云服务器 ECS");
  await page.getByLabel("预计金额(元)").fill("120000");
  await page.getByLabel("客户已同意共享该机会点").check();
  await page.getByRole("button", { name: "提交报备" }).click();
  await expect(page.getByRole("status")).toContainText("机会点已报备");
  await expect(page.getByTestId("opportunity-宁波港航物流有限公司")).toContainText("120,000.00");

  await page.getByRole("tab", { name: "华为云分享的机会点(HO)" }).click();
  const ho = page.getByTestId("opportunity-温州智造集团有限公司");
  await expect(ho).toContainText("待接受");
  await hydrated(page);
  await ho.getByLabel("拒绝原因").fill("客户不在我司覆盖区域");
  await ho.getByRole("button", { name: "拒绝" }).click();
  await expect(page.getByTestId("opportunity-温州智造集团有限公司")).toContainText("已拒绝 (客户不在我司覆盖区域)");
});

test("the help center finds answers by keyword", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "帮助中心" }).click();
  await page.getByLabel("搜索问题").fill("充值");
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page.getByTestId("faq-resale-top-up")).toBeVisible();
  await expect(page.getByTestId("faq-connectivity")).toHaveCount(0);
});
