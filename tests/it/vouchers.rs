//! 券管理 on both databases: issuing coupons and pickup vouchers from quotas with every refusal
//! and its error code, reclaim (single and batch), expiry by time, distributors' quotas for
//! resellers, idempotent retries, and quota conservation under concurrent issuing.

use crate::common;

use common::{PASSWORD, TestApp, json};
use serde_json::Value;

on_both_backends!(
    coupons_issue_and_reclaim_with_every_refusal,
    expired_coupons_cannot_be_reclaimed_and_return_to_their_quota,
    distributors_give_and_take_back_reseller_quotas,
    pickup_vouchers_need_the_whitelist_and_reclaim_in_batches,
    concurrent_issuing_never_overdraws_a_quota,
    coupons_pay_part_of_an_order_and_go_back_to_the_quota_on_refund,
    api_lists_filter_and_page_in_sql_past_a_thousand,
    operators_grant_quotas_and_set_their_status_in_the_browser,
);

fn grant(app: &TestApp, partner: i64, kind: &str, amount: &str, max_face: Option<&str>) -> i64 {
    let p = partner.to_string();
    let mut args = vec![
        "admin",
        "grant-quota",
        "--partner",
        &p,
        "--kind",
        kind,
        "--amount",
        amount,
    ];
    if let Some(m) = max_face {
        args.extend(["--max-face", m]);
    }
    app.cli_ok(&args)["quota_id"].as_i64().unwrap()
}

async fn issue(
    app: &TestApp,
    c: &reqwest::Client,
    kind: &str,
    quota: i64,
    face: &str,
    customers: &[i64],
    trans_id: &str,
) -> (u16, Value) {
    let quota = quota.to_string();
    let customers = customers
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    json(
        app.call(
            c,
            "vouchers/issue",
            &[
                ("kind", kind),
                ("quota", &quota),
                ("face", face),
                ("min_order", "0"),
                ("customers", &customers),
                ("remark", "年终回馈"),
                ("trans_id", trans_id),
            ],
        )
        .await,
    )
    .await
}

async fn reclaim(
    app: &TestApp,
    c: &reqwest::Client,
    kind: &str,
    ids: &[i64],
    trans_id: &str,
) -> (u16, Value) {
    let ids = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    json(
        app.call(
            c,
            "vouchers/reclaim",
            &[("kind", kind), ("ids", &ids), ("trans_id", trans_id)],
        )
        .await,
    )
    .await
}

/// The voucher invariants: per quota, balance = value − issued + returned − given + taken back;
/// per coupon, balance = face − reclaimed; nothing negative.
async fn assert_vouchers_sound(app: &TestApp) {
    let bad_quotas = app
        .count(
            "SELECT COUNT(*) FROM coupon_quotas q WHERE q.balance_fen <> q.value_fen \
               - CAST(COALESCE((SELECT SUM(r.amount_fen) FROM voucher_records r WHERE r.quota_id = q.id AND r.operation = 1), 0) AS BIGINT) \
               + CAST(COALESCE((SELECT SUM(r.amount_fen) FROM voucher_records r WHERE r.quota_id = q.id AND r.operation IN (2, 3, 4, 5)), 0) AS BIGINT) \
               - CAST(COALESCE((SELECT SUM(r.amount_fen) FROM voucher_records r WHERE r.parent_quota_id = q.id AND r.operation = 10), 0) AS BIGINT) \
               + CAST(COALESCE((SELECT SUM(r.amount_fen) FROM voucher_records r WHERE r.parent_quota_id = q.id AND r.operation = 11), 0) AS BIGINT) \
               - CAST(COALESCE((SELECT SUM(r.amount_fen) FROM voucher_records r WHERE r.quota_id = q.id AND r.operation = 11), 0) AS BIGINT)",
        )
        .await;
    assert_eq!(
        bad_quotas, 0,
        "every quota balance replays from its records"
    );
    let bad_coupons = app
        .count(
            "SELECT COUNT(*) FROM coupons k WHERE k.balance_fen <> k.face_fen \
               - CAST(COALESCE((SELECT SUM(r.amount_fen) FROM voucher_records r WHERE r.coupon_id = k.id AND r.operation IN (2, 3, 4)), 0) AS BIGINT) \
               - CAST(COALESCE((SELECT SUM(u.amount_fen) FROM coupon_uses u WHERE u.coupon_id = k.id), 0) AS BIGINT)",
        )
        .await;
    assert_eq!(
        bad_coupons, 0,
        "every coupon balance replays from its records"
    );
    let negative = app
        .count(
            "SELECT COUNT(*) FROM coupon_quotas WHERE balance_fen < 0 OR balance_fen > value_fen",
        )
        .await
        + app
            .count("SELECT COUNT(*) FROM coupons WHERE balance_fen < 0 OR balance_fen > face_fen")
            .await;
    assert_eq!(negative, 0);
}

fn code(v: &Value) -> &str {
    v["code"].as_str().unwrap_or_default()
}

async fn coupons_issue_and_reclaim_with_every_refusal(app: TestApp) {
    let prov = app.partner("prov", "solution-provider", None);
    let other = app.partner("other", "solution-provider", None);
    let r1 = app.customer(prov, "c-r1", "resale");
    let r2 = app.customer(prov, "c-r2", "resale");
    let consult = app.customer(prov, "c-cons", "consulting");
    let foreign = app.customer(other, "c-foreign", "resale");
    let quota = grant(&app, prov, "coupon", "1000", Some("300"));
    let c = app.signed_in("prov").await;

    // Preview moves nothing and shows the quota before and after.
    let (s, p) = json(
        app.call(
            &c,
            "vouchers/issue-preview",
            &[
                ("kind", "coupon"),
                ("quota", &quota.to_string()),
                ("face", "200"),
                ("customers", &format!("{r1},{r2}")),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["total"], "400.00");
    assert_eq!(p["quota_after"], "600.00");
    assert_eq!(app.quota_balance(quota).await, 100_000);

    let (s, o) = issue(&app, &c, "coupon", quota, "200", &[r1, r2], "t-1").await;
    assert_eq!(s, 200, "{o}");
    assert_eq!(o["items"].as_array().unwrap().len(), 2);
    assert_eq!(o["quota_balance_after"], "600.00");
    assert_eq!(app.quota_balance(quota).await, 60_000);
    // A retry with the same id replays; the same id for another request is refused.
    let (s, again) = issue(&app, &c, "coupon", quota, "200", &[r1, r2], "t-1").await;
    assert_eq!(s, 200);
    assert_eq!(again["replayed"], true);
    assert_eq!(again["items"], o["items"]);
    assert_eq!(app.count("SELECT COUNT(*) FROM coupons").await, 2);
    let (s, e) = issue(&app, &c, "coupon", quota, "100", &[r1], "t-1").await;
    assert_eq!((s, code(&e)), (409, "CBC.0153"), "{e}");

    // Every refusal has its code and changes nothing.
    let cases: Vec<(&str, i64, Vec<i64>, u16, &str)> = vec![
        ("50", quota, vec![consult], 409, "CBC.5021"),
        ("50", quota, vec![foreign], 409, "CBC.50000021"),
        ("300.01", quota, vec![r1], 409, "CBC.30000013"),
        ("0", quota, vec![r1], 400, "CBC.30000013"),
        ("12.345", quota, vec![r1], 400, "CBC.30000013"),
        ("50", quota, vec![r1, r2, r1 + 1000], 409, "CBC.50000021"),
        ("50", 999_999, vec![r1], 409, "CBC.30000010"),
    ];
    for (i, (face, q, cs, status, want)) in cases.into_iter().enumerate() {
        let (s, e) = issue(&app, &c, "coupon", q, face, &cs, &format!("bad-{i}")).await;
        assert_eq!((s, code(&e)), (status, want), "case {i}: {e}");
    }
    // 3 × 300 > 600 left.
    let r3 = app.customer(prov, "c-r3", "resale");
    let (s, e) = issue(&app, &c, "coupon", quota, "300", &[r1, r2, r3], "over").await;
    assert_eq!((s, code(&e)), (409, "CBC.30000012"), "{e}");
    let eleven: Vec<i64> = (1..=11).collect();
    let (s, e) = issue(&app, &c, "coupon", quota, "1", &eleven, "eleven").await;
    assert_eq!((s, code(&e)), (400, "CBC.30000014"), "{e}");
    // Another partner cannot use this quota.
    let oc = app.signed_in("other").await;
    let (s, e) = issue(&app, &oc, "coupon", quota, "10", &[foreign], "theirs").await;
    assert_eq!((s, code(&e)), (409, "CBC.30000010"), "{e}");
    // 额度调整中 and 冻结 refuse issuing; 正常 again issues.
    for status in ["4", "5", "3"] {
        app.cli_ok(&[
            "admin",
            "set-quota-status",
            "--quota",
            &quota.to_string(),
            "--status",
            status,
        ]);
        let (s, e) = issue(
            &app,
            &c,
            "coupon",
            quota,
            "10",
            &[r1],
            &format!("st-{status}"),
        )
        .await;
        assert_eq!((s, code(&e)), (409, "CBC.30000011"), "status {status}: {e}");
    }
    app.cli_ok(&[
        "admin",
        "set-quota-status",
        "--quota",
        &quota.to_string(),
        "--status",
        "0",
    ]);
    assert_eq!(app.quota_balance(quota).await, 60_000);
    assert_eq!(app.count("SELECT COUNT(*) FROM coupons").await, 2);

    // Listing shows them usable; the other partner sees none.
    let (s, list) = json(
        app.call(
            &c,
            "vouchers/coupons",
            &[("kind", "coupon"), ("status", "2")],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(list["total"], 2, "{list}");
    let ids: Vec<i64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_i64().unwrap())
        .collect();
    let (_, theirs) = json(
        app.call(&oc, "vouchers/coupons", &[("kind", "coupon")])
            .await,
    )
    .await;
    assert_eq!(theirs["total"], 0);
    let (s, e) = reclaim(&app, &oc, "coupon", &ids[..1], "steal").await;
    assert_eq!((s, code(&e)), (409, "CBC.30000017"), "{e}");

    // Reclaim takes the whole balance back to the quota, once.
    let (s, r) = reclaim(&app, &c, "coupon", &ids[..1], "rc-1").await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["total"], "200.00");
    assert_eq!(app.quota_balance(quota).await, 80_000);
    let (s, again) = reclaim(&app, &c, "coupon", &ids[..1], "rc-1").await;
    assert_eq!((s, again["replayed"].as_bool()), (200, Some(true)));
    let (s, e) = reclaim(&app, &c, "coupon", &ids[..1], "rc-2").await;
    assert_eq!((s, code(&e)), (409, "CBC.30000015"), "{e}");
    // A batch with a reclaimed coupon in it changes nothing.
    let (s, e) = reclaim(&app, &c, "coupon", &ids, "rc-3").await;
    assert_eq!((s, code(&e)), (409, "CBC.30000015"), "{e}");
    assert_eq!(app.quota_balance(quota).await, 80_000);

    // The operation log and its CSV.
    let (_, rec) = json(
        app.call(&c, "vouchers/records", &[("kind", "coupon")])
            .await,
    )
    .await;
    let ops: Vec<&str> = rec["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["operation"].as_str().unwrap())
        .collect();
    assert_eq!(rec["total"], 3, "{rec}");
    assert_eq!(ops, ["Reclaim", "Issue", "Issue"]);
    let (_, only2) = json(
        app.call(
            &c,
            "vouchers/records",
            &[("kind", "coupon"), ("operation", "2")],
        )
        .await,
    )
    .await;
    assert_eq!(only2["total"], 1, "{only2}");
    let csv = c
        .get(app.url("/center/sales/vouchers/records.csv?tab=coupon&operation=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.contains("发放") && text.contains("年终回馈"), "{text}");
    assert_vouchers_sound(&app).await;

    // An export holds every matching row (more than the old 10 000-row window, read in batches),
    // as CSV and as XLSX. (Copied records, so the quota arithmetic is not checked after this
    // point. The refusal past the export limit is `domain::export`'s unit test: a million rows.)
    let copy = |n: u32| {
        let app = &app;
        async move {
            let pool = app.db().await;
            sqlx::query(&format!(
                "INSERT INTO voucher_records (partner_id, kind, operation, quota_id, coupon_id, customer_id, \
                    amount_fen, remark, actor_user_id, actor, created_at) \
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) \
                 SELECT r.partner_id, r.kind, r.operation, r.quota_id, r.coupon_id, r.customer_id, r.amount_fen, \
                    r.remark, r.actor_user_id, r.actor, r.created_at \
                 FROM voucher_records r, n WHERE r.id = (SELECT MIN(id) FROM voucher_records WHERE operation = 1 AND kind = 'coupon')"
            ))
            .execute(&pool)
            .await
            .expect("copy records");
            pool.close().await;
        }
    };
    copy(12_000).await;
    let path = "/center/sales/vouchers/records.csv?tab=coupon&operation=1";
    let res = c.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap().lines().count(), 1 + 2 + 12_000);
    let xlsx = c
        .get(app.url("/center/sales/vouchers/records.xlsx?tab=coupon&operation=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), 200);
    let rows = common::xlsx_rows(&xlsx.bytes().await.unwrap());
    assert_eq!(rows.len(), 1 + 2 + 12_000);
    assert_eq!(rows[0][0], "operation_type");
    assert!(rows.iter().skip(1).all(|r| r[0] == "1"), "{:?}", &rows[..3]);
}

async fn expired_coupons_cannot_be_reclaimed_and_return_to_their_quota(app: TestApp) {
    let prov = app.partner("prov", "solution-provider", None);
    let r1 = app.customer(prov, "c-r1", "resale");
    let quota = grant(&app, prov, "coupon", "500", None);
    let c = app.signed_in("prov").await;
    let (s, o) = issue(&app, &c, "coupon", quota, "120", &[r1], "t-1").await;
    assert_eq!(s, 200, "{o}");
    let id = o["items"][0]["id"].as_i64().unwrap();
    // The clock passes the expiry: one millisecond ago.
    let pool = app.db().await;
    sqlx::query(&format!(
        "UPDATE coupons SET expires_at = {} WHERE id = {id}",
        chrono::Utc::now().timestamp_millis() - 1
    ))
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    let (s, e) = reclaim(&app, &c, "coupon", &[id], "late").await;
    assert_eq!((s, code(&e)), (409, "CBC.30000015"), "{e}");
    // The sweep (run before reads and writes) recorded 过期回收 and returned the balance.
    let (_, list) = json(
        app.call(
            &c,
            "vouchers/coupons",
            &[("kind", "coupon"), ("status", "4")],
        )
        .await,
    )
    .await;
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(list["items"][0]["status"], "Expired");
    assert_eq!(list["items"][0]["balance"], "0.00");
    assert_eq!(app.quota_balance(quota).await, 50_000);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM voucher_records WHERE operation = 4 AND amount_fen = 12000"
        )
        .await,
        1
    );
    // The customer sees it expired too.
    let cust = app.signed_in("c-r1").await;
    let (s, mine) = json(app.call(&cust, "vouchers/mine", &[]).await).await;
    assert_eq!(s, 200);
    assert_eq!(mine["coupons"][0]["status"], "Expired");
    assert_vouchers_sound(&app).await;
}

async fn distributors_give_and_take_back_reseller_quotas(app: TestApp) {
    let dist = app.partner("dist", "distributor", None);
    let res = app.partner("res", "reseller", Some(dist));
    let other_dist = app.partner("dist2", "distributor", None);
    let foreign_res = app.partner("res2", "reseller", Some(other_dist));
    let prov = app.partner("prov", "solution-provider", None);
    let rc = app.customer(res, "c-of-res", "resale");
    let parent = grant(&app, dist, "coupon", "5000", Some("800"));
    let prov_quota = grant(&app, prov, "coupon", "100", None);
    let d = app.signed_in("dist").await;
    let give = |quota: i64, resellers: String, trans: &'static str| {
        let app = &app;
        let d = d.clone();
        async move {
            json(
                app.call(
                    &d,
                    "vouchers/quota-issue",
                    &[
                        ("quota", &quota.to_string()),
                        ("resellers", &resellers),
                        ("amount", "1000"),
                        ("trans_id", trans),
                    ],
                )
                .await,
            )
            .await
        }
    };
    let (s, e) = give(parent, foreign_res.to_string(), "g-0").await;
    assert_eq!((s, code(&e)), (409, "CBC.0151"), "{e}");
    let (s, o) = give(parent, res.to_string(), "g-1").await;
    assert_eq!(s, 200, "{o}");
    assert_eq!(app.quota_balance(parent).await, 400_000);
    let child = o["items"][0]["id"].as_i64().unwrap();
    // A solution provider is not a distributor.
    let p = app.signed_in("prov").await;
    let (s, e) = json(
        app.call(
            &p,
            "vouchers/quota-issue",
            &[
                ("quota", &prov_quota.to_string()),
                ("resellers", &res.to_string()),
                ("amount", "1"),
                ("trans_id", "x"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!((s, code(&e)), (409, "CBC.0151"), "{e}");
    let (s, e) = json(app.call(&p, "vouchers/issued-quotas", &[]).await).await;
    assert_eq!((s, code(&e)), (409, "CBC.0151"), "{e}");

    // The reseller sees its quota and issues from it within the inherited face limit.
    let r = app.signed_in("res").await;
    let (_, quotas) = json(app.call(&r, "vouchers/quotas", &[("kind", "coupon")]).await).await;
    assert_eq!(quotas["items"][0]["id"], child, "{quotas}");
    assert_eq!(quotas["items"][0]["max_face"], "800.00");
    let (s, e) = issue(&app, &r, "coupon", child, "900", &[rc], "r-0").await;
    assert_eq!((s, code(&e)), (409, "CBC.30000013"), "{e}");
    let (s, o) = issue(&app, &r, "coupon", child, "300", &[rc], "r-1").await;
    assert_eq!(s, 200, "{o}");
    // The distributor lists what it gave and takes back what is left (700).
    let (_, given) = json(app.call(&d, "vouchers/issued-quotas", &[]).await).await;
    assert_eq!(given["items"][0]["balance"], "700.00", "{given}");
    assert_eq!(given["items"][0]["reseller_name"], "res");
    let (s, t) = json(
        app.call(
            &d,
            "vouchers/quota-reclaim",
            &[
                ("ids", &child.to_string()),
                ("remark", "季度调整"),
                ("trans_id", "tb-1"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{t}");
    assert_eq!(t["total"], "700.00");
    assert_eq!(app.quota_balance(parent).await, 470_000);
    assert_eq!(
        app.count(&format!(
            "SELECT status FROM coupon_quotas WHERE id = {child}"
        ))
        .await,
        3
    );
    // Taken back once; the reseller can no longer issue from it.
    let (s, e) = json(
        app.call(
            &d,
            "vouchers/quota-reclaim",
            &[("ids", &child.to_string()), ("trans_id", "tb-2")],
        )
        .await,
    )
    .await;
    assert_eq!((s, code(&e)), (409, "CBC.30000011"), "{e}");
    let (s, e) = issue(&app, &r, "coupon", child, "1", &[rc], "r-2").await;
    assert_eq!((s, code(&e)), (409, "CBC.30000011"), "{e}");
    // Another distributor cannot take it.
    let d2 = app.signed_in("dist2").await;
    let (s, e) = json(
        app.call(
            &d2,
            "vouchers/quota-reclaim",
            &[("ids", &child.to_string()), ("trans_id", "tb-3")],
        )
        .await,
    )
    .await;
    assert_eq!((s, code(&e)), (409, "CBC.30000010"), "{e}");
    // Both logs show the movements.
    let (_, rec) = json(
        app.call(&r, "vouchers/records", &[("kind", "coupon")])
            .await,
    )
    .await;
    assert_eq!(rec["total"], 3, "reseller sees 10, 1, 11: {rec}");
    assert_vouchers_sound(&app).await;
}

async fn pickup_vouchers_need_the_whitelist_and_reclaim_in_batches(app: TestApp) {
    let prov = app.partner("prov", "solution-provider", None);
    let r1 = app.customer(prov, "c-r1", "resale");
    let r2 = app.customer(prov, "c-r2", "resale");
    let consult = app.customer(prov, "c-cons", "consulting");
    let quota = grant(&app, prov, "pickup", "1000", None);
    let coupon_quota = grant(&app, prov, "coupon", "1000", None);
    let c = app.signed_in("prov").await;
    let (s, e) = issue(&app, &c, "pickup", quota, "100", &[r1], "p-0").await;
    assert_eq!((s, code(&e)), (409, "CBC.30000016"), "{e}");
    // Pickup vouchers come from pickup quotas only.
    let (s, e) = issue(&app, &c, "pickup", coupon_quota, "100", &[r1], "p-x").await;
    assert_eq!((s, code(&e)), (409, "CBC.30000010"), "{e}");
    // The whitelist is granted by an operator, per partner; the partner only reads it.
    app.operator("ops");
    let ops = app.signed_in("ops").await;
    let set = |who: &reqwest::Client, partner: i64, customer: i64, action: &'static str| {
        let (app, who) = (&app, who.clone());
        async move {
            json(
                app.call(
                    &who,
                    "operator/whitelist-set",
                    &[
                        ("partner", &partner.to_string()),
                        ("customer", &customer.to_string()),
                        ("action", action),
                    ],
                )
                .await,
            )
            .await
        }
    };
    let wl = |customer: i64, action: &'static str| set(&ops, prov, customer, action);
    let before = app.snapshot(&["sessions"]).await;
    assert_eq!(
        set(&c, prov, r1, "add").await.0,
        403,
        "a partner cannot whitelist"
    );
    let gone = app
        .call(
            &c,
            "vouchers/whitelist-set",
            &[("customer", &r1.to_string()), ("action", "add")],
        )
        .await
        .status()
        .as_u16();
    // No such server function any more: no route for a POST there.
    assert!(
        matches!(gone, 404 | 405),
        "the partner's own whitelist endpoint is gone: {gone}"
    );
    TestApp::assert_unchanged(
        &before,
        &app.snapshot(&["sessions"]).await,
        "a partner's whitelisting",
    );
    let (s, e) = wl(consult, "add").await;
    assert_eq!((s, code(&e)), (409, "CBC.5021"), "{e}");
    let other = app.partner("other", "solution-provider", None);
    let (s, e) = set(&ops, other, r1, "add").await;
    assert_eq!(
        (s, code(&e)),
        (409, "CBC.50000021"),
        "another partner's customer: {e}"
    );
    // The console offers the partner and its resale customers not yet on the list.
    let (s, console) = json(
        app.call(
            &ops,
            "operator/whitelist",
            &[("partner", &prov.to_string())],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{console}");
    let candidates: Vec<i64> = console["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[0].as_i64().unwrap())
        .collect();
    assert_eq!(candidates, [r1, r2], "resale customers only: {console}");
    assert!(
        console["partners"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p[0] == prov)
    );
    assert_eq!(wl(r1, "add").await.0, 200);
    assert_eq!(wl(r2, "add").await.0, 200);
    let (_, list) = json(app.call(&c, "vouchers/whitelist", &[]).await).await;
    assert_eq!(list.as_array().unwrap().len(), 2, "{list}");
    let ops_id = app.count("SELECT id FROM users WHERE login = 'ops'").await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'vouchers.whitelist_add' \
             AND actor_user_id = {ops_id} AND channel = 'web' AND target = 'partner:{prov}'"
        ))
        .await,
        2
    );
    // The partner's page shows it read-only.
    let html = app
        .page(&c, "/center/sales/vouchers?tab=pickup&view=whitelist")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("whitelist-granted") && html.contains("c-r1"),
        "{html}"
    );
    assert!(!html.contains("whitelist-add") && !html.contains("移出白名单"));
    let html = app
        .page(&ops, &format!("/operator/whitelist?partner={prov}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("移出白名单") && html.contains("c-r2"),
        "{html}"
    );
    let (s, o) = issue(&app, &c, "pickup", quota, "150", &[r1, r2], "p-1").await;
    assert_eq!(s, 200, "{o}");
    let ids: Vec<i64> = o["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_i64().unwrap())
        .collect();
    // Pickup vouchers are not reclaimed as coupons.
    let (s, e) = reclaim(&app, &c, "coupon", &ids, "wrong-kind").await;
    assert_eq!((s, code(&e)), (409, "CBC.30000017"), "{e}");
    let (s, p) = json(
        app.call(
            &c,
            "vouchers/reclaim-preview",
            &[
                ("kind", "pickup"),
                ("ids", &format!("{},{}", ids[0], ids[1])),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["total"], "300.00");
    let (s, r) = reclaim(&app, &c, "pickup", &ids, "p-rc").await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["total"], "300.00");
    assert_eq!(r["items"].as_array().unwrap().len(), 2);
    assert_eq!(app.quota_balance(quota).await, 100_000);
    // Off the whitelist, no more pickup vouchers.
    assert_eq!(wl(r1, "remove").await.0, 200);
    let (s, e) = issue(&app, &c, "pickup", quota, "10", &[r1], "p-2").await;
    assert_eq!((s, code(&e)), (409, "CBC.30000016"), "{e}");
    // The customer sees its pickup vouchers, reclaimed.
    let cust = app.signed_in("c-r2").await;
    let (_, mine) = json(app.call(&cust, "vouchers/mine", &[]).await).await;
    assert_eq!(mine["pickups"][0]["status"], "Reclaimed", "{mine}");
    assert_eq!(mine["coupons"].as_array().unwrap().len(), 0);
    let _ = PASSWORD;
    assert_vouchers_sound(&app).await;
}

async fn concurrent_issuing_never_overdraws_a_quota(app: TestApp) {
    let prov = app.partner("prov", "solution-provider", None);
    let r1 = app.customer(prov, "c-r1", "resale");
    let quota = grant(&app, prov, "coupon", "1000", None);
    let c = app.signed_in("prov").await;
    let mut tasks = Vec::new();
    for i in 0..16 {
        let app_url = app.url("/api/vouchers/issue");
        let c = c.clone();
        tasks.push(tokio::spawn(async move {
            let res = c
                .post(app_url)
                .form(&[
                    ("kind", "coupon"),
                    ("quota", quota.to_string().as_str()),
                    ("face", "100"),
                    ("customers", r1.to_string().as_str()),
                    ("trans_id", format!("burst-{i}").as_str()),
                ])
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            let body: Value = res.json().await.unwrap_or(Value::Null);
            (status, body)
        }));
    }
    let mut ok = 0;
    for t in tasks {
        let (s, body) = t.await.unwrap();
        match s {
            200 => ok += 1,
            409 => assert_eq!(code(&body), "CBC.30000012", "{body}"),
            503 => assert_eq!(code(&body), "CBC.99007461", "{body}"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert!(
        (1..=10).contains(&ok),
        "at most 10 coupons of 100 fit in 1000, got {ok}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM coupons").await, ok);
    assert_eq!(app.quota_balance(quota).await, 100_000 - ok * 10_000);
    assert_vouchers_sound(&app).await;
}

async fn order(app: &TestApp, c: &reqwest::Client, product: &str) -> i64 {
    let (s, o) = json(
        app.call(
            c,
            "orders/create",
            &[("product", product), ("quantity", "1"), ("payment", "self")],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{o}");
    o["id"].as_i64().unwrap()
}

async fn pay(app: &TestApp, c: &reqwest::Client, order: i64, coupon: i64) -> (u16, Value) {
    json(
        app.call(
            c,
            "orders/act",
            &[
                ("id", &order.to_string()),
                ("action", "pay"),
                ("coupon", &coupon.to_string()),
            ],
        )
        .await,
    )
    .await
}

async fn coupons_pay_part_of_an_order_and_go_back_to_the_quota_on_refund(app: TestApp) {
    let prov = app.partner("prov", "solution-provider", None);
    let cust = app.customer(prov, "c-r1", "resale");
    let other = app.customer(prov, "c-r2", "resale");
    app.fund(prov, "10000");
    let p = app.signed_in("prov").await;
    assert_eq!(
        app.adjust(&p, "Customer", cust, "Allocate", "1000", "a-1")
            .await
            .status(),
        200
    );
    let quota = app.cli_ok(&[
        "admin",
        "grant-quota",
        "--partner",
        &prov.to_string(),
        "--amount",
        "1000",
        "--products",
        "ecs-c7-large,rds-mysql-2c4g",
    ])["quota_id"]
        .as_i64()
        .unwrap();
    let (s, o) = issue(&app, &p, "coupon", quota, "100", &[cust, other], "i-1").await;
    assert_eq!(s, 200, "{o}");
    let mine = o["items"][0]["id"].as_i64().unwrap();
    let theirs = o["items"][1]["id"].as_i64().unwrap();
    let c = app.signed_in("c-r1").await;

    // The pay page offers it for an ECS order, not for OBS (outside the quota's products).
    let obs = order(&app, &c, "obs-standard-1tb").await;
    let (_, offered) = json(
        app.call(&c, "orders/coupons", &[("id", &obs.to_string())])
            .await,
    )
    .await;
    assert_eq!(offered.as_array().unwrap().len(), 0, "{offered}");
    let (s, e) = pay(&app, &c, obs, mine).await;
    assert_eq!((s, code(&e)), (409, "CBC.30000018"), "{e}");
    let ecs = order(&app, &c, "ecs-c7-large").await;
    let (_, offered) = json(
        app.call(&c, "orders/coupons", &[("id", &ecs.to_string())])
            .await,
    )
    .await;
    assert_eq!(offered[0]["id"], mine, "{offered}");
    // Someone else's coupon is not found.
    let (s, e) = pay(&app, &c, ecs, theirs).await;
    assert_eq!((s, code(&e)), (409, "CBC.30000017"), "{e}");
    assert_eq!(app.balance_fen("customer_id", cust).await, 100_000);

    // 312.00 = 100.00 from the coupon + 212.00 from the balance.
    let (s, paid) = pay(&app, &c, ecs, mine).await;
    assert_eq!(s, 200, "{paid}");
    assert_eq!(paid["coupon_amount"], "100.00");
    assert_eq!(app.balance_fen("customer_id", cust).await, 100_000 - 21_200);
    assert_eq!(
        app.count(&format!("SELECT status FROM coupons WHERE id = {mine}"))
            .await,
        3
    );
    let (_, uses) = json(app.call(&p, "vouchers/uses", &[("kind", "coupon")]).await).await;
    assert_eq!(uses["total"], 1, "{uses}");
    assert_eq!(uses["items"][0]["amount"], "100.00");
    // Used up: it cannot pay again nor be reclaimed.
    let rds = order(&app, &c, "rds-mysql-2c4g").await;
    let (s, e) = pay(&app, &c, rds, mine).await;
    assert_eq!((s, code(&e)), (409, "CBC.30000015"), "{e}");
    let (s, e) = reclaim(&app, &p, "coupon", &[mine], "rc-used").await;
    assert_eq!((s, code(&e)), (409, "CBC.30000015"), "{e}");

    // A minimum order amount is enforced; an expired coupon is refused.
    let q = quota.to_string();
    let (s, o) = json(
        app.call(
            &p,
            "vouchers/issue",
            &[
                ("kind", "coupon"),
                ("quota", &q),
                ("face", "50"),
                ("min_order", "600"),
                ("customers", &cust.to_string()),
                ("trans_id", "i-2"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{o}");
    let (s, e) = pay(&app, &c, rds, o["items"][0]["id"].as_i64().unwrap()).await;
    assert_eq!((s, code(&e)), (409, "CBC.30000018"), "{e}");
    let (s, o) = issue(&app, &p, "coupon", quota, "30", &[cust], "i-3").await;
    assert_eq!(s, 200, "{o}");
    let late = o["items"][0]["id"].as_i64().unwrap();
    let pool = app.db().await;
    sqlx::query(&format!(
        "UPDATE coupons SET expires_at = {} WHERE id = {late}",
        chrono::Utc::now().timestamp_millis() - 1
    ))
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    let (s, e) = pay(&app, &c, rds, late).await;
    assert_eq!((s, code(&e)), (409, "CBC.30000015"), "{e}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM orders WHERE id = {rds} AND state = 'pending_payment'"
        ))
        .await,
        1
    );

    // Unsubscribing refunds only what was paid; the coupon's part returns to the quota (退订回收).
    let before_quota = app.quota_balance(quota).await;
    let (s, r) = json(
        app.call(
            &c,
            "orders/act",
            &[("id", &ecs.to_string()), ("action", "refund")],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(app.balance_fen("customer_id", cust).await, 100_000);
    assert_eq!(app.quota_balance(quota).await, before_quota + 10_000);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM voucher_records WHERE operation = 5 AND amount_fen = 10000"
        )
        .await,
        1
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM fund_transfers WHERE operation = 'REFUND' AND amount_fen = 21200"
        )
        .await,
        1
    );
    app.assert_ledger_sound().await;
    assert_vouchers_sound(&app).await;
}

/// The open API's coupon and customer lists filter, count and page in SQL: totals and later
/// pages stay right past 1 000 rows, and each filter narrows the count as well as the page.
async fn api_lists_filter_and_page_in_sql_past_a_thousand(app: TestApp) {
    let prov = app.partner("prov", "solution-provider", None);
    let r1 = app.customer(prov, "c-r1", "resale");
    let r2 = app.customer(prov, "c-r2", "resale");
    let quota = grant(&app, prov, "coupon", "1000", None);
    let c = app.signed_in("prov").await;
    let (s, o) = issue(&app, &c, "coupon", quota, "1", &[r1, r2], "t-1").await;
    assert_eq!(s, 200, "{o}");
    let coupon_of = |customer: &str| {
        o["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["customer_name"] == customer)
            .and_then(|k| k["id"].as_i64())
            .unwrap()
    };
    let (r1_coupon, r2_coupon) = (coupon_of("c-r1"), coupon_of("c-r2"));
    // 1 004 more coupons of r1 and 1 004 more customers, written straight into their tables:
    // this test is about reading them.
    let pool = app.db().await;
    let mut tx = pool.begin().await.unwrap();
    for n in 0..1004_i64 {
        sqlx::query(
            "INSERT INTO coupons (number, kind, quota_id, partner_id, customer_id, face_fen, balance_fen, \
               min_order_fen, service_types, products, effective_at, expires_at, status, remark, created_at, updated_at) \
             SELECT number || $1, kind, quota_id, partner_id, customer_id, face_fen, balance_fen, min_order_fen, \
               service_types, products, effective_at, expires_at, status, remark, created_at + $2, updated_at \
             FROM coupons WHERE id = $3",
        )
        .bind(format!("-bulk-{n}"))
        .bind(n + 1)
        .bind(r1_coupon)
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO customers (partner_id, name, mode, created_at, associated_at) \
             SELECT partner_id, $1, mode, created_at, associated_at FROM customers WHERE id = $2",
        )
        .bind(format!("bulk-{n}"))
        .bind(r2)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM coupons").await, 1006);

    let token = app.api_token("prov", PASSWORD).await;
    assert_eq!(token.status(), 201);
    let token = token.headers()["x-subject-token"]
        .to_str()
        .unwrap()
        .to_string();
    let get = |query: String| {
        let (url, token) = (
            app.url(&format!("/v2/promotions/benefits/partner-coupons?{query}")),
            token.clone(),
        );
        async move {
            let res = reqwest::Client::new()
                .get(url)
                .header("x-auth-token", token)
                .send()
                .await
                .unwrap();
            json(res).await
        }
    };
    let (s, all) = get("offset=0&limit=3".into()).await;
    assert_eq!(s, 200, "{all}");
    assert_eq!(all["total_count"], 1006);
    assert_eq!(all["user_coupons"].as_array().unwrap().len(), 3);
    let (s, last) = get(format!("customer_id={r1}&offset=1000&limit=10")).await;
    assert_eq!(s, 200, "{last}");
    assert_eq!(last["total_count"], 1005);
    let tail = last["user_coupons"].as_array().unwrap();
    assert_eq!(tail.len(), 5);
    let r1_id = r1.to_string();
    assert!(
        tail.iter().all(|k| k["customer_id"] == r1_id.as_str()),
        "{last}"
    );
    let (s, one) = get(format!("coupon_id={r2_coupon}")).await;
    assert_eq!(s, 200, "{one}");
    assert_eq!(one["total_count"], 1);
    assert_eq!(one["user_coupons"][0]["customer_id"], r2.to_string());
    let (s, bad) = get("coupon_id=abc".into()).await;
    assert_eq!(s, 400, "{bad}");

    let post = |body: Value| {
        let (url, token) = (app.url("/v2/partners/sub-customers/query"), token.clone());
        async move {
            let res = reqwest::Client::new()
                .post(url)
                .header("x-auth-token", token)
                .json(&body)
                .send()
                .await
                .unwrap();
            json(res).await
        }
    };
    let (s, page) = post(serde_json::json!({ "offset": 1000, "limit": 10 })).await;
    assert_eq!(s, 200, "{page}");
    assert_eq!(page["count"], 1006);
    assert_eq!(page["customer_infos"].as_array().unwrap().len(), 6);
    // "bulk-100" is in bulk-100 and bulk-1000 … bulk-1003.
    let (s, named) = post(serde_json::json!({ "customer": "BULK-100", "limit": 100 })).await;
    assert_eq!(s, 200, "{named}");
    assert_eq!(named["count"], 5, "{named}");
    let (s, one) = post(serde_json::json!({ "customer_id": r1.to_string() })).await;
    assert_eq!(s, 200, "{one}");
    assert_eq!(one["count"], 1);
    assert_eq!(one["customer_infos"][0]["account_name"], "c-r1");
}

/// 额度管理 (#17): an operator grants quotas from the console and sets a status with its reason;
/// the partner sees the status at once and is told; bad input changes nothing.
async fn operators_grant_quotas_and_set_their_status_in_the_browser(app: TestApp) {
    let prov = app.partner("qc-prov", "solution-provider", None);
    let other = app.partner("qc-other", "solution-provider", None);
    app.operator("qc-ops");
    let ops = app.signed_in("qc-ops").await;
    let partner = app.signed_in("qc-prov").await;
    let p = prov.to_string();
    let call = |form: Vec<(&'static str, String)>, f: &'static str| {
        let (app, ops) = (&app, &ops);
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            json(app.call(ops, f, &form).await).await
        }
    };
    let s = |v: &str| v.to_string();
    let before = app.snapshot(&["audit_log", "sessions"]).await;
    for (form, key) in [
        (
            vec![
                ("partner", s("")),
                ("kind", s("coupon")),
                ("amount", s("100")),
                ("days", s("30")),
            ],
            "error.partner.not_found",
        ),
        (
            vec![
                ("partner", p.clone()),
                ("kind", s("coupon")),
                ("amount", s("-1")),
                ("days", s("30")),
            ],
            "error.amount.positive",
        ),
        (
            vec![
                ("partner", p.clone()),
                ("kind", s("coupon")),
                ("amount", s("100")),
                ("days", s("0")),
            ],
            "error.vouchers.days",
        ),
    ] {
        let (st, e) = call(form, "operator/grant-quota").await;
        assert_eq!(st, 400, "{e}");
        assert!(
            e["key"].as_str().unwrap().starts_with(&key[..12]),
            "{key}: {e}"
        );
    }
    TestApp::assert_unchanged(
        &before,
        &app.snapshot(&["audit_log", "sessions"]).await,
        "refused grants",
    );
    let (st, id) = call(
        vec![
            ("partner", p.clone()),
            ("kind", s("coupon")),
            ("amount", s("5000.00")),
            ("days", s("90")),
            ("max_face", s("500")),
        ],
        "operator/grant-quota",
    )
    .await;
    assert_eq!(st, 200, "{id}");
    let id = id.as_i64().unwrap();
    let (st, _) = call(
        vec![
            ("partner", other.to_string()),
            ("kind", s("pickup")),
            ("amount", s("800")),
            ("days", s("30")),
        ],
        "operator/grant-quota",
    )
    .await;
    assert_eq!(st, 200);
    // The console lists every partner's quotas, filtered by partner and kind.
    let (_, all) = call(vec![], "operator/quotas").await;
    assert_eq!(all["total"], 2, "{all}");
    let (_, mine) = call(vec![("partner", p.clone())], "operator/quotas").await;
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["quota"]["value"], "5000.00");
    assert_eq!(mine["items"][0]["partner_name"], "qc-prov");
    let (_, pickups) = call(vec![("kind", s("pickup"))], "operator/quotas").await;
    assert_eq!(pickups["items"][0]["partner_id"], other);

    // A status needs its reason; then the partner sees it at once and is told.
    let q = id.to_string();
    let (st, e) = call(
        vec![("quota", q.clone()), ("status", s("5")), ("reason", s(""))],
        "operator/quota-status",
    )
    .await;
    assert_eq!(
        (st, e["key"].as_str()),
        (400, Some("error.plans.reason_required"))
    );
    let (st, _) = call(
        vec![("quota", q.clone()), ("status", s("9")), ("reason", s("x"))],
        "operator/quota-status",
    )
    .await;
    assert_eq!(st, 400);
    let (st, e) = call(
        vec![
            ("quota", q.clone()),
            ("status", s("5")),
            ("reason", s("合同审查中")),
        ],
        "operator/quota-status",
    )
    .await;
    assert_eq!(st, 200, "{e}");
    let (_, seen) = json(
        app.call(&partner, "vouchers/quotas", &[("kind", "coupon")])
            .await,
    )
    .await;
    assert_eq!(seen["items"][0]["status"], "Frozen", "{seen}");
    let told = app
        .count(&format!("SELECT COUNT(*) FROM messages m JOIN users u ON u.id = m.user_id WHERE u.partner_id = {prov} AND m.kind = 'voucher.quota_status'"))
        .await;
    assert_eq!(told, 1);
    let reason = app
        .count("SELECT COUNT(*) FROM audit_log WHERE action = 'vouchers.quota_status' AND detail LIKE '%合同审查中%' AND actor = 'qc-ops'")
        .await;
    assert_eq!(reason, 1);
    let (_, frozen) = call(vec![("status", s("5"))], "operator/quotas").await;
    assert_eq!(frozen["total"], 1);
    let (st, _) = json(app.call(&partner, "operator/quotas", &[]).await).await;
    assert_eq!(st, 403);
    app.assert_audit_sound().await;
}
