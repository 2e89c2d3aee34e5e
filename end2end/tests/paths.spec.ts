import { expect, test, type Page } from "@playwright/test";
import { hydrated, signInAs, signOut } from "../fixtures/pages";

/** Today in China time, as a date input wants it. */
function chinaToday() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

async function explore(page: Page) {
  await page.goto("/center");
  await page.getByTestId("explore-paths").click();
  await expect(page.getByRole("heading", { name: "探索发展路径" })).toBeVisible();
  await hydrated(page);
}

async function selectPath(page: Page, code: string) {
  await explore(page);
  await page.getByTestId(`path-${code}`).getByRole("button", { name: "选择该路径" }).click();
  await expect(page.getByTestId("select-result")).toHaveText("已加入该发展路径。");
  await expect(page.getByTestId(`path-${code}`)).toContainText("已加入");
}

/** The operator approves the first pending item of a queue (`op-evidence` or `op-applications`). */
async function operatorApproves(page: Page, queue: string) {
  await signInAs(page, "operator");
  await page.goto("/operator/paths");
  await hydrated(page);
  await page.getByTestId(queue).getByRole("button", { name: "通过" }).first().click();
  await expect(page.getByTestId(queue)).toContainText("暂无待审核事项");
}

// Serial by design: the first test needs the provider before it has joined any path; the SI
// tests then have it join and certify the SI path, each step building on the one before. The demo
// data has no other onboarded solution provider, and partners cannot be created in the browser.
// No other spec touches the provider's paths, the operator's path queues or review windows.
test.describe.serial("the provider's development paths", () => {
  test("a partner explores the development paths and selects the software path", async ({ page }) => {
    await signInAs(page, "provider");
    await page.goto("/center");
    await expect(page.getByTestId("path-module")).toContainText("您尚未加入任何发展路径");
    await explore(page);
    for (const name of ["软件伙伴发展路径", "服务合作伙伴发展路径", "学习与赋能合作伙伴发展路径", "数字化转型咨询与系统集成合作伙伴发展路径", "总经销商合作伙伴发展路径"]) {
      await expect(page.getByRole("heading", { name })).toBeVisible();
    }
    await expect(page.getByTestId("path-distributor").getByTestId("path-blocked")).toContainText("仅限受邀伙伴加入");
    await selectPath(page, "software");
    await page.goto("/center");
    const joined = page.getByTestId("joined-software");
    await expect(joined).toContainText("软件伙伴发展路径");
    await expect(joined.getByTestId("path-stage")).toHaveText("未认证");
  });

  test.describe.serial("SI path certification and its annual review", () => {
    test("a partner records evidence and applies for role certification once it is approved", async ({ page }) => {
      await signInAs(page, "provider");
      await selectPath(page, "si");
      await page.getByTestId("path-si").getByRole("link", { name: "查看" }).click();
      await hydrated(page);
      const role = page.getByTestId("stage-role");
      await expect(role.getByTestId("stage-blocked")).toContainText("尚未达到最低要求");
      await expect(role.getByTestId("requirements")).toContainText("联合解决方案或能力标签（个）：0/1（还差 1）");

      await page.getByLabel("类型").selectOption({ label: "能力标签" });
      await page.getByLabel("名称").fill("数据库迁移能力标签");
      await page.getByTestId("evidence-submit").click();
      await expect(page.getByTestId("evidence-table").getByTestId("evidence-state").first()).toHaveText("审核中");
      await signOut(page);

      await operatorApproves(page, "op-evidence");
      await signOut(page);

      await signInAs(page, "provider");
      await page.goto("/center/paths/si");
      await hydrated(page);
      await expect(role.getByTestId("requirements").locator("li").first()).toHaveAttribute("data-met", "true");
      await role.getByRole("button", { name: "申请角色认证" }).click();
      await expect(role.getByTestId("application-state")).toHaveText("审核中");
      await expect(role.getByTestId("stage-blocked")).toContainText("申请审核中");
      await signOut(page);

      await operatorApproves(page, "op-applications");
      await signOut(page);
      await signInAs(page, "provider");
      await page.goto("/center/paths/si");
      await expect(role.getByTestId("stage-state")).toContainText("已认证");
      await expect(role.getByTestId("stage-state")).toContainText("有效期至");
    });

    test("inside an annual review window the partner submits the review", async ({ page }) => {
      await signInAs(page, "operator");
      await page.goto("/operator/paths");
      await hydrated(page);
      const today = chinaToday();
      await page.getByLabel("年度").fill("2024");
      await page.getByLabel("开始日期").fill(today);
      await page.getByLabel("结束日期").fill(today);
      await page.getByLabel("复核范围").fill("si:role,si:differentiation,service:role");
      await page.getByRole("button", { name: "开启年度复核" }).click();
      await expect(page.getByTestId("op-windows")).toContainText(`2024 · ${today} – ${today}`);
      await signOut(page);

      await signInAs(page, "provider");
      await page.goto("/center");
      await expect(page.getByTestId("joined-si").getByTestId("review-banner")).toContainText("年度复核进行中");
      await page.goto("/center/paths/si");
      await hydrated(page);
      const banner = page.getByTestId("stage-role").getByTestId("review-banner");
      await expect(banner).toContainText("剩余天数 1");
      await banner.getByRole("button", { name: "提交复核申请" }).click();
      await expect(banner.getByTestId("review-state")).toContainText("已提交复核申请");
    });
  });
});

test("the service path's exam is for employees: the partner sees who is eligible, not a link", async ({ page }) => {
  await signInAs(page, "distributor");
  await selectPath(page, "service");
  await page.goto("/center/paths/service");
  await hydrated(page);
  const exam = page.getByTestId("exam");
  await expect(exam).toContainText("服务伙伴认证考试");
  await expect(exam).toContainText("个人实名认证");
  await expect(exam.getByTestId("exam-link")).toHaveCount(0);
});
