import { expect, test, type Page } from "@playwright/test";
import { AccountMenu, hydrated, signInAs } from "../fixtures/pages";

test("a partner creates an access key, sees its secret once, disables and deletes it", async ({ page }) => {
  await signInAs(page, "provider");
  await new AccountMenu(page).open();
  await new AccountMenu(page).item("访问密钥").click();
  await expect(page.getByRole("heading", { name: "访问密钥" })).toBeVisible();
  await hydrated(page);

  await page.getByLabel("描述").fill("ERP 对接");
  await page.getByTestId("key-create").click();
  const created = page.getByTestId("new-key");
  await expect(created).toContainText("请立即保存SK");
  const ak = (await created.getByTestId("new-ak").textContent())!.trim();
  const sk = (await created.getByTestId("new-sk").textContent())!.trim();
  expect(ak).toMatch(/^[A-Z0-9]{20}$/);
  expect(sk.length).toBe(40);
  const row = page.getByTestId(`key-${ak}`);
  await expect(row).toContainText("ERP 对接");
  await expect(row).toContainText("启用");

  // The secret is never shown again.
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("new-key")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(sk);

  await row.getByRole("button", { name: "停用" }).click();
  await expect(row.locator("td").nth(2)).toHaveText("停用");
  await row.getByRole("button", { name: "启用" }).click();
  await expect(row.locator("td").nth(2)).toHaveText("启用");
  await row.getByRole("button", { name: "删除" }).click();
  await expect(page.getByTestId(`key-${ak}`)).toHaveCount(0);
});

/** Chooses an operation in the explorer, fills its body or query, sends it (confirming when it
 * moves money) and returns the status and the parsed answer. */
async function run(page: Page, operation: string, input: string, confirm = false) {
  await page.getByTestId("explorer-op").selectOption(operation);
  const body = page.getByTestId("explorer-body");
  if (await body.count()) {
    await body.fill(input);
  } else {
    await page.getByTestId("explorer-query").fill(input);
  }
  const exchange = page.getByTestId("explorer-exchange");
  const calls = (await exchange.count()) ? Number(await exchange.getAttribute("data-call")) : 0;
  await page.getByTestId("explorer-send").click();
  if (confirm) {
    await expect(page.getByTestId("explorer-confirm")).toContainText("确定以当前账号发送吗");
    await page.getByTestId("explorer-confirm-send").click();
  }
  await expect(exchange).toHaveAttribute("data-call", String(calls + 1));
  const status = Number(await page.getByTestId("explorer-status").textContent());
  const text = (await page.getByTestId("explorer-response").textContent()) ?? "";
  return { status, json: JSON.parse(text) };
}

test("the API Explorer runs operations with the session and asks before money moves", async ({ page }) => {
  await signInAs(page, "distributor");
  await new AccountMenu(page).open();
  await new AccountMenu(page).item("API Explorer").click();
  await hydrated(page);
  await expect(page.getByTestId("openapi-link")).toHaveAttribute("href", "/openapi.json");

  const balances = await run(page, "list_partner_balances", "");
  expect(balances.status).toBe(200);
  expect(balances.json.account_balances[0].amount).toBeGreaterThan(0);
  await expect(page.getByTestId("explorer-endpoint")).toHaveText("GET /v2/accounts/partner-accounts/balances");

  const resellers = await run(page, "list_indirect_partners", '{"offset": 0, "limit": 10}');
  expect(resellers.status).toBe(200);
  const reseller = resellers.json.indirect_partners.find((p: { account_name: string }) => p.account_name === "reseller");
  expect(reseller).toBeTruthy();

  // A refused request shows the Huawei error and moves nothing.
  const bad = await run(page, "update_indirect_partner_account", `{"indirect_partner_id": "${reseller.indirect_partner_id}", "amount": 1.001}`, true);
  expect(bad.status).toBe(400);
  expect(bad.json.error_code).toBe("CBC.0100");

  // 拨款 then 回收 the same amount: each asks first, each answers with its transaction id.
  await page.getByTestId("explorer-op").selectOption("update_indirect_partner_account");
  await page.getByTestId("explorer-body").fill(`{"indirect_partner_id": "${reseller.indirect_partner_id}", "amount": 1.00}`);
  await page.getByTestId("explorer-send").click();
  await expect(page.getByTestId("explorer-confirm")).toBeVisible();
  await page.getByRole("button", { name: "取消" }).click();
  await expect(page.getByTestId("explorer-confirm")).toHaveCount(0);
  const given = await run(page, "update_indirect_partner_account", `{"indirect_partner_id": "${reseller.indirect_partner_id}", "amount": 1.00}`, true);
  expect(given.status).toBe(200);
  expect(given.json.transfer_id).toBeTruthy();
  const after = await run(page, "list_partner_balances", `indirect_partner_id=${reseller.indirect_partner_id}`);
  expect(after.status).toBe(200);
  const taken = await run(page, "reclaim_indirect_partner_account", `{"indirect_partner_id": "${reseller.indirect_partner_id}", "amount": 1.00}`, true);
  expect(taken.status).toBe(200);
  expect(taken.json.trans_id).toBeTruthy();
  const back = await run(page, "list_partner_balances", `indirect_partner_id=${reseller.indirect_partner_id}`);
  expect(back.json.account_balances[0].amount).toBeCloseTo(after.json.account_balances[0].amount - 1, 2);
});

test("the API Explorer sends an idempotency key: a retry with it moves the money once", async ({ page }) => {
  await signInAs(page, "distributor");
  await page.goto("/center/api-explorer");
  await hydrated(page);
  const resellers = await run(page, "list_indirect_partners", '{"offset": 0, "limit": 10}');
  const reseller = resellers.json.indirect_partners.find((p: { account_name: string }) => p.account_name === "reseller");
  const balance = async () =>
    (await run(page, "list_partner_balances", `indirect_partner_id=${reseller.indirect_partner_id}`)).json.account_balances[0].amount;
  const before = await balance();
  // The key field appears only for operations that change something.
  await expect(page.getByTestId("explorer-client-token")).toHaveCount(0);
  await page.getByTestId("explorer-op").selectOption("update_indirect_partner_account");
  const key = `e2e-${Date.now()}`;
  await page.getByTestId("explorer-client-token").fill(key);
  const body = `{"indirect_partner_id": "${reseller.indirect_partner_id}", "amount": 2.00}`;
  const first = await run(page, "update_indirect_partner_account", body, true);
  const again = await run(page, "update_indirect_partner_account", body, true);
  expect(first.status).toBe(200);
  expect(again.status).toBe(200);
  expect(again.json.transfer_id).toBe(first.json.transfer_id);
  // The same key for another amount is refused.
  const other = await run(page, "update_indirect_partner_account", body.replace("2.00", "3.00"), true);
  expect(other.status).toBe(409);
  expect(other.json.error_code).toBe("CBC.0153");
  expect(await balance()).toBeCloseTo(before + 2, 2);
});
