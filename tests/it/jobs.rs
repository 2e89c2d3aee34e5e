//! The scheduler: every job at its boundary instants (one millisecond before, at, after), run
//! with `partner-center jobs run-once --at` so the clock moves without sleeping; leases between
//! processes (two at once do each piece of work once; a killed one's lease is taken over after
//! it lapses); the holiday calendar behind HO deadlines — on both databases. The servers here
//! run no jobs of their own (`--no-jobs`): only the instants the tests choose.

use crate::common;
use crate::customers::{accept, free_customer, invite, token_of};
use crate::engagement::{join_pce, share_ho};

use common::{Backend, TestApp, json, wait_for};
use partner_center::server::jobs::LEASE_MS;
use serde_json::Value;
use std::time::Duration;

const DAY: i64 = 86_400_000;

/// Like `on_both_backends!`, with a server that runs no periodic jobs.
macro_rules! scheduled {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    if let Some(app) = super::app(super::Backend::Sqlite).await {
                        super::$name(app).await;
                    }
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = super::app(super::Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            }
        )*
    };
}

scheduled!(
    certifications_expire_at_their_validity_and_a_role_takes_its_differentiation,
    hos_are_reminded_a_business_day_before_and_taken_back_at_the_national_day_deadline,
    unpaid_orders_are_cancelled_after_the_configured_time,
    quotas_lapse_at_their_end,
    coupon_holders_are_told_before_expiry_and_at_it,
    offline_invitation_links_expire_and_are_forgotten,
    review_windows_tell_partners_and_withdraw_unreviewed_stages,
    two_processes_at_once_do_each_piece_of_work_once,
    a_killed_process_lease_is_taken_over_after_it_lapses,
    the_operator_keeps_the_holiday_calendar,
);

async fn app(backend: Backend) -> Option<TestApp> {
    let mut app = TestApp::database(backend).await?;
    app.start(&["--no-jobs"]).await;
    Some(app)
}

/// An instant in China time, `YYYY-MM-DDTHH:MM:SS`.
fn cst(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(&format!("{s}+08:00"))
        .unwrap()
        .timestamp_millis()
}

/// Runs one job at `at` and returns the report.
fn run(app: &TestApp, job: &str, at: i64) -> Value {
    let at = at.to_string();
    app.cli_ok(&["jobs", "run-once", "--only", job, "--at", &at])
}

/// What `job` changed in a report (failing if it did not run).
fn ran(report: &Value, job: &str) -> i64 {
    assert_eq!(report["failed"], serde_json::json!({}), "{report}");
    report["ran"][job]
        .as_i64()
        .unwrap_or_else(|| panic!("{job} did not run: {report}"))
}

async fn messages(app: &TestApp, kind: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM messages WHERE kind = '{kind}'"
    ))
    .await
}

/// Audit entries of `action` written by the scheduler.
async fn audited(app: &TestApp, action: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND actor = 'system' \
         AND channel = 'system' AND actor_user_id IS NULL"
    ))
    .await
}

async fn exec(app: &TestApp, sql: &str) {
    let pool = app.db().await;
    sqlx::query(sql).execute(&pool).await.expect(sql);
    pool.close().await;
}

async fn cert_state(app: &TestApp, partner: i64, stage: &str) -> (String, String) {
    let pool = app.db().await;
    let row = sqlx::query_as(
        "SELECT state, revoked_reason FROM path_certifications \
         WHERE partner_id = $1 AND path = 'service' AND stage = $2",
    )
    .bind(partner)
    .bind(stage)
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;
    row
}

/// Gives `partner` the service path's `stage`, certified at `since` and valid until `until`.
async fn certified(app: &TestApp, partner: i64, stage: &str, since: i64, until: i64) {
    exec(
        app,
        &format!(
            "INSERT INTO path_certifications (partner_id, path, stage, state, certified_at, valid_until) \
             VALUES ({partner}, 'service', '{stage}', 'active', {since}, {until})"
        ),
    )
    .await;
}

async fn certifications_expire_at_their_validity_and_a_role_takes_its_differentiation(
    app: TestApp,
) {
    let prov = app.partner("prov", "solution-provider", None);
    let other = app.partner("other", "solution-provider", None);
    exec(
        &app,
        &format!("INSERT INTO path_memberships (partner_id, path, joined_at) VALUES ({prov}, 'service', 0)"),
    )
    .await;
    let t = cst("2027-01-15T09:30:00");
    certified(&app, prov, "role", t - 365 * DAY, t).await;
    certified(&app, prov, "differentiation", t - 100 * DAY, t + 265 * DAY).await;
    certified(&app, other, "role", t - 365 * DAY, t + 1).await;

    assert_eq!(
        ran(&run(&app, "certifications", t - 1), "certifications"),
        0
    );
    assert_eq!(cert_state(&app, prov, "role").await.0, "active");

    // At the instant its validity ends the role expires, and the differentiation with it.
    assert_eq!(ran(&run(&app, "certifications", t), "certifications"), 2);
    assert_eq!(
        cert_state(&app, prov, "role").await,
        ("expired".into(), "path.end.expired".into())
    );
    assert_eq!(
        cert_state(&app, prov, "differentiation").await,
        ("expired".into(), "path.end.with_role".into())
    );
    assert_eq!(cert_state(&app, other, "role").await.0, "active");
    assert_eq!(messages(&app, "path.certification_expired").await, 2);
    assert_eq!(audited(&app, "paths.certification_expired").await, 2);

    // Again, and one millisecond later: nothing twice; the other partner's ends at its own time.
    assert_eq!(ran(&run(&app, "certifications", t), "certifications"), 0);
    assert_eq!(
        ran(&run(&app, "certifications", t + 1), "certifications"),
        1
    );
    assert_eq!(messages(&app, "path.certification_expired").await, 3);

    // The partner's path page says so (the checklist reads the same rule).
    let c = app.signed_in("prov").await;
    let (s, d) = json(app.call(&c, "paths/detail", &[("code", "service")]).await).await;
    assert_eq!(s, 200, "{d}");
    let role = d["joined"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == "Role")
        .unwrap()
        .clone();
    assert_eq!(role["certification"]["expired"], true, "{role}");
    assert_eq!(role["certification"]["active"], false, "{role}");
    app.assert_audit_sound().await;
}

async fn hos_are_reminded_a_business_day_before_and_taken_back_at_the_national_day_deadline(
    app: TestApp,
) {
    let prov = app.partner("prov", "solution-provider", None);
    app.operator("ops");
    join_pce(&app, "prov", "prov").await;
    let ops = app.signed_in("ops").await;
    let (s, loaded) = json(app.call(&ops, "calendar/load", &[("year", "2026")]).await).await;
    assert_eq!(s, 200, "{loaded}");
    assert_eq!(
        loaded.as_i64(),
        Some(partner_center::calendar::model::CHINA_2026.len() as i64)
    );

    // Shared on Wednesday 2026-09-30 at 10:00: October 1–7 are off, Thursday 8 and Friday 9
    // count, and Saturday 10 is a make-up working day: due Saturday 10:00, reminded Friday 10:00.
    let (code, _, err) = share_ho(&app, prov, "国庆客户", Some("2026-09-30T10:00:00+08:00"));
    assert_eq!(code, 0, "{err}");
    let pool = app.db().await;
    let (id, due, remind): (i64, i64, i64) = sqlx::query_as(
        "SELECT id, respond_by, remind_at FROM opportunities WHERE direction = 'ho'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;
    assert_eq!(due, cst("2026-10-10T10:00:00"));
    assert_eq!(remind, cst("2026-10-09T10:00:00"));

    let job = "opportunities";
    assert_eq!(ran(&run(&app, job, remind - 1), job), 0);
    assert_eq!(messages(&app, "pce.ho_expiring").await, 0);
    assert_eq!(ran(&run(&app, job, remind), job), 1);
    assert_eq!(ran(&run(&app, job, remind + 1), job), 0, "reminded once");
    assert_eq!(messages(&app, "pce.ho_expiring").await, 1);
    assert_eq!(audited(&app, "pce.ho_remind").await, 1);

    assert_eq!(ran(&run(&app, job, due - 1), job), 0);
    let state = || async {
        let pool = app.db().await;
        let s: String = sqlx::query_scalar("SELECT ho_state FROM opportunities WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
        pool.close().await;
        s
    };
    assert_eq!(state().await, "pending");
    assert_eq!(ran(&run(&app, job, due), job), 1);
    assert_eq!(state().await, "expired");
    assert_eq!(ran(&run(&app, job, due + 1), job), 0);
    assert_eq!(messages(&app, "pce.ho_expired").await, 1);
    assert_eq!(audited(&app, "pce.ho_expire").await, 1);

    // Taken back: the partner can no longer answer it.
    let c = app.signed_in("prov").await;
    let (s, body) = json(
        app.call(
            &c,
            "pce/answer",
            &[("id", &id.to_string()), ("accept", "true")],
        )
        .await,
    )
    .await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.pce.ho_expired"))
    );
    app.assert_audit_sound().await;
}

async fn unpaid_orders_are_cancelled_after_the_configured_time(app: TestApp) {
    let prov = app.partner("prov", "solution-provider", None);
    let cust = app.customer(prov, "cust", "resale");
    app.fund(prov, "10000");
    let p = app.signed_in("prov").await;
    let r = app
        .adjust(&p, "Customer", cust, "Allocate", "1000", "seed-1")
        .await;
    assert_eq!(r.status(), 200);
    let c = app.signed_in("cust").await;
    let order = |payment: &'static str| {
        let (app, c) = (&app, &c);
        async move {
            let (s, o) = json(
                app.call(
                    c,
                    "orders/create",
                    &[
                        ("product", "rds-mysql-2c4g"),
                        ("quantity", "1"),
                        ("payment", payment),
                    ],
                )
                .await,
            )
            .await;
            assert_eq!(s, 200, "{o}");
            o["id"].as_i64().unwrap()
        }
    };
    let own = order("self").await;
    let by_partner = order("partner").await;
    let paid = order("self").await;
    let (s, body) = json(
        app.call(
            &c,
            "orders/act",
            &[("id", &paid.to_string()), ("action", "pay"), ("reason", "")],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let pool = app.db().await;
    let placed: i64 = sqlx::query_scalar("SELECT MAX(created_at) FROM orders")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    // The three were placed within milliseconds: give them the same instant for the boundary.
    exec(&app, &format!("UPDATE orders SET created_at = {placed}")).await;
    let state = |id: i64| {
        let app = &app;
        async move {
            let pool = app.db().await;
            let s: String = sqlx::query_scalar("SELECT state FROM orders WHERE id = $1")
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap();
            pool.close().await;
            s
        }
    };

    // Seven days by default: one millisecond before, nothing.
    assert_eq!(ran(&run(&app, "orders", placed + 7 * DAY - 1), "orders"), 0);
    assert_eq!(state(own).await, "pending_payment");
    assert_eq!(ran(&run(&app, "orders", placed + 7 * DAY), "orders"), 2);
    assert_eq!(state(own).await, "cancelled");
    assert_eq!(state(by_partner).await, "cancelled");
    assert_eq!(state(paid).await, "paid", "a paid order stays paid");
    assert_eq!(ran(&run(&app, "orders", placed + 7 * DAY + 1), "orders"), 0);
    // The customer is told of both; the partner of the one it was asked to pay.
    let to = |login: &'static str| {
        let app = &app;
        async move {
            app.count(&format!(
                "SELECT COUNT(*) FROM messages m JOIN users u ON u.id = m.user_id \
                 WHERE m.kind = 'order.auto_cancelled' AND u.login = '{login}'"
            ))
            .await
        }
    };
    assert_eq!(to("cust").await, 2);
    assert_eq!(to("prov").await, 1);
    assert_eq!(audited(&app, "orders.auto_cancel").await, 2);

    // The time is configurable.
    let fresh = order("self").await;
    let pool = app.db().await;
    let placed: i64 = sqlx::query_scalar("SELECT created_at FROM orders WHERE id = $1")
        .bind(fresh)
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    let at = (placed + 2 * DAY).to_string();
    let (code, _, err) = app.cli(&["jobs", "run-once", "--only", "orders", "--at"]);
    assert_ne!(code, 0, "--at needs its value: {err}");
    let report = app.cli_ok(&[
        "jobs",
        "run-once",
        "--only",
        "orders",
        "--unpaid-order-days",
        "2",
        "--at",
        &at,
    ]);
    assert_eq!(ran(&report, "orders"), 1);
    assert_eq!(state(fresh).await, "cancelled");
    let (code, _, err) = app.cli(&["jobs", "run-once", "--unpaid-order-days", "0"]);
    assert_ne!(code, 0);
    assert!(err.contains("--unpaid-order-days"), "{err}");
    app.assert_ledger_sound().await;
    app.assert_audit_sound().await;
}

async fn quotas_lapse_at_their_end(app: TestApp) {
    let prov = app.partner("prov", "solution-provider", None);
    let p = prov.to_string();
    let quota = app.cli_ok(&[
        "admin",
        "grant-quota",
        "--partner",
        &p,
        "--amount",
        "500",
        "--days",
        "1",
    ])["quota_id"]
        .as_i64()
        .unwrap();
    let pool = app.db().await;
    let ends: i64 = sqlx::query_scalar("SELECT expires_at FROM coupon_quotas WHERE id = $1")
        .bind(quota)
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    let status = || async {
        app.count(&format!(
            "SELECT status FROM coupon_quotas WHERE id = {quota}"
        ))
        .await
    };
    assert_eq!(ran(&run(&app, "vouchers", ends - 1), "vouchers"), 0);
    assert_eq!(status().await, 0);
    assert_eq!(ran(&run(&app, "vouchers", ends), "vouchers"), 1);
    assert_eq!(status().await, 3, "失效");
    assert_eq!(ran(&run(&app, "vouchers", ends + 1), "vouchers"), 0);
    assert_eq!(messages(&app, "voucher.quota_lapsed").await, 1);
    assert_eq!(audited(&app, "vouchers.quota_lapse").await, 1);
    // The partner's list shows it 失效 (status 3) with its balance untouched.
    let c = app.signed_in("prov").await;
    let (s, list) = json(
        app.call(&c, "vouchers/quotas", &[("kind", "coupon"), ("page", "1")])
            .await,
    )
    .await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(list["items"][0]["status"], "Invalid", "{list}");
    assert_eq!(app.quota_balance(quota).await, 50_000);
    // The partner was told of the grant, and is told of the operator's status changes.
    assert_eq!(messages(&app, "voucher.quota_granted").await, 1);
    let q = quota.to_string();
    app.cli_ok(&["admin", "set-quota-status", "--quota", &q, "--status", "5"]);
    assert_eq!(messages(&app, "voucher.quota_status").await, 1);
}

async fn coupon_holders_are_told_before_expiry_and_at_it(app: TestApp) {
    let prov = app.partner("prov", "solution-provider", None);
    let cust = app.customer(prov, "cust", "resale");
    let quota = app.grant_quota(prov, "500");
    let p = app.signed_in("prov").await;
    let (s, o) = json(
        app.call(
            &p,
            "vouchers/issue",
            &[
                ("kind", "coupon"),
                ("quota", &quota.to_string()),
                ("face", "80"),
                ("customers", &cust.to_string()),
                ("trans_id", "issue-1"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{o}");
    assert_eq!(
        messages(&app, "voucher.coupon_issued").await,
        1,
        "the holder is told"
    );
    let pool = app.db().await;
    let expires: i64 = sqlx::query_scalar("SELECT expires_at FROM coupons")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    let notice = expires - 3 * DAY;
    assert_eq!(ran(&run(&app, "vouchers", notice - 1), "vouchers"), 0);
    assert_eq!(ran(&run(&app, "vouchers", notice), "vouchers"), 1);
    assert_eq!(
        ran(&run(&app, "vouchers", notice + 1), "vouchers"),
        0,
        "told once"
    );
    assert_eq!(messages(&app, "voucher.coupon_expiring").await, 1);
    // At its expiry the balance goes back to the quota (过期回收), and the holder is told.
    assert_eq!(ran(&run(&app, "vouchers", expires - 1), "vouchers"), 0);
    assert!(ran(&run(&app, "vouchers", expires), "vouchers") >= 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM coupons WHERE status = 4 AND balance_fen = 0")
            .await,
        1
    );
    assert_eq!(app.quota_balance(quota).await, 50_000);
    assert_eq!(messages(&app, "voucher.coupon_reclaimed").await, 1);
}

/// An offline invitation link works until its 30 days are over; then it is refused, and the
/// housekeeping job forgets its sealed token at that instant (not a millisecond before), so the
/// partner's list stops offering it.
async fn offline_invitation_links_expire_and_are_forgotten(app: TestApp) {
    let _prov = app.partner("prov", "solution-provider", None);
    free_customer(&app, "cust-a");
    free_customer(&app, "cust-b");
    let p = app.signed_in("prov").await;
    let (s, inv) = invite(&app, &p, "offline", "", "resale").await;
    assert_eq!(s, 200, "{inv}");
    let token = token_of(inv["link"].as_str().unwrap());
    let expires = inv["expires_at"].as_i64().unwrap();
    let a = app.signed_in("cust-a").await;
    assert_eq!(accept(&app, &a, &token).await.0, 200, "valid until then");
    let stored = || async {
        app.count("SELECT COUNT(*) FROM customer_invitations WHERE token IS NOT NULL")
            .await
    };
    run(&app, "housekeeping", expires - 1);
    assert_eq!(stored().await, 1, "kept until the end");
    let (_, list) = json(app.call(&p, "customers/invitations", &[]).await).await;
    assert_eq!(list["items"][0]["link"], inv["link"], "{list}");
    run(&app, "housekeeping", expires);
    assert_eq!(stored().await, 0, "forgotten at the end");
    let (_, list) = json(app.call(&p, "customers/invitations", &[]).await).await;
    assert_eq!(list["items"][0]["link"], Value::Null, "{list}");
    // The link itself is refused once its time is over (here: moved to now).
    exec(
        &app,
        &format!(
            "UPDATE customer_invitations SET expires_at = {} WHERE id = {}",
            chrono::Utc::now().timestamp_millis(),
            inv["id"]
        ),
    )
    .await;
    let b = app.signed_in("cust-b").await;
    let (s, v) = json(
        app.call(&b, "customers/invitation", &[("token", &token)])
            .await,
    )
    .await;
    assert_eq!((s, v["state"].as_str()), (200, Some("expired")), "{v}");
    let (s, e) = accept(&app, &b, &token).await;
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

async fn review_windows_tell_partners_and_withdraw_unreviewed_stages(app: TestApp) {
    let late = app.partner("late", "solution-provider", None);
    let done = app.partner("done", "solution-provider", None);
    app.operator("ops");
    let since = cst("2026-03-01T00:00:00");
    let until = cst("2027-06-30T00:00:00");
    certified(&app, late, "role", since, until).await;
    certified(&app, late, "differentiation", since, until).await;
    certified(&app, done, "role", since, until).await;
    // `done` has submitted its 2027 review (pending the operator's decision).
    exec(
        &app,
        &format!(
            "INSERT INTO path_applications (partner_id, path, stage, kind, review_year, state, created_at) \
             VALUES ({done}, 'service', 'role', 'review', 2027, 'pending', {since})"
        ),
    )
    .await;
    let ops = app.signed_in("ops").await;
    let (s, w) = json(
        app.call(
            &ops,
            "paths/op-window",
            &[
                ("year", "2027"),
                ("first", "2027-03-01"),
                ("last", "2027-03-31"),
                ("covers", "service:role"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{w}");
    let job = "review-windows";
    let opens = cst("2027-03-01T00:00:00");
    let week = cst("2027-03-25T00:00:00");
    let last_day = cst("2027-03-31T00:00:00");
    let closed = cst("2027-04-01T00:00:00");
    assert_eq!(ran(&run(&app, job, opens - 1), job), 0);
    assert_eq!(
        ran(&run(&app, job, opens), job),
        1,
        "only the partner that has not submitted"
    );
    assert_eq!(ran(&run(&app, job, opens + 1), job), 0);
    assert_eq!(messages(&app, "path.review_open").await, 1);
    assert_eq!(ran(&run(&app, job, week - 1), job), 0);
    assert_eq!(ran(&run(&app, job, week), job), 1);
    assert_eq!(ran(&run(&app, job, last_day - 1), job), 0);
    assert_eq!(ran(&run(&app, job, last_day), job), 1);
    assert_eq!(ran(&run(&app, job, closed - 1), job), 0);
    assert_eq!(messages(&app, "path.review_closing").await, 2);
    assert_eq!(cert_state(&app, late, "role").await.0, "active");

    // After the close the unreviewed role is withdrawn, its differentiation with it; the
    // partner that submitted keeps its role while the operator decides.
    assert_eq!(ran(&run(&app, job, closed), job), 2);
    assert_eq!(
        cert_state(&app, late, "role").await,
        ("revoked".into(), "path.end.review_missed".into())
    );
    assert_eq!(
        cert_state(&app, late, "differentiation").await,
        ("revoked".into(), "path.end.with_role".into())
    );
    assert_eq!(cert_state(&app, done, "role").await.0, "active");
    assert_eq!(ran(&run(&app, job, closed + 1), job), 0);
    assert_eq!(messages(&app, "path.review_missed").await, 2);
    assert_eq!(audited(&app, "paths.review_missed").await, 2);
    let to_done = app
        .count(&format!(
            "SELECT COUNT(*) FROM messages m JOIN users u ON u.id = m.user_id \
             WHERE u.partner_id = {done} AND m.kind LIKE 'path.%'"
        ))
        .await;
    assert_eq!(to_done, 0, "the partner that submitted is never chased");
    app.assert_audit_sound().await;
}

/// `count` HOs of `partner` past their deadline `due`.
async fn overdue_hos(app: &TestApp, partner: i64, count: usize, due: i64) {
    let pool = app.db().await;
    for i in 0..count {
        sqlx::query(
            "INSERT INTO opportunities (partner_id, direction, customer_name, product, expected_fen, \
               stage, customer_consent, ho_state, respond_by, remind_at, created_at, updated_at) \
             VALUES ($1, 'ho', $2, 'ECS', 100, 'qualified', 1, 'pending', $3, $4, $5, $5)",
        )
        .bind(partner)
        .bind(format!("客户{i}"))
        .bind(due)
        .bind(due - DAY)
        .bind(due - 3 * DAY)
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;
}

fn jobs_process(app: &TestApp, args: &[&str]) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(common::bin());
    cmd.args(["jobs", "run-once"])
        .args(args)
        .env("DATABASE_URL", &app.db_url)
        .env("PC_MASTER_KEY_FILE", app.master_key_file())
        .env_remove("PC_MASTER_KEY")
        .env("RUST_LOG", "warn")
        .kill_on_drop(true)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    cmd
}

async fn report(mut cmd: tokio::process::Command) -> Value {
    let out = cmd.output().await.expect("run jobs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("a JSON report")
}

async fn two_processes_at_once_do_each_piece_of_work_once(app: TestApp) {
    let prov = app.partner("prov", "solution-provider", None);
    let due = cst("2026-06-01T10:00:00");
    overdue_hos(&app, prov, 30, due).await;
    let at = (due + 1).to_string();
    // Both claim while the first holds the lease: one works, the other skips.
    let args = ["--only", "opportunities", "--at", &at, "--hold-ms", "1500"];
    let (a, b) = tokio::join!(
        report(jobs_process(&app, &args)),
        report(jobs_process(&app, &args))
    );
    let worked: Vec<&Value> = [&a, &b]
        .into_iter()
        .filter(|r| r["ran"].get("opportunities").is_some())
        .collect();
    assert_eq!(worked.len(), 1, "one process runs the job: {a} {b}");
    assert_eq!(worked[0]["ran"]["opportunities"], 30);
    let skipped = if worked[0] == &a { &b } else { &a };
    assert_eq!(skipped["skipped"], serde_json::json!(["opportunities"]));
    // Without holding, both may run: the work is done once all the same.
    let at = (due + 2).to_string();
    let args = ["--at", at.as_str()];
    let (a, b) = tokio::join!(
        report(jobs_process(&app, &args)),
        report(jobs_process(&app, &args))
    );
    let total: i64 = [&a, &b]
        .iter()
        .filter_map(|r| r["ran"]["opportunities"].as_i64())
        .sum();
    assert_eq!(total, 0, "{a} {b}");
    assert_eq!(messages(&app, "pce.ho_expired").await, 30);
    assert_eq!(audited(&app, "pce.ho_expire").await, 30);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM opportunities WHERE ho_state = 'expired'")
            .await,
        30
    );
    // Every lease was given back.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM job_leases WHERE holder <> '' OR lease_until <> 0")
            .await,
        0
    );
}

async fn a_killed_process_lease_is_taken_over_after_it_lapses(app: TestApp) {
    let prov = app.partner("prov", "solution-provider", None);
    let due = cst("2026-06-01T10:00:00");
    overdue_hos(&app, prov, 1, due).await;
    let t = due + 1;
    let at = t.to_string();
    let mut stuck = jobs_process(
        &app,
        &[
            "--only",
            "opportunities",
            "--at",
            &at,
            "--hold-ms",
            "600000",
        ],
    )
    .spawn()
    .expect("spawn");
    wait_for("the lease to be taken", Duration::from_secs(30), || async {
        app.count("SELECT COUNT(*) FROM job_leases WHERE name = 'opportunities' AND holder <> ''")
            .await
            == 1
    })
    .await;
    stuck.kill().await.expect("kill");
    let _ = stuck.wait().await;

    // Until the lease lapses nobody else runs the job.
    let r = run(&app, "opportunities", t + 1000);
    assert_eq!(r["skipped"], serde_json::json!(["opportunities"]), "{r}");
    let r = run(&app, "opportunities", t + LEASE_MS - 1);
    assert_eq!(r["skipped"], serde_json::json!(["opportunities"]), "{r}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM opportunities WHERE ho_state = 'pending'")
            .await,
        1
    );
    // Then the next process takes it over and does the work.
    assert_eq!(
        ran(&run(&app, "opportunities", t + LEASE_MS), "opportunities"),
        1
    );
    assert_eq!(messages(&app, "pce.ho_expired").await, 1);
    // Bad input is refused with a message.
    let (code, _, err) = app.cli(&["jobs", "run-once", "--only", "nope"]);
    assert_ne!(code, 0);
    assert!(err.contains("error.jobs.unknown"), "{err}");
    let (code, _, err) = app.cli(&["jobs", "run-once", "--at", "tomorrow"]);
    assert_ne!(code, 0);
    assert!(err.contains("--at"), "{err}");
}

async fn the_operator_keeps_the_holiday_calendar(app: TestApp) {
    app.operator("ops");
    let ops = app.signed_in("ops").await;
    let year = |y: &'static str| {
        let (app, ops) = (&app, &ops);
        async move { json(app.call(ops, "calendar/year", &[("year", y)]).await).await }
    };
    let (s, y) = year("2026").await;
    assert_eq!(
        (s, y["days"].as_array().map(Vec::len)),
        (200, Some(0)),
        "{y}"
    );
    assert_eq!(y["official"], true);
    // Bad input: a clear 400, nothing stored.
    for (day, kind, name, key) in [
        ("2026-02-30", "off", "", "error.holiday.day"),
        ("2026-10-01", "party", "", "error.holiday.kind"),
        (
            "2026-10-01",
            "off",
            "一二三四五六七八九十一二三四五六七八九十一",
            "error.holiday.name",
        ),
    ] {
        let (s, body) = json(
            app.call(
                &ops,
                "calendar/set",
                &[("day", day), ("kind", kind), ("name", name)],
            )
            .await,
        )
        .await;
        assert_eq!((s, body["key"].as_str()), (400, Some(key)));
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM holidays").await, 0);
    // Set, replace, remove: each audited.
    for (kind, name) in [("off", "测试"), ("work", "调休")] {
        let (s, body) = json(
            app.call(
                &ops,
                "calendar/set",
                &[("day", "2026-12-31"), ("kind", kind), ("name", name)],
            )
            .await,
        )
        .await;
        assert_eq!(s, 200, "{body}");
    }
    let (_, y) = year("2026").await;
    assert_eq!(y["days"][0]["kind"], "Work", "{y}");
    assert_eq!(y["days"][0]["name"], "调休");
    // The page lists the year's days.
    let page = app
        .page(&ops, "/operator/holidays?year=2026")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("2026-12-31") && page.contains("调休"),
        "{page}"
    );
    let (s, _) = json(
        app.call(&ops, "calendar/remove", &[("day", "2026-12-31")])
            .await,
    )
    .await;
    assert_eq!(s, 200);
    let (s, body) = json(
        app.call(&ops, "calendar/remove", &[("day", "2026-12-31")])
            .await,
    )
    .await;
    assert_eq!((s, body["key"].as_str()), (404, Some("error.not_found")));
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('holiday.set', 'holiday.remove')"
        )
        .await,
        3
    );
    // The built-in year loads once; a year the product does not know is refused.
    let (s, n) = json(app.call(&ops, "calendar/load", &[("year", "2026")]).await).await;
    assert_eq!((s, n.as_i64()), (200, Some(39)));
    let (s, n) = json(app.call(&ops, "calendar/load", &[("year", "2026")]).await).await;
    assert_eq!(
        (s, n.as_i64()),
        (200, Some(0)),
        "a year with days is left as it is"
    );
    let (s, body) = json(app.call(&ops, "calendar/load", &[("year", "2031")]).await).await;
    assert_eq!(
        (s, body["key"].as_str()),
        (400, Some("error.holiday.no_official"))
    );
    app.assert_audit_sound().await;
}
