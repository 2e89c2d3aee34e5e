//! Orders and 伙伴代付: every transition and every refused one, notifications by email (to a
//! local SMTP sink), SMS (the outbox) and message center, paying twice at once, refunds to the
//! payer — on both databases.

use crate::common;

use common::smtp::SmtpSink;
use common::{Backend, PASSWORD, TestApp, json};
use serde_json::Value;

on_both_backends!(
    every_transition_and_every_refusal,
    a_partner_paid_order_refunds_to_the_partner_and_rejection_needs_a_reason,
    orders_are_scoped_and_consulting_customers_need_their_partners_consent,
);

pub(crate) struct World {
    pub provider: i64,
    pub resale: i64,
    pub consulting: i64,
}

/// A provider funded with 10 000 that gave its resale customer 1 000.
pub(crate) async fn world(app: &TestApp) -> World {
    let provider = app.cli_ok(&[
        "admin",
        "create-partner",
        "--name",
        "杭州数智解决方案有限公司",
        "--kind",
        "solution-provider",
        "--login",
        "prov",
        "--password",
        PASSWORD,
        "--email",
        "billing@prov.example.com",
    ])["partner_id"]
        .as_i64()
        .unwrap();
    let p = provider.to_string();
    app.cli_ok(&[
        "admin",
        "set-partner-contact",
        "--partner",
        &p,
        "--phone",
        "13800138000",
    ]);
    let resale = app.customer(provider, "cust-resale", "resale");
    let consulting = app.customer(provider, "cust-consult", "consulting");
    app.fund(provider, "10000");
    let c = app.signed_in("prov").await;
    assert_eq!(
        app.adjust(&c, "Customer", resale, "Allocate", "1000", "seed-1")
            .await
            .status(),
        200
    );
    World {
        provider,
        resale,
        consulting,
    }
}

async fn order(
    app: &TestApp,
    c: &reqwest::Client,
    product: &str,
    qty: &str,
    payment: &str,
) -> (u16, Value) {
    json(
        app.call(
            c,
            "orders/create",
            &[
                ("product", product),
                ("quantity", qty),
                ("payment", payment),
            ],
        )
        .await,
    )
    .await
}

async fn act(
    app: &TestApp,
    c: &reqwest::Client,
    id: &Value,
    action: &str,
    reason: &str,
) -> (u16, Value) {
    let id = id.as_i64().unwrap().to_string();
    json(
        app.call(
            c,
            "orders/act",
            &[("id", &id), ("action", action), ("reason", reason)],
        )
        .await,
    )
    .await
}

async fn every_transition_and_every_refusal(app: TestApp) {
    let w = world(&app).await;
    let cust = app.signed_in("cust-resale").await;

    // Bad input changes nothing.
    for (product, qty, payment, key) in [
        ("nope", "1", "self", "error.orders.product"),
        ("ecs-c7-large", "0", "self", "error.orders.quantity"),
        ("ecs-c7-large", "x", "self", "error.orders.quantity"),
        ("ecs-c7-large", "1", "card", "error.orders.payment"),
    ] {
        let (s, body) = order(&app, &cust, product, qty, payment).await;
        assert_eq!((s, body["key"].as_str()), (400, Some(key)));
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, 0);

    // Self-paid: pay once, not twice, not cancel after; refund once to the customer.
    let (s, o) = order(&app, &cust, "rds-mysql-2c4g", "1", "self").await;
    assert_eq!(s, 200, "{o}");
    assert_eq!(
        (o["state"].as_str(), o["amount"].as_str()),
        (Some("PendingPayment"), Some("580.00"))
    );
    let (s, paid) = act(&app, &cust, &o["id"], "pay", "").await;
    assert_eq!(
        (s, paid["state"].as_str(), paid["payer"].as_str()),
        (200, Some("Paid"), Some("Customer"))
    );
    assert_eq!(app.balance_fen("customer_id", w.resale).await, 42_000);
    let (s, body) = act(&app, &cust, &o["id"], "pay", "").await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.orders.already_paid"))
    );
    let (s, body) = act(&app, &cust, &o["id"], "cancel", "").await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.orders.cancel_paid"))
    );
    let (s, r) = act(&app, &cust, &o["id"], "refund", "").await;
    assert_eq!((s, r["state"].as_str()), (200, Some("Refunded")));
    assert_eq!(app.balance_fen("customer_id", w.resale).await, 100_000);
    let (s, body) = act(&app, &cust, &o["id"], "refund", "").await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.orders.already_refunded"))
    );

    // Cancelled: cannot be paid or refunded.
    let (_, o) = order(&app, &cust, "cdn-traffic-1tb", "2", "self").await;
    let (s, body) = act(&app, &cust, &o["id"], "refund", "").await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.orders.refund_unpaid"))
    );
    assert_eq!(act(&app, &cust, &o["id"], "cancel", "").await.0, 200);
    let (s, body) = act(&app, &cust, &o["id"], "pay", "").await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.orders.cancelled"))
    );
    let (s, _) = act(&app, &cust, &o["id"], "cancel", "").await;
    assert_eq!(s, 409);

    // Not enough balance: refused, nothing moves, the order stays unpaid.
    let (_, big) = order(&app, &cust, "gaussdb-basic", "2", "self").await;
    let (s, body) = act(&app, &cust, &big["id"], "pay", "").await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.funds.insufficient"))
    );
    let (_, d) = json(
        app.call(&cust, "orders/detail", &[("id", &big["id"].to_string())])
            .await,
    )
    .await;
    assert_eq!(d["order"]["state"], "PendingPayment");
    assert_eq!(app.balance_fen("customer_id", w.resale).await, 100_000);

    // The 待支付 tab holds exactly the unpaid orders.
    let (_, unpaid) = json(app.call(&cust, "orders/list", &[("tab", "unpaid")]).await).await;
    assert_eq!(unpaid["total"], 1);
    assert_eq!(unpaid["items"][0]["id"], big["id"]);
    let (s, _) = act(&app, &cust, &big["id"], "dance", "").await;
    assert_eq!(s, 400);

    // Eleven unpaid orders: the second page keeps the tab.
    for _ in 0..10 {
        assert_eq!(
            order(&app, &cust, "obs-standard-1tb", "1", "self").await.0,
            200
        );
    }
    let html = app
        .page(&cust, "/customer/orders?tab=unpaid")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("/customer/orders?tab=unpaid&amp;page=2")
            || html.contains("/customer/orders?tab=unpaid&page=2"),
        "the next-page link keeps the tab: {html}"
    );
    let _ = w.provider;
    app.assert_ledger_sound().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM fund_transfers WHERE operation IN ('PAY', 'REFUND')")
            .await,
        2
    );
}

async fn a_partner_paid_order_refunds_to_the_partner_and_rejection_needs_a_reason(app: TestApp) {
    let w = world(&app).await;
    let cust = app.signed_in("cust-resale").await;
    let prov = app.signed_in("prov").await;
    let before = app.balance_fen("partner_id", w.provider).await;

    // Rejected with a reason: the customer sees why and pays itself; the partner no longer can.
    let (_, o) = order(&app, &cust, "obs-standard-1tb", "1", "partner").await;
    assert_eq!(o["state"], "AwaitingPartner");
    let (s, body) = act(&app, &prov, &o["id"], "reject", " ").await;
    assert_eq!(
        (s, body["key"].as_str()),
        (400, Some("error.plans.reason_required"))
    );
    let (s, r) = act(&app, &prov, &o["id"], "reject", "请走月结合同").await;
    assert_eq!(
        (s, r["state"].as_str(), r["reject_reason"].as_str()),
        (200, Some("PendingPayment"), Some("请走月结合同"))
    );
    let (s, body) = act(&app, &prov, &o["id"], "partner-pay", "").await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.orders.not_requested"))
    );
    assert_eq!(act(&app, &cust, &o["id"], "pay", "").await.0, 200);
    let (_, msgs) = json(
        app.call(
            &cust,
            "messages/list",
            &[("filter", ""), ("group", "order")],
        )
        .await,
    )
    .await;
    assert!(
        msgs["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["kind"] == "order.rejected" && m["params"]["reason"] == "请走月结合同")
    );

    // Paid by the partner, unsubscribed by the customer: the refund goes back to the partner.
    let (_, o) = order(&app, &cust, "rds-mysql-2c4g", "2", "partner").await;
    let (s, p) = act(&app, &prov, &o["id"], "partner-pay", "").await;
    assert_eq!((s, p["payer"].as_str()), (200, Some("Partner")));
    assert_eq!(
        app.balance_fen("partner_id", w.provider).await,
        before - 116_000
    );
    let customer_before = app.balance_fen("customer_id", w.resale).await;
    assert_eq!(act(&app, &cust, &o["id"], "refund", "").await.0, 200);
    assert_eq!(app.balance_fen("partner_id", w.provider).await, before);
    assert_eq!(
        app.balance_fen("customer_id", w.resale).await,
        customer_before
    );
    let (_, msgs) = json(
        app.call(
            &prov,
            "messages/list",
            &[("filter", ""), ("group", "order")],
        )
        .await,
    )
    .await;
    assert!(
        msgs["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["kind"] == "order.refunded")
    );
    app.assert_ledger_sound().await;
}

async fn orders_are_scoped_and_consulting_customers_need_their_partners_consent(app: TestApp) {
    let w = world(&app).await;
    let other = app.partner("other-prov", "solution-provider", None);
    app.customer(other, "cust-other", "resale");
    let cust = app.signed_in("cust-resale").await;
    let prov = app.signed_in("prov").await;
    let (_, o) = order(&app, &cust, "ecs-c7-large", "1", "partner").await;
    let id = o["id"].to_string();

    let stranger = app.signed_in("other-prov").await;
    assert_eq!(
        act(&app, &stranger, &o["id"], "partner-pay", "").await.0,
        404
    );
    assert_eq!(
        app.call(&stranger, "orders/detail", &[("id", &id)])
            .await
            .status(),
        404
    );
    let (_, list) = json(app.call(&stranger, "orders/list", &[("tab", "")]).await).await;
    assert_eq!(list["total"], 0);
    let other_cust = app.signed_in("cust-other").await;
    assert_eq!(act(&app, &other_cust, &o["id"], "cancel", "").await.0, 404);
    // Each side raises only its own events.
    assert_eq!(act(&app, &cust, &o["id"], "partner-pay", "").await.0, 403);
    assert_eq!(act(&app, &prov, &o["id"], "pay", "").await.0, 403);
    assert_eq!(
        app.call(
            &prov,
            "orders/create",
            &[
                ("product", "ecs-c7-large"),
                ("quantity", "1"),
                ("payment", "self")
            ]
        )
        .await
        .status(),
        403
    );
    assert_eq!(
        app.call(&app.client(), "orders/list", &[("tab", "")])
            .await
            .status(),
        401
    );

    // A consulting customer may ask its partner only once the partner allows it.
    let consult = app.signed_in("cust-consult").await;
    let (s, body) = order(&app, &consult, "ecs-c7-large", "1", "partner").await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.orders.partner_pay_not_allowed"))
    );
    let (_, allowed) = json(app.call(&consult, "orders/partner-pay-allowed", &[]).await).await;
    assert_eq!(allowed, false);
    assert_eq!(
        app.call(&prov, "orders/set-consulting-pay", &[("allow", "true")])
            .await
            .status(),
        200
    );
    let (s, _) = order(&app, &consult, "ecs-c7-large", "1", "partner").await;
    assert_eq!(s, 200);
    let _ = (w.consulting, w.resale);

    // Pages: the customer's 待支付 tab and the partner's 待付订单.
    let html = app
        .page(&cust, "/customer/orders?tab=unpaid")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(o["number"].as_str().unwrap())
            && html.contains("继续支付")
            && html.contains("取消订单")
    );
    let html = app
        .page(&prov, "/center/sales/orders")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(o["number"].as_str().unwrap()) && html.contains("待付订单"),
        "{html}"
    );
    let html = app
        .page(
            &prov,
            &format!("/center/sales/orders/{id}?action=partner-pay"),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("确定为客户支付该订单吗") && html.contains("312.00"),
        "{html}"
    );
}

/// The email goes to the configured SMTP server; SMS to the outbox; both sides get messages;
/// two payments at once move the money once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_paid_request_is_mailed_texted_and_paid_exactly_once() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(mut app) = TestApp::database(backend).await else {
            continue;
        };
        let sink = SmtpSink::start().await;
        app.start(&["--smtp-url", &sink.url()]).await;
        let w = world(&app).await;
        let cust = app.signed_in("cust-resale").await;
        let prov = app.signed_in("prov").await;
        let before = app.balance_fen("partner_id", w.provider).await;

        let (s, o) = order(&app, &cust, "gaussdb-basic", "3", "partner").await;
        assert_eq!(s, 200, "{o}");
        let number = o["number"].as_str().unwrap().to_string();
        let mail = sink.wait_for(|m| m.text().contains(&number)).await;
        assert_eq!(mail.to, ["billing@prov.example.com"]);
        let text = mail.text();
        for needle in [
            "cust-resale",
            "云数据库 GaussDB 基础版",
            "3600.00 元",
            "待付订单",
        ] {
            assert!(text.contains(needle), "{needle:?} not in mail:\n{text}");
        }
        // The SMS waits in the outbox (no gateway is configured here: tests/it/delivery.rs
        // sends through one), and says why.
        let mut waiting = 0;
        for _ in 0..50 {
            waiting = app.count("SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND recipient = '13800138000' AND state = 'pending' AND last_error LIKE 'no SMS gateway configured%'").await;
            if waiting == 1 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(waiting, 1);
        // Each side is told of the request (besides the funding notices of the set-up).
        let told = |login: &'static str, kind: &'static str| {
            let app = &app;
            async move {
                app.count(&format!(
                    "SELECT COUNT(*) FROM messages m JOIN users u ON u.id = m.user_id \
                     WHERE u.login = '{login}' AND m.kind = '{kind}' AND m.read_at IS NULL"
                ))
                .await
            }
        };
        assert_eq!(told("prov", "order.requested").await, 1);
        assert_eq!(told("cust-resale", "order.submitted").await, 1);
        let (_, awaiting) =
            json(app.call(&prov, "orders/list", &[("tab", "awaiting")]).await).await;
        assert_eq!(awaiting["items"][0]["number"], number.as_str());

        let id = o["id"].to_string();
        let prov2 = app.signed_in("prov").await;
        let form = [
            ("id", id.as_str()),
            ("action", "partner-pay"),
            ("reason", ""),
        ];
        let url = app.url("/api/orders/act");
        let (a, b) = common::race(
            prov.post(&url).form(&form).send(),
            prov2.post(&url).form(&form).send(),
        )
        .await;
        let mut statuses = [a.unwrap().status().as_u16(), b.unwrap().status().as_u16()];
        statuses.sort();
        assert_eq!(statuses, [200, 409]);
        assert_eq!(
            app.balance_fen("partner_id", w.provider).await,
            before - 360_000
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM fund_transfers WHERE operation = 'PAY'")
                .await,
            1
        );
        let (_, msgs) = json(
            app.call(
                &cust,
                "messages/list",
                &[("filter", "unread"), ("group", "order")],
            )
            .await,
        )
        .await;
        assert!(
            msgs["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["kind"] == "order.paid"),
            "{msgs}"
        );
        app.assert_ledger_sound().await;
    }
}
