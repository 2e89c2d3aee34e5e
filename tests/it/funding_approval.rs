//! 资金管理 maker–checker (#17): operator funding above the threshold (100 000.00 by default)
//! waits for a second, different operator; approving twice, even at once, moves the money once.

use crate::common;
use common::{TestApp, json, race};
use serde_json::Value;

on_both_backends!(funding_above_the_threshold_waits_for_a_second_operator);

async fn call(app: &TestApp, c: &reqwest::Client, f: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let res = app.call(c, f, form).await;
    json(res).await
}

/// A server-function call that can run on its own task (for `race`).
fn detached(
    c: &reqwest::Client,
    url: String,
    form: Vec<(&'static str, String)>,
) -> impl Future<Output = u16> + Send + 'static {
    let c = c.clone();
    async move {
        c.post(url)
            .form(&form)
            .send()
            .await
            .expect("request")
            .status()
            .as_u16()
    }
}

async fn funding_above_the_threshold_waits_for_a_second_operator(app: TestApp) {
    let partner = app.partner("big-prov", "solution-provider", None);
    let p = partner.to_string();
    app.operator("maker");
    app.operator("checker");
    let maker = app.signed_in("maker").await;
    let checker = app.signed_in("checker").await;
    let balance = || app.balance_fen("partner_id", partner);

    // The preview says which amounts need a second operator: above the threshold, not at it.
    for (amount, needed) in [("100000.00", false), ("100000.01", true)] {
        let (s, v) = call(
            &app,
            &maker,
            "operator/fund-preview",
            &[("partner", &p), ("amount", amount)],
        )
        .await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["needs_approval"], needed, "{amount}: {v}");
    }
    // Funding alone stops at the threshold: above it nothing moves.
    let alone = [
        ("partner", p.as_str()),
        ("amount", "100000.01"),
        ("trans_id", ""),
    ];
    let (s, e) = call(&app, &maker, "operator/fund", &alone).await;
    assert_eq!(
        (s, e["key"].as_str()),
        (409, Some("error.funds.needs_approval"))
    );
    assert_eq!(balance().await, 0);
    // At the threshold the money moves at once.
    let at = [
        ("partner", p.as_str()),
        ("amount", "100000.00"),
        ("trans_id", "at-1"),
    ];
    let (s, v) = call(&app, &maker, "operator/fund-request", &at).await;
    assert_eq!(s, 200, "{v}");
    assert!(v.get("funded").is_some(), "{v}");
    assert_eq!(balance().await, 10_000_000);

    // Above it: a request, nothing moved; the same transaction id again is the same request,
    // and with another amount it is refused.
    let big = [
        ("partner", p.as_str()),
        ("amount", "250000.00"),
        ("trans_id", "big-1"),
    ];
    let (s, v) = call(&app, &maker, "operator/fund-request", &big).await;
    assert_eq!(s, 200, "{v}");
    let request = v["requested"]["request"].as_i64().expect("a request");
    let (_, again) = call(&app, &maker, "operator/fund-request", &big).await;
    assert_eq!(again["requested"]["request"], request);
    let other = [
        ("partner", p.as_str()),
        ("amount", "260000.00"),
        ("trans_id", "big-1"),
    ];
    let (s, e) = call(&app, &maker, "operator/fund-request", &other).await;
    assert_eq!(
        (s, e["key"].as_str()),
        (409, Some("error.funds.trans_id_reused"))
    );
    assert_eq!(balance().await, 10_000_000);
    let (_, pending) = call(
        &app,
        &checker,
        "operator/funding-requests",
        &[("state", "pending")],
    )
    .await;
    assert_eq!(pending["total"], 1, "{pending}");
    assert_eq!(pending["items"][0]["requester"], "maker");
    assert_eq!(pending["items"][0]["amount"], "250000.00");

    // Not by its maker, not by a partner.
    let r = request.to_string();
    let (s, e) = call(&app, &maker, "operator/fund-approve", &[("request", &r)]).await;
    assert_eq!(
        (s, e["key"].as_str()),
        (409, Some("error.funds.own_request"))
    );
    let partner_user = app.signed_in("big-prov").await;
    assert_eq!(
        call(
            &app,
            &partner_user,
            "operator/fund-approve",
            &[("request", &r)]
        )
        .await
        .0,
        403
    );
    assert_eq!(
        call(&app, &partner_user, "operator/funding-requests", &[])
            .await
            .0,
        403
    );
    assert_eq!(balance().await, 10_000_000);

    // The checker approves it twice at the same moment: once succeeds, the money moves once.
    let url = app.url("/api/operator/fund-approve");
    let (a, b) = race(
        detached(&checker, url.clone(), vec![("request", r.clone())]),
        detached(&checker, url, vec![("request", r.clone())]),
    )
    .await;
    let mut answers = [a, b];
    answers.sort();
    assert_eq!(answers, [200, 409], "one approval, one refusal");
    assert_eq!(balance().await, 35_000_000);
    let (s, e) = call(&app, &checker, "operator/fund-approve", &[("request", &r)]).await;
    assert_eq!(
        (s, e["key"].as_str()),
        (409, Some("error.funds.request_decided"))
    );
    assert_eq!(balance().await, 35_000_000);
    let audit = |action: &'static str, actor: &'static str| {
        let sql = format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND actor = '{actor}'"
        );
        let app = &app;
        async move { app.count(&sql).await }
    };
    assert_eq!(audit("funds.fund_requested", "maker").await, 1);
    assert_eq!(audit("funds.fund_approved", "checker").await, 1);
    assert_eq!(audit("funds.FUND", "checker").await, 1);
    // The partner was told once.
    let told = app
        .count("SELECT COUNT(*) FROM messages WHERE kind = 'funds.allocated'")
        .await;
    assert_eq!(told, 2, "the direct funding and the approved one");

    // A request is rejected (or withdrawn by its maker) with a reason, and then cannot be approved.
    let second = [
        ("partner", p.as_str()),
        ("amount", "300000.00"),
        ("trans_id", "big-2"),
    ];
    let (_, v) = call(&app, &maker, "operator/fund-request", &second).await;
    let r2 = v["requested"]["request"].as_i64().unwrap().to_string();
    let (s, e) = call(
        &app,
        &maker,
        "operator/fund-reject",
        &[("request", &r2), ("reason", "")],
    )
    .await;
    assert_eq!(
        (s, e["key"].as_str()),
        (400, Some("error.plans.reason_required")),
        "{e}"
    );
    let (s, _) = call(
        &app,
        &maker,
        "operator/fund-reject",
        &[("request", &r2), ("reason", "金额有误")],
    )
    .await;
    assert_eq!(s, 200);
    let (s, e) = call(&app, &checker, "operator/fund-approve", &[("request", &r2)]).await;
    assert_eq!(
        (s, e["key"].as_str()),
        (409, Some("error.funds.request_decided"))
    );
    assert_eq!(
        call(
            &app,
            &checker,
            "operator/fund-approve",
            &[("request", "99999")]
        )
        .await
        .0,
        404
    );
    assert_eq!(balance().await, 35_000_000);
    let (_, all) = call(&app, &checker, "operator/funding-requests", &[]).await;
    let states: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["rejected", "approved"], "newest first");
    assert_eq!(all["items"][0]["reason"], "金额有误");

    app.assert_ledger_sound().await;
    app.assert_audit_sound().await;
}
