//! 客户管理 on both databases: invitations by email (a local SMTP sink reads the mail) and by
//! offline link, every link state, disassociation (BEUNBIND and automatic coupon reclaim), the
//! customer's partner page and contract applications.

use crate::common;

use common::smtp::SmtpSink;
use common::{Backend, PASSWORD, TestApp, json};
use serde_json::Value;

on_both_backends!(
    offline_links_and_every_refused_link,
    disassociation_returns_the_balance_and_reclaims_coupons,
    contracts_are_for_consulting_customers,
    an_operator_decides_contract_applications,
);

fn code(v: &Value) -> &str {
    v["code"].as_str().unwrap_or_default()
}

pub(crate) fn free_customer(app: &TestApp, login: &str) -> i64 {
    app.cli_ok(&[
        "admin",
        "create-customer",
        "--name",
        login,
        "--login",
        login,
        "--password",
        PASSWORD,
    ])["customer_id"]
        .as_i64()
        .unwrap()
}

pub(crate) async fn invite(
    app: &TestApp,
    c: &reqwest::Client,
    channel: &str,
    email: &str,
    mode: &str,
) -> (u16, Value) {
    json(
        app.call(
            c,
            "customers/invite",
            &[
                ("channel", channel),
                ("email", email),
                ("label", "华东区"),
                ("mode", mode),
            ],
        )
        .await,
    )
    .await
}

pub(crate) fn token_of(link: &str) -> String {
    link.rsplit('/').next().unwrap().trim().to_string()
}

pub(crate) async fn accept(app: &TestApp, c: &reqwest::Client, token: &str) -> (u16, Value) {
    json(app.call(c, "customers/accept", &[("token", token)]).await).await
}

/// An email invitation is mailed over SMTP, accepted once after signing in, and not again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_invitation_is_mailed_and_single_use() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(mut app) = TestApp::database(backend).await else {
            continue;
        };
        let sink = SmtpSink::start().await;
        app.start(&["--smtp-url", &sink.url()]).await;
        let prov = app.partner("prov", "solution-provider", None);
        free_customer(&app, "newbie");
        free_customer(&app, "second");
        let p = app.signed_in("prov").await;
        let (s, e) = invite(&app, &p, "email", "not-an-address", "resale").await;
        assert_eq!(
            (s, e["key"].as_str()),
            (400, Some("error.invite.email_format")),
            "{e}"
        );
        let (s, inv) = invite(&app, &p, "email", "buyer@newbie.example.com", "resale").await;
        assert_eq!(s, 200, "{inv}");
        assert!(
            inv["expires_at"].as_i64().unwrap() - inv["created_at"].as_i64().unwrap()
                == 7 * 86_400_000
        );
        let mail = sink
            .wait_for(|m| m.to.contains(&"buyer@newbie.example.com".to_string()))
            .await;
        let text = mail.text();
        assert!(
            text.contains("prov") && text.contains("这里") && text.contains("代售"),
            "{text}"
        );
        let link = text
            .lines()
            .find(|l| l.contains("/invite/"))
            .expect("link in mail")
            .trim()
            .to_string();
        let token = token_of(&link);
        // Only the hash is stored.
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM customer_invitations WHERE token_hash = '{token}' OR token = '{token}'")).await, 0);

        // Signed out, the page asks for a sign-in and comes back.
        let anon = app.client();
        let page = app.page(&anon, &format!("/invite/{token}")).await;
        let loc = page
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        assert!(
            loc.starts_with("/login?next=") && loc.contains(&token),
            "{loc}"
        );

        let c = app.signed_in("newbie").await;
        let (s, v) = json(
            app.call(&c, "customers/invitation", &[("token", &token)])
                .await,
        )
        .await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["partner_name"], "prov");
        assert_eq!(v["refusal"], Value::Null);
        let (s, e) = accept(&app, &c, &token).await;
        assert_eq!(s, 200, "{e}");
        let me = app.me(&c).await;
        assert_eq!(me["customer"]["partner_id"], prov, "{me}");
        assert_eq!(me["customer"]["mode"], "resale");
        // Used: nobody else may accept it; the partner's list says so and the partner is told.
        let second = app.signed_in("second").await;
        let (s, e) = accept(&app, &second, &token).await;
        assert_eq!(
            (s, e["key"].as_str()),
            (409, Some("error.invite.used")),
            "{e}"
        );
        let (_, list) = json(app.call(&p, "customers/invitations", &[]).await).await;
        assert_eq!(list["items"][0]["state"], "used", "{list}");
        assert_eq!(
            list["items"][0]["link"],
            Value::Null,
            "an email link is never shown again"
        );
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM messages m JOIN users u ON u.id = m.user_id WHERE u.partner_id = {prov} AND m.kind = 'customer.associated'")).await, 1);
        // An unknown token is 404; a 7-day-old one is expired.
        let (s, _) = json(
            app.call(&second, "customers/invitation", &[("token", "0000")])
                .await,
        )
        .await;
        assert_eq!(s, 404);
        let (_, inv2) = invite(&app, &p, "email", "late@example.com", "consulting").await;
        let mail2 = sink
            .wait_for(|m| m.to.contains(&"late@example.com".to_string()))
            .await;
        let token2 = token_of(
            mail2
                .text()
                .lines()
                .find(|l| l.contains("/invite/"))
                .unwrap(),
        );
        let pool = app.db().await;
        sqlx::query(&format!(
            "UPDATE customer_invitations SET expires_at = created_at WHERE id = {}",
            inv2["id"]
        ))
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
        let (s, e) = accept(&app, &second, &token2).await;
        assert_eq!(
            (s, e["key"].as_str()),
            (409, Some("error.invite.expired")),
            "{e}"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM customers WHERE partner_id IS NOT NULL")
                .await,
            1
        );
    }
}

async fn offline_links_and_every_refused_link(app: TestApp) {
    let prov = app.partner("prov", "solution-provider", None);
    let other = app.partner("other", "solution-provider", None);
    free_customer(&app, "cust-a");
    free_customer(&app, "cust-b");
    let linked = app.customer(other, "linked", "resale");
    let p = app.signed_in("prov").await;
    let (s, inv) = invite(&app, &p, "offline", "", "consulting").await;
    assert_eq!(s, 200, "{inv}");
    // An offline link lives 30 days (#18; it used to live until cancelled).
    assert_eq!(
        inv["expires_at"]
            .as_i64()
            .zip(inv["created_at"].as_i64())
            .map(|(e, c)| e - c),
        Some(30 * 86_400_000),
        "{inv}"
    );
    let token = token_of(inv["link"].as_str().unwrap());
    // The offline link is shown again in the list and accepted by several customers.
    let (_, list) = json(app.call(&p, "customers/invitations", &[]).await).await;
    assert_eq!(list["items"][0]["link"], inv["link"]);
    for login in ["cust-a", "cust-b"] {
        let c = app.signed_in(login).await;
        let (s, e) = accept(&app, &c, &token).await;
        assert_eq!(s, 200, "{login}: {e}");
        assert_eq!(app.me(&c).await["customer"]["mode"], "consulting");
        // Accepting again: already this partner's.
        let (s, e) = accept(&app, &c, &token).await;
        assert_eq!(
            (s, e["key"].as_str()),
            (409, Some("error.invite.already_yours")),
            "{e}"
        );
    }
    // A customer of another partner must disassociate first.
    let l = app.signed_in("linked").await;
    let (s, v) = json(
        app.call(&l, "customers/invitation", &[("token", &token)])
            .await,
    )
    .await;
    assert_eq!(
        (s, v["refusal"].as_str()),
        (200, Some("error.invite.already_linked")),
        "{v}"
    );
    let (s, e) = accept(&app, &l, &token).await;
    assert_eq!(
        (s, e["key"].as_str()),
        (409, Some("error.invite.already_linked")),
        "{e}"
    );
    let _ = linked;
    // The other partner cannot cancel it; the owner can, and then it is refused.
    let o = app.signed_in("other").await;
    let id = inv["id"].to_string();
    let (s, _) = json(
        app.call(&o, "customers/invitation-cancel", &[("id", &id)])
            .await,
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = json(
        app.call(&p, "customers/invitation-cancel", &[("id", &id)])
            .await,
    )
    .await;
    assert_eq!(s, 200);
    free_customer(&app, "cust-c");
    let c = app.signed_in("cust-c").await;
    let (s, e) = accept(&app, &c, &token).await;
    assert_eq!(
        (s, e["key"].as_str()),
        (409, Some("error.invite.cancelled")),
        "{e}"
    );
    // Partners and operators cannot accept invitations.
    let (s, _) = accept(&app, &o, &token).await;
    assert_eq!(s, 403);
    // The customer list shows the two with their mode and association date.
    let (_, customers) = json(
        app.call(
            &p,
            "funds/customers",
            &[("login", ""), ("from", ""), ("to", "")],
        )
        .await,
    )
    .await;
    assert_eq!(customers["total"], 2, "{customers}");
    let _ = prov;
}

async fn disassociation_returns_the_balance_and_reclaims_coupons(app: TestApp) {
    let prov = app.partner("prov", "solution-provider", None);
    let cust = app.customer(prov, "cust", "resale");
    app.fund(prov, "1000");
    let p = app.signed_in("prov").await;
    assert_eq!(
        app.adjust(&p, "Customer", cust, "Allocate", "250.50", "a-1")
            .await
            .status(),
        200
    );
    let quota = app.grant_quota(prov, "500");
    let (s, o) = json(
        app.call(
            &p,
            "vouchers/issue",
            &[
                ("kind", "coupon"),
                ("quota", &quota.to_string()),
                ("face", "80"),
                ("customers", &cust.to_string()),
                ("trans_id", "i-1"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{o}");
    let c = app.signed_in("cust").await;
    // Nothing to answer before the partner asks.
    let (s, e) = json(
        app.call(&c, "customers/unbind-answer", &[("answer", "confirm")])
            .await,
    )
    .await;
    assert_eq!(
        (s, e["key"].as_str()),
        (409, Some("error.unbind.not_requested")),
        "{e}"
    );
    // Another partner cannot ask.
    app.partner("other", "solution-provider", None);
    let o2 = app.signed_in("other").await;
    let (s, e) = json(
        app.call(
            &o2,
            "customers/unbind",
            &[("customer", &cust.to_string()), ("action", "request")],
        )
        .await,
    )
    .await;
    assert_eq!((s, code(&e)), (409, "CBC.0151"), "{e}");
    // Ask, decline, ask again, confirm.
    let cust_id = cust.to_string();
    let ask_form = [("customer", cust_id.as_str()), ("action", "request")];
    let ask = || app.call(&p, "customers/unbind", &ask_form);
    assert_eq!(ask().await.status(), 200);
    let (s, e) = json(ask().await).await;
    assert_eq!(
        (s, e["key"].as_str()),
        (409, Some("error.unbind.already_requested"))
    );
    let (_, mine) = json(app.call(&c, "customers/my-partner", &[]).await).await;
    assert!(mine["unbind_requested_at"].is_i64(), "{mine}");
    assert_eq!(
        app.call(&c, "customers/unbind-answer", &[("answer", "decline")])
            .await
            .status(),
        200
    );
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM customers WHERE id = {cust} AND partner_id = {prov} AND unbind_requested_at IS NULL")).await, 1);
    assert_eq!(ask().await.status(), 200);
    // An order the customer asked its partner to pay goes back to the customer with the reason.
    let (s, order) = json(
        app.call(
            &c,
            "orders/create",
            &[
                ("product", "rds-mysql-2c4g"),
                ("quantity", "1"),
                ("payment", "partner"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{order}");
    let before = app.balance_fen("partner_id", prov).await;
    let (s, e) = json(
        app.call(&c, "customers/unbind-answer", &[("answer", "confirm")])
            .await,
    )
    .await;
    assert_eq!(s, 200, "{e}");
    assert_eq!(app.balance_fen("customer_id", cust).await, 0);
    assert_eq!(app.balance_fen("partner_id", prov).await, before + 25_050);
    assert_eq!(app.count("SELECT COUNT(*) FROM fund_transfers WHERE operation = 'BEUNBIND' AND amount_fen = 25050").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM coupons WHERE status = 5 AND balance_fen = 0")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM voucher_records WHERE operation = 3 AND amount_fen = 8000")
            .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT balance_fen FROM coupon_quotas WHERE id = {quota}"
        ))
        .await,
        50_000
    );
    let (s, back) = json(
        app.call(&c, "orders/detail", &[("id", &order["id"].to_string())])
            .await,
    )
    .await;
    assert_eq!(s, 200, "{back}");
    assert_eq!(back["order"]["state"], "PendingPayment", "{back}");
    assert_eq!(back["order"]["reject_reason"], "orders.released_on_unbind");
    let page = app.page(&c, "/customer/orders").await.text().await.unwrap();
    assert!(
        page.contains("客户已与伙伴解除关联"),
        "the reason in the reader's language"
    );
    // The customer is free; the partner's list no longer has it and cannot fund it.
    let (_, mine) = json(app.call(&c, "customers/my-partner", &[]).await).await;
    assert_eq!(mine, Value::Null);
    assert_eq!(app.me(&c).await["customer"]["partner_id"], Value::Null);
    let (_, customers) = json(
        app.call(
            &p,
            "funds/customers",
            &[("login", ""), ("from", ""), ("to", "")],
        )
        .await,
    )
    .await;
    assert_eq!(customers["total"], 0, "{customers}");
    let res = app
        .adjust(&p, "Customer", cust, "Allocate", "1", "a-2")
        .await;
    assert_eq!(res.status(), 409);
    // The history keeps the ended association; the partner was told.
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM customer_associations WHERE customer_id = {cust} AND ended_at IS NOT NULL")).await, 1);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM messages m JOIN users u ON u.id = m.user_id WHERE u.partner_id = {prov} AND m.kind = 'customer.unbound'")).await, 1);
    app.assert_ledger_sound().await;
    app.assert_audit_sound().await;
}

async fn contracts_are_for_consulting_customers(app: TestApp) {
    let prov = app.partner("prov", "solution-provider", None);
    app.customer(prov, "resale", "resale");
    app.customer(prov, "consult", "consulting");
    free_customer(&app, "free");
    let r = app.signed_in("resale").await;
    let (s, e) = json(app.call(&r, "customers/contract", &[]).await).await;
    assert_eq!(
        (s, e["key"].as_str()),
        (409, Some("error.contract.resale_offline")),
        "{e}"
    );
    let (_, mine) = json(app.call(&r, "customers/my-partner", &[]).await).await;
    assert_eq!(mine["mode"], "resale");
    assert_eq!(mine["partner_name"], "prov");
    let html = app.page(&r, "/customer").await.text().await.unwrap();
    assert!(
        html.contains("不支持自行充值") && html.contains("resale-notice"),
        "{html}"
    );
    let c = app.signed_in("consult").await;
    let (s, id) = json(app.call(&c, "customers/contract", &[]).await).await;
    assert_eq!(s, 200, "{id}");
    let (s, e) = json(app.call(&c, "customers/contract", &[]).await).await;
    assert_eq!(
        (s, e["key"].as_str()),
        (409, Some("error.contract.open")),
        "{e}"
    );
    let (_, mine) = json(app.call(&c, "customers/my-partner", &[]).await).await;
    assert_eq!(mine["contracts"][0]["state"], "submitted", "{mine}");
    let f = app.signed_in("free").await;
    let (s, e) = json(app.call(&f, "customers/contract", &[]).await).await;
    assert_eq!(
        (s, e["key"].as_str()),
        (409, Some("error.orders.no_partner")),
        "{e}"
    );
    let html = app.page(&f, "/customer").await.text().await.unwrap();
    assert!(html.contains("尚未关联合作伙伴"), "{html}");
}

/// 合同申请 (#17): an operator rejects an application with a reason (the customer may apply
/// again) and approves the next; each decision happens once and the customer and its partner
/// are told.
async fn an_operator_decides_contract_applications(app: TestApp) {
    let prov = app.partner("ct-prov", "solution-provider", None);
    let cust = app.customer(prov, "ct-consult", "consulting");
    app.operator("ct-ops");
    let ops = app.signed_in("ct-ops").await;
    let c = app.signed_in("ct-consult").await;
    let (s, id) = json(app.call(&c, "customers/contract", &[]).await).await;
    assert_eq!(s, 200, "{id}");
    let id = id.as_i64().unwrap().to_string();

    let queue = |state: &'static str| {
        let (app, ops) = (&app, &ops);
        async move {
            let (s, v) = json(app.call(ops, "contracts/queue", &[("state", state)]).await).await;
            assert_eq!(s, 200, "{v}");
            v
        }
    };
    let pending = queue("").await;
    assert_eq!(pending["total"], 1, "{pending}");
    assert_eq!(pending["items"][0]["customer_name"], "ct-consult");
    assert_eq!(pending["items"][0]["partner_id"], prov);
    // Only operators decide; a rejection needs its reason; nothing changed.
    let (s, _) = json(app.call(&c, "contracts/approve", &[("id", &id)]).await).await;
    assert_eq!(s, 403);
    let (s, e) = json(
        app.call(&ops, "contracts/reject", &[("id", &id), ("reason", " ")])
            .await,
    )
    .await;
    assert_eq!(
        (s, e["key"].as_str()),
        (400, Some("error.plans.reason_required"))
    );
    assert_eq!(queue("submitted").await["total"], 1);

    let (s, e) = json(
        app.call(
            &ops,
            "contracts/reject",
            &[("id", &id), ("reason", "缺少营业执照")],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{e}");
    let (s, e) = json(app.call(&ops, "contracts/approve", &[("id", &id)]).await).await;
    assert_eq!(
        (s, e["key"].as_str()),
        (409, Some("error.contract.decided"))
    );
    let (_, mine) = json(app.call(&c, "customers/my-partner", &[]).await).await;
    assert_eq!(mine["contracts"][0]["state"], "rejected", "{mine}");
    assert_eq!(mine["contracts"][0]["reason"], "缺少营业执照");
    let told = |kind: &'static str| {
        let app = &app;
        async move {
            let customer = app
                .count(&format!("SELECT COUNT(*) FROM messages m JOIN users u ON u.id = m.user_id WHERE u.customer_id = {cust} AND m.kind = '{kind}'"))
                .await;
            let partner = app
                .count(&format!("SELECT COUNT(*) FROM messages m JOIN users u ON u.id = m.user_id WHERE u.partner_id = {prov} AND m.kind = '{kind}'"))
                .await;
            (customer, partner)
        }
    };
    assert_eq!(told("customer.contract_rejected").await, (1, 1));

    // Applying again after a rejection; this one is approved.
    let (s, again) = json(app.call(&c, "customers/contract", &[]).await).await;
    assert_eq!(s, 200, "{again}");
    let again = again.as_i64().unwrap().to_string();
    let (s, _) = json(app.call(&ops, "contracts/approve", &[("id", &again)]).await).await;
    assert_eq!(s, 200);
    assert_eq!(told("customer.contract_approved").await, (1, 1));
    let (_, mine) = json(app.call(&c, "customers/my-partner", &[]).await).await;
    assert_eq!(mine["contracts"][0]["state"], "approved", "{mine}");
    let (s, e) = json(app.call(&c, "customers/contract", &[]).await).await;
    assert_eq!((s, e["key"].as_str()), (409, Some("error.contract.open")));
    assert_eq!(queue("approved").await["total"], 1);
    assert_eq!(
        queue("rejected").await["items"][0]["reason"],
        "缺少营业执照"
    );
    let (s, _) = json(
        app.call(&ops, "contracts/approve", &[("id", "99999")])
            .await,
    )
    .await;
    assert_eq!(s, 404);
    // The customer's page shows the outcome.
    let html = app.page(&c, "/customer").await.text().await.unwrap();
    assert!(
        html.contains("已驳回") && html.contains("缺少营业执照"),
        "{html}"
    );
    app.assert_audit_sound().await;
}
