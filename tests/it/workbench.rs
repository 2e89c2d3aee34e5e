//! The partner's 工作台: every to-do count and figure equals the records it summarises, on a
//! history built here through the product (both databases), and each member sees only its role's.

use crate::common;
use crate::engagement::join_pce;

use common::{PASSWORD, TestApp, json};
use serde_json::Value;

on_both_backends!(every_count_and_figure_equals_its_records);

fn find<'a>(list: &'a Value, kind: &str) -> Option<&'a Value> {
    list.as_array()?.iter().find(|t| {
        t["key"]
            .as_str()
            .is_some_and(|k| k.ends_with(&format!(".{kind}")))
    })
}

fn count(w: &Value, kind: &str) -> i64 {
    find(&w["todos"], kind).unwrap_or_else(|| panic!("to-do {kind} in {w}"))["count"]
        .as_i64()
        .unwrap()
}

fn money(w: &Value, kind: &str) -> String {
    let f = find(&w["figures"], kind).unwrap_or_else(|| panic!("figure {kind} in {w}"));
    f["value"]["Money"]
        .as_str()
        .unwrap_or_else(|| panic!("{f}"))
        .to_string()
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    app.count(sql).await
}

async fn every_count_and_figure_equals_its_records(app: TestApp) {
    let prov = app.partner("wb-prov", "solution-provider", None);
    let c1 = app.customer(prov, "wb-c1", "resale");
    app.customer(prov, "wb-c2", "consulting");
    app.fund(prov, "1000");
    app.operator("ops");
    let p = app.signed_in("wb-prov").await;
    let workbench = || async {
        let (s, w) = json(app.call(&p, "workbench/partner", &[]).await).await;
        assert_eq!(s, 200, "{w}");
        w
    };
    let empty = workbench().await;
    assert_eq!(count(&empty, "orders"), 0);
    assert_eq!(money(&empty, "allocated"), "0.00");

    // Allocations this month: 100.00 + 50.25 to a customer.
    for (amount, trans) in [("100", "wb-a-1"), ("50.25", "wb-a-2")] {
        let res = app
            .adjust(&p, "Customer", c1, "Allocate", amount, trans)
            .await;
        assert_eq!(res.status(), 200);
    }
    // Two orders the partner is asked to pay.
    let cust = app.signed_in("wb-c1").await;
    for _ in 0..2 {
        let form = [
            ("product", "gaussdb-basic"),
            ("quantity", "1"),
            ("payment", "partner"),
        ];
        let (s, o) = json(app.call(&cust, "orders/create", &form).await).await;
        assert_eq!(s, 200, "{o}");
    }
    // A plan application returned with a reason, and an HO to answer (PCE joined first).
    let ops = app.signed_in("ops").await;
    let apply = [
        ("plan", "capability"),
        ("contact_name", "张伟"),
        ("contact_phone", "13800000000"),
        ("statement", "加入"),
    ];
    let (s, a) = json(app.call(&p, "plans/apply", &apply).await).await;
    assert_eq!(s, 200, "{a}");
    let (_, pending) = json(
        app.call(&ops, "operator/plan-applications", &[("state", "pending")])
            .await,
    )
    .await;
    let id = pending["items"][0]["id"].to_string();
    let (s, r) = json(
        app.call(
            &ops,
            "operator/plan-reject",
            &[("id", &id), ("reason", "材料不全")],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{r}");
    join_pce(&app, "wb-prov", "wb-prov").await;
    let pid = prov.to_string();
    let ho = [
        ("partner", pid.as_str()),
        ("customer", "某某科技"),
        ("product", "ECS"),
        ("amount", "100"),
    ];
    let res = app.call(&ops, "operator/share-ho", &ho).await;
    assert!(res.status().is_success() || res.status().is_redirection());
    // A quota ending within 30 days, another in a year; a coupon of 80.00 issued this month.
    app.cli_ok(&[
        "admin",
        "grant-quota",
        "--partner",
        &pid,
        "--amount",
        "300",
        "--days",
        "10",
    ]);
    let quota = app.grant_quota(prov, "500");
    let issue = [
        ("kind", "coupon"),
        ("quota", &quota.to_string()),
        ("face", "80"),
        ("customers", &c1.to_string()),
        ("trans_id", "wb-issue-1"),
    ];
    let (s, o) = json(app.call(&p, "vouchers/issue", &issue).await).await;
    assert_eq!(s, 200, "{o}");
    // A member invited and not yet joined.
    let invite = [
        ("login", "wb-new"),
        ("email", "new@wb.example.com"),
        ("role", "finance"),
    ];
    assert_eq!(app.call(&p, "members/invite", &invite).await.status(), 200);

    let w = workbench().await;
    let me = app.me(&p).await["id"].as_i64().unwrap();
    let app_ref = &app;
    let records = move |sql: String| async move { scalar(app_ref, &sql).await };
    assert_eq!(count(&w, "orders"), 2);
    assert_eq!(
        count(&w, "orders"),
        records(format!(
            "SELECT COUNT(*) FROM orders WHERE partner_id = {prov} AND state = 'awaiting_partner'"
        ))
        .await
    );
    assert_eq!(count(&w, "hos"), 1);
    let due = find(&w["todos"], "hos").unwrap()["due"]["At"].as_i64();
    assert_eq!(
        due,
        Some(records(format!("SELECT respond_by FROM opportunities WHERE partner_id = {prov} AND direction = 'ho'")).await),
        "the nearest deadline is the HO's"
    );
    assert_eq!(
        count(&w, "plans_returned"),
        1,
        "capability rejected, PCE approved"
    );
    assert_eq!(count(&w, "quotas_expiring"), 1, "the 10-day quota only");
    assert_eq!(
        count(&w, "coupons_expiring"),
        records(format!(
            "SELECT COUNT(*) FROM coupons WHERE partner_id = {prov} AND status = 2 AND expires_at <= {}",
            chrono::Utc::now().timestamp_millis() + 30 * 86_400_000
        ))
        .await
    );
    assert_eq!(count(&w, "member_invitations"), 1);
    assert_eq!(count(&w, "employee_invitations"), 0);
    assert_eq!(
        count(&w, "unread"),
        records(format!(
            "SELECT COUNT(*) FROM messages WHERE user_id = {me} AND read_at IS NULL"
        ))
        .await
    );
    assert!(
        count(&w, "unread") > 0,
        "decisions and money movements told it"
    );
    assert_eq!(money(&w, "allocated"), "150.25");
    assert_eq!(money(&w, "available"), "849.75");
    assert_eq!(money(&w, "issued"), "80.00");
    assert_eq!(money(&w, "used"), "0.00");
    let customers = find(&w["figures"], "customers").unwrap()["value"]["Count"].as_i64();
    assert_eq!(customers, Some(2));
    assert!(
        find(&w["figures"], "resellers").is_none(),
        "not a distributor"
    );
    // Reading every message clears that to-do.
    let read = app.call(&p, "messages/read-all", &[]).await.status();
    assert!(read.is_success() || read.is_redirection(), "{read}");
    assert_eq!(count(&workbench().await, "unread"), 0);

    // A finance member sees money, orders and vouchers; not HOs, plans, paths or the company's.
    let id = pid.as_str();
    app.cli_ok(&[
        "admin",
        "create-member",
        "--partner",
        id,
        "--login",
        "wb-fin",
        "--email",
        "fin@wb.example.com",
        "--role",
        "finance",
        "--password",
        PASSWORD,
    ]);
    let fin = app.signed_in("wb-fin").await;
    let (s, fw) = json(app.call(&fin, "workbench/partner", &[]).await).await;
    assert_eq!(s, 200, "{fw}");
    assert_eq!(count(&fw, "orders"), 2);
    for hidden in ["hos", "plans_returned", "reviews", "member_invitations"] {
        assert!(find(&fw["todos"], hidden).is_none(), "{hidden} in {fw}");
    }
    assert!(find(&fw["figures"], "customers").is_none());
    assert_eq!(money(&fw, "allocated"), "150.25");
    // The home page renders it on the server, links and all.
    let html = app.page(&p, "/center").await.text().await.unwrap();
    assert!(
        html.contains(r#"data-testid="todo-orders""#)
            && html.contains(r#"href="/center/sales/orders?tab=awaiting""#),
        "{html}"
    );
    let orders_fen = records(format!(
        "SELECT CAST(SUM(amount_fen) AS BIGINT) FROM orders WHERE partner_id = {prov} AND state = 'awaiting_partner'"
    ))
    .await;
    let amount = find(&w["todos"], "orders").unwrap()["amount"].clone();
    assert_eq!(
        amount.as_str().map(|a| a.replace('.', "")),
        Some(orders_fen.to_string()),
        "the orders' total, {amount}"
    );

    // The customer's home: its orders waiting (for its partner, for itself), its balance.
    let form = [
        ("product", "gaussdb-basic"),
        ("quantity", "2"),
        ("payment", "self"),
    ];
    let (s, o) = json(app.call(&cust, "orders/create", &form).await).await;
    assert_eq!(s, 200, "{o}");
    let (s, cw) = json(app.call(&cust, "workbench/customer", &[]).await).await;
    assert_eq!(s, 200, "{cw}");
    let c1_orders = |state: &'static str| {
        records(format!(
            "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM orders WHERE customer_id = {c1} AND state = '{state}'"
        ))
    };
    let fen_of = |v: &Value| {
        v.as_str()
            .map(|a| a.replace('.', "").parse::<i64>().unwrap())
    };
    assert_eq!(count(&cw, "awaiting_partner"), 2);
    assert_eq!(
        fen_of(&find(&cw["todos"], "awaiting_partner").unwrap()["amount"]),
        Some(c1_orders("awaiting_partner").await)
    );
    assert_eq!(count(&cw, "unpaid"), 1);
    assert_eq!(
        fen_of(&find(&cw["todos"], "unpaid").unwrap()["amount"]),
        Some(c1_orders("pending_payment").await)
    );
    let cust_id = app.me(&cust).await["id"].as_i64().unwrap();
    assert_eq!(
        count(&cw, "unread"),
        records(format!(
            "SELECT COUNT(*) FROM messages WHERE user_id = {cust_id} AND read_at IS NULL"
        ))
        .await
    );
    assert_eq!(
        count(&cw, "my_coupons_expiring"),
        records(format!(
            "SELECT COUNT(*) FROM coupons WHERE customer_id = {c1} AND status = 2 AND expires_at <= {}",
            chrono::Utc::now().timestamp_millis() + 30 * 86_400_000
        ))
        .await
    );
    assert_eq!(money(&cw, "balance"), "150.25", "what it was allocated");

    // The operator's home: its queues and the programme's money, each equal to the records,
    // and the money held equal to the ledger.
    let (s, ow) = json(app.call(&ops, "workbench/operator", &[]).await).await;
    assert_eq!(s, 200, "{ow}");
    let queue = |kind: &str| {
        find(&ow["queues"], kind).unwrap_or_else(|| panic!("{kind} in {ow}"))["count"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(queue("plans"), 0, "both decided");
    assert_eq!(
        queue("onboarding"),
        records("SELECT COUNT(*) FROM onboarding_applications WHERE state = 'pending'".into())
            .await
    );
    assert_eq!(
        queue("failed"),
        records("SELECT COUNT(*) FROM outbox WHERE state = 'failed'".into()).await
    );
    assert_eq!(queue("funding"), 0);
    assert_eq!(money(&ow, "funded"), "1000.00", "the month's one funding");
    let held = |owner: &'static str| {
        records(format!(
            "SELECT CAST(SUM(balance_fen) AS BIGINT) FROM fund_accounts WHERE owner = '{owner}'"
        ))
    };
    let (partners_fen, customers_fen) = (held("partner").await, held("customer").await);
    let fen = |kind: &str| money(&ow, kind).replace('.', "").parse::<i64>().unwrap();
    assert_eq!(fen("held_partners"), partners_fen);
    assert_eq!(fen("held_customers"), customers_fen);
    assert_eq!(fen("held"), partners_fen + customers_fen);
    assert_eq!(fen("held"), 100_000, "the 1000.00 funded, wherever it went");
    assert_eq!(ow["ledger_agrees"], true);
    let providers = ow["partners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == "solution_provider" && t["hcpn"] == "onboarded")
        .map(|t| t["count"].as_i64().unwrap());
    assert_eq!(
        providers,
        Some(records("SELECT COUNT(*) FROM partners WHERE kind = 'solution_provider' AND hcpn_state = 'onboarded'".into()).await)
    );
    let home = app.page(&ops, "/operator").await.text().await.unwrap();
    assert!(
        home.contains(r#"data-testid="workbench-queues""#) && home.contains("✓"),
        "{home}"
    );

    // 销售 overview: its charts, each equal to the records. The partner pays one order first.
    app.fund(prov, "5000");
    let awaiting = records(format!(
        "SELECT MIN(id) FROM orders WHERE partner_id = {prov} AND state = 'awaiting_partner'"
    ))
    .await
    .to_string();
    let res = app
        .call(
            &p,
            "orders/act",
            &[("id", &awaiting), ("action", "partner-pay")],
        )
        .await;
    assert!(res.status().is_success() || res.status().is_redirection());
    let (s, sales) = json(app.call(&p, "workbench/sales", &[]).await).await;
    assert_eq!(s, 200, "{sales}");
    let chart = |kind: &str| {
        sales["charts"]
            .as_array()
            .and_then(|c| {
                c.iter()
                    .find(|c| c["key"] == format!("workbench.chart.{kind}"))
            })
            .unwrap_or_else(|| panic!("chart {kind} in {sales}"))
            .clone()
    };
    let fen = |v: &Value| v.as_str().unwrap().replace('.', "").parse::<i64>().unwrap();
    let last = |c: &Value, series: usize| {
        fen(&c["points"].as_array().unwrap().last().unwrap()["values"][series])
    };
    let total = |c: &Value, series: usize| {
        c["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| fen(&p["values"][series]))
            .sum::<i64>()
    };
    let balance = chart("balance");
    assert_eq!(balance["points"].as_array().map(Vec::len), Some(90));
    assert_eq!(
        last(&balance, 0),
        records(format!(
            "SELECT balance_fen FROM fund_accounts WHERE partner_id = {prov}"
        ))
        .await,
        "today's close is the balance"
    );
    let flows = chart("flows");
    assert_eq!(flows["points"].as_array().map(Vec::len), Some(12));
    assert_eq!(
        (last(&flows, 0), last(&flows, 1)),
        (15_025, 0),
        "this month: 150.25 allocated"
    );
    assert_eq!(
        total(&flows, 0),
        records(format!(
            "SELECT CAST(SUM(t.amount_fen) AS BIGINT) FROM fund_transfers t JOIN fund_accounts a ON a.id = t.from_account \
             WHERE a.partner_id = {prov} AND t.operation = 'BEADJUST'"
        ))
        .await
    );
    let paid = chart("orders");
    let paid_fen = records(format!(
        "SELECT amount_fen FROM orders WHERE id = {awaiting} AND state = 'paid' AND payer = 'partner'"
    ))
    .await;
    assert!(paid_fen > 0);
    assert_eq!(
        (last(&paid, 0), last(&paid, 1)),
        (0, paid_fen),
        "paid by the partner this month"
    );
    assert_eq!(total(&paid, 1), paid_fen);
    // Current quotas: what went out of each and what remains, oldest of the shown first.
    let quotas = chart("quotas");
    let points = quotas["points"].as_array().unwrap().clone();
    let current = records(format!(
        "SELECT COUNT(*) FROM coupon_quotas WHERE partner_id = {prov} AND status <> 3"
    ))
    .await;
    assert_eq!(points.len() as i64, current, "{quotas}");
    assert!(current >= 2, "two quotas were granted");
    for p in &points {
        let id = p["label"].as_str().unwrap().trim_start_matches('#');
        let (used, left) = (fen(&p["values"][0]), fen(&p["values"][1]));
        assert_eq!(
            left,
            records(format!(
                "SELECT balance_fen FROM coupon_quotas WHERE id = {id}"
            ))
            .await
        );
        assert_eq!(
            used + left,
            records(format!(
                "SELECT value_fen FROM coupon_quotas WHERE id = {id}"
            ))
            .await
        );
    }
    assert!(
        points.iter().any(|p| fen(&p["values"][0]) == 8_000),
        "the 80.00 coupon went out of its quota: {quotas}"
    );
    // A business member has none of these areas: no charts; the page renders the SVG.
    let html = app.page(&p, "/center/sales").await.text().await.unwrap();
    assert_eq!(
        html.matches("<rect").count(),
        90 + 24 + 24 + 2 * points.len(),
        "every bar drawn on the server"
    );
    app.cli_ok(&[
        "admin",
        "create-member",
        "--partner",
        id,
        "--login",
        "wb-biz",
        "--email",
        "biz@wb.example.com",
        "--role",
        "business",
        "--password",
        PASSWORD,
    ]);
    let biz = app.signed_in("wb-biz").await;
    let (s, bs) = json(app.call(&biz, "workbench/sales", &[]).await).await;
    assert_eq!(s, 200, "{bs}");
    assert_eq!(bs["charts"], serde_json::json!([]), "{bs}");

    // Customers and operators have no partner workbench.
    assert_eq!(
        app.call(&cust, "workbench/partner", &[]).await.status(),
        403
    );
    assert_eq!(app.call(&ops, "workbench/partner", &[]).await.status(), 403);
}
