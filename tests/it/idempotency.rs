//! The same idempotency key sent several times at the same moment (a barrier releases every
//! request together) moves money once, on both backends: the console's 拨款, the operator's
//! funding, a distributor's quota issue and reclaim, and the API Explorer's 拨款.

use crate::common;

use common::{TestApp, json};
use serde_json::Value;
use std::collections::HashSet;

/// How many copies of one request leave at once.
const COPIES: usize = 6;

on_both_backends!(
    concurrent_console_adjustments_with_one_key_move_money_once,
    concurrent_operator_funding_with_one_key_moves_money_once,
    concurrent_quota_issue_and_reclaim_with_one_key_happen_once,
    the_explorer_moves_money_once_per_client_token,
);

/// `COPIES` posts of the same form to a server function, released together; each answer's
/// status and JSON body, in order.
async fn burst(
    app: &TestApp,
    clients: &[reqwest::Client],
    endpoint: &str,
    form: &[(&str, &str)],
) -> Vec<(u16, Value)> {
    let url = app.url(&format!("/api/{endpoint}"));
    let form: Vec<(String, String)> = form
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let copies = (0..COPIES)
        .map(|i| {
            let request = clients[i % clients.len()].post(&url).form(&form);
            async move { json(request.send().await.expect("request")).await }
        })
        .collect();
    common::race_all(copies).await
}

/// Several signed-in sessions of one user, each already connected (a first call made), so the
/// burst is not staggered by connection set-up.
async fn sessions(app: &TestApp, login: &str, n: usize) -> Vec<reqwest::Client> {
    let mut out = Vec::new();
    for _ in 0..n {
        let c = app.signed_in(login).await;
        assert_eq!(app.call(&c, "me", &[]).await.status(), 200);
        out.push(c);
    }
    out
}

async fn concurrent_console_adjustments_with_one_key_move_money_once(app: TestApp) {
    let dist = app.partner("dist", "distributor", None);
    let res = app.partner("res", "reseller", Some(dist));
    app.fund(dist, "100");
    let clients = sessions(&app, "dist", 3).await;
    let res_s = res.to_string();
    let allocate = |amount: &'static str, key: &'static str| {
        let form = [
            ("target", "Reseller"),
            ("id", res_s.as_str()),
            ("direction", "Allocate"),
            ("amount", amount),
            ("trans_id", key),
        ];
        let (app, clients) = (&app, &clients);
        async move { burst(app, clients, "funds/adjust", &form).await }
    };
    let answers = allocate("12.34", "burst-1").await;
    let mut transfers = HashSet::new();
    for (s, v) in &answers {
        assert_eq!(*s, 200, "{v}");
        transfers.insert(v["trans_id"].to_string());
    }
    assert_eq!(
        transfers.len(),
        1,
        "one transaction for every copy: {answers:?}"
    );
    assert_eq!(app.balance_fen("partner_id", res).await, 1234);
    assert_eq!(app.balance_fen("partner_id", dist).await, 10_000 - 1234);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM fund_transfers WHERE trans_id = 'burst-1'")
            .await,
        1
    );
    // The same key at once for a different amount: refused every time, nothing more moves.
    let answers = allocate("1", "burst-1").await;
    for (s, v) in &answers {
        assert_eq!(
            (*s, v["key"].as_str()),
            (409, Some("error.funds.trans_id_reused")),
            "{v}"
        );
    }
    assert_eq!(app.balance_fen("partner_id", res).await, 1234);
    // Everything that is left, at once: the copies that look after the first committed find
    // the balance empty, yet they are the same request and answer its receipt (not "余额不足").
    let answers = allocate("87.66", "burst-2").await;
    for (s, v) in &answers {
        assert_eq!((*s, v["trans_id"].as_str()), (200, Some("burst-2")), "{v}");
    }
    assert_eq!(app.balance_fen("partner_id", dist).await, 0);
    assert_eq!(app.balance_fen("partner_id", res).await, 10_000);
    app.assert_ledger_sound().await;
}

async fn concurrent_operator_funding_with_one_key_moves_money_once(app: TestApp) {
    let prov = app.partner("prov", "solution-provider", None);
    app.operator("ops");
    let clients = sessions(&app, "ops", 3).await;
    let prov_s = prov.to_string();
    let answers = burst(
        &app,
        &clients,
        "operator/fund",
        &[
            ("partner", &prov_s),
            ("amount", "50"),
            ("trans_id", "wire-77"),
        ],
    )
    .await;
    for (s, v) in &answers {
        // The server function answers the receipt; a form post is redirected to the console.
        assert_eq!(*s, 200, "{v}");
        assert_eq!(v["trans_id"], "wire-77", "{v}");
    }
    assert_eq!(app.balance_fen("partner_id", prov).await, 5000);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM fund_transfers WHERE operation = 'FUND'")
            .await,
        1
    );
    app.assert_ledger_sound().await;
}

async fn concurrent_quota_issue_and_reclaim_with_one_key_happen_once(app: TestApp) {
    let dist = app.partner("dist", "distributor", None);
    let res = app.partner("res", "reseller", Some(dist));
    let parent = app.grant_quota(dist, "5000");
    let clients = sessions(&app, "dist", 3).await;
    let (parent_s, res_s) = (parent.to_string(), res.to_string());
    let answers = burst(
        &app,
        &clients,
        "vouchers/quota-issue",
        &[
            ("quota", &parent_s),
            ("resellers", &res_s),
            ("amount", "1000"),
            ("trans_id", "give-1"),
        ],
    )
    .await;
    let mut children = HashSet::new();
    for (s, v) in &answers {
        assert_eq!(*s, 200, "{v}");
        children.insert(v["items"][0]["id"].as_i64().expect("child quota"));
    }
    assert_eq!(
        children.len(),
        1,
        "one child quota for every copy: {answers:?}"
    );
    assert_eq!(app.quota_balance(parent).await, 400_000);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM coupon_quotas WHERE parent_id = {parent}"
        ))
        .await,
        1
    );
    let child = children.into_iter().next().unwrap().to_string();
    let answers = burst(
        &app,
        &clients,
        "vouchers/quota-reclaim",
        &[("ids", &child), ("trans_id", "take-1")],
    )
    .await;
    for (s, v) in &answers {
        assert_eq!((*s, v["total"].as_str()), (200, Some("1000.00")), "{v}");
    }
    assert_eq!(app.quota_balance(parent).await, 500_000);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM voucher_records WHERE operation = 11")
            .await,
        1,
        "one take-back record"
    );
}

async fn the_explorer_moves_money_once_per_client_token(app: TestApp) {
    let dist = app.partner("dist", "distributor", None);
    let res = app.partner("res", "reseller", Some(dist));
    app.fund(dist, "100");
    let clients = sessions(&app, "dist", 2).await;
    let body = format!(r#"{{"indirect_partner_id":"{res}","amount":"3.00"}}"#);
    // The Explorer's 拨款 changes the balance (and says so in its exchange).
    let (s, x) = json(
        app.call(
            &clients[0],
            "openapi/explore",
            &[
                ("operation", "update_indirect_partner_account"),
                ("body", &body),
            ],
        )
        .await,
    )
    .await;
    assert_eq!((s, x["status"].as_u64()), (200, Some(200)), "{x}");
    assert_eq!(app.balance_fen("partner_id", res).await, 300);
    assert_eq!(app.balance_fen("partner_id", dist).await, 9_700);
    // The same client token from two tabs at once: one transfer, the same answer.
    let answers = burst(
        &app,
        &clients,
        "openapi/explore",
        &[
            ("operation", "update_indirect_partner_account"),
            ("body", &body),
            ("client_token", "tab-key-1"),
        ],
    )
    .await;
    let mut ids = HashSet::new();
    for (s, x) in &answers {
        assert_eq!((*s, x["status"].as_u64()), (200, Some(200)), "{x}");
        let inner: Value = serde_json::from_str(x["response_body"].as_str().unwrap()).unwrap();
        ids.insert(inner["transfer_id"].to_string());
    }
    assert_eq!(ids.len(), 1, "{answers:?}");
    assert_eq!(app.balance_fen("partner_id", res).await, 600);
    app.assert_ledger_sound().await;
}
