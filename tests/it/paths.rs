//! Development paths on both databases: the HCPN gate, the distributor invitation link's states
//! (mailed over SMTP to a local sink), requirements computed from real data, the application
//! state machine, and annual review windows.

use crate::common;

use common::smtp::SmtpSink;
use common::{Backend, PASSWORD, TestApp, json};
use serde_json::Value;

async fn select(app: &TestApp, c: &reqwest::Client, code: &str) -> (u16, Value) {
    json(app.call(c, "paths/select", &[("code", code)]).await).await
}

async fn detail(app: &TestApp, c: &reqwest::Client, code: &str) -> Value {
    let (s, d) = json(app.call(c, "paths/detail", &[("code", code)]).await).await;
    assert_eq!(s, 200, "{d}");
    d
}

fn stage<'a>(d: &'a Value, stage: &str) -> &'a Value {
    d["joined"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == stage)
        .unwrap()
}

fn requirement(d: &Value, st: &str, key: &str) -> (i64, i64) {
    let r = stage(d, st)["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("{key} in {d}"));
    (r["have"].as_i64().unwrap(), r["needed"].as_i64().unwrap())
}

fn personal(app: &TestApp, login: &str) {
    app.cli_ok(&[
        "admin",
        "create-personal",
        "--login",
        login,
        "--password",
        PASSWORD,
        "--verified",
    ]);
}

/// Associates a verified personal account with the partner signed in as `p`; returns its id.
async fn employee(app: &TestApp, p: &reqwest::Client, login: &str) -> String {
    personal(app, login);
    let (s, e) = json(app.call(p, "employees/invite", &[("login", login)]).await).await;
    assert_eq!(s, 200, "{e}");
    let me = app.signed_in(login).await;
    let (_, mine) = json(app.call(&me, "employees/mine", &[]).await).await;
    let id = mine[0]["id"].as_i64().unwrap().to_string();
    let res = app.call(&me, "employees/accept", &[("id", &id)]).await;
    // A server function that redirects answers 200 with a Location to a script (302 only to
    // a browser's form post, which accepts text/html).
    assert_eq!(res.status(), 200);
    app.count(&format!("SELECT id FROM users WHERE login = '{login}'"))
        .await
        .to_string()
}

async fn evidence(
    app: &TestApp,
    c: &reqwest::Client,
    code: &str,
    kind: &str,
    title: &str,
    extra: &[(&str, &str)],
) -> (u16, Value) {
    let mut form = vec![("code", code), ("kind", kind), ("title", title)];
    form.extend_from_slice(extra);
    json(app.call(c, "paths/evidence", &form).await).await
}

/// The operator decides everything pending of one kind (`evidence` or `application`).
async fn decide_all(
    app: &TestApp,
    ops: &reqwest::Client,
    what: &str,
    decision: &str,
    reason: &str,
) {
    let (_, q) = json(app.call(ops, "paths/op-queue", &[]).await).await;
    let list = if what == "evidence" {
        &q[0]["items"]
    } else {
        &q[1]["items"]
    };
    for item in list.as_array().unwrap() {
        let id = item["id"].as_i64().unwrap().to_string();
        let (s, e) = json(
            app.call(
                ops,
                "paths/op-decide",
                &[
                    ("what", what),
                    ("id", &id),
                    ("decision", decision),
                    ("reason", reason),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(s, 200, "{e}");
    }
}

fn china_day(offset_days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8) + chrono::Duration::days(offset_days))
        .format("%Y-%m-%d")
        .to_string()
}

on_both_backends!(selecting_a_path_needs_hcpn_onboarding_and_twice_changes_nothing);

async fn selecting_a_path_needs_hcpn_onboarding_and_twice_changes_nothing(app: TestApp) {
    app.cli_ok(&[
        "admin",
        "create-partner",
        "--name",
        "pending-co",
        "--kind",
        "solution-provider",
        "--login",
        "pending",
        "--password",
        PASSWORD,
        "--hcpn",
        "pending",
    ]);
    app.partner("prov", "solution-provider", None);
    let pending = app.signed_in("pending").await;
    let (_, items) = json(app.call(&pending, "paths/explore", &[]).await).await;
    assert_eq!(items.as_array().unwrap().len(), 5);
    assert!(
        items
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["blocked"] == "error.paths.hcpn_required"),
        "{items}"
    );
    let (s, e) = select(&app, &pending, "software").await;
    assert_eq!(
        (s, e["key"].as_str()),
        (409, Some("error.paths.hcpn_required"))
    );

    let p = app.signed_in("prov").await;
    assert_eq!(select(&app, &p, "software").await, (200, Value::Bool(true)));
    assert_eq!(
        select(&app, &p, "software").await,
        (200, Value::Bool(false))
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM path_memberships").await, 1);
    let (s, e) = select(&app, &p, "distributor").await;
    assert_eq!(
        (s, e["key"].as_str()),
        (409, Some("error.paths.invitation_only"))
    );
    assert_eq!(select(&app, &p, "gold").await.0, 404);
    let (_, joined) = json(app.call(&p, "paths/joined", &[]).await).await;
    assert_eq!(joined[0]["path"], "Software", "{joined}");
    // The home page's module shows it.
    let home = app.page(&p, "/center").await.text().await.unwrap();
    assert!(home.contains("软件伙伴发展路径") && home.contains("探索发展路径"));
    // Not on a path: no detail.
    let (s, _) = json(app.call(&p, "paths/detail", &[("code", "service")]).await).await;
    assert_eq!(s, 404);
}

/// The distributor invitation is mailed, opens after signing in, works once, for its partner
/// only, and not after 7 days.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_distributor_invitation_is_mailed_single_use_and_expires() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(mut app) = TestApp::database(backend).await else {
            continue;
        };
        let sink = SmtpSink::start().await;
        app.start(&["--smtp-url", &sink.url()]).await;
        let dist = app.partner("dist", "distributor", None);
        app.partner("other", "solution-provider", None);
        app.operator("ops");
        let ops = app.signed_in("ops").await;
        let invite = |email: &'static str| {
            let (app, ops) = (&app, &ops);
            async move {
                let id = dist.to_string();
                json(
                    app.call(
                        ops,
                        "paths/op-invite",
                        &[("partner_id", &id), ("email", email)],
                    )
                    .await,
                )
                .await
            }
        };
        let (s, e) = invite("not-an-email").await;
        assert_eq!(s, 400, "{e}");
        assert_eq!(invite("boss@dist.example.com").await.0, 200);
        let mail = sink
            .wait_for(|m| m.to.contains(&"boss@dist.example.com".to_string()))
            .await;
        let text = mail.text();
        assert!(text.contains("这里") && text.contains("总经销商"), "{text}");
        let link = text
            .lines()
            .find(|l| l.contains("/paths/invitation/"))
            .expect("link")
            .trim()
            .to_string();
        let token = link.rsplit('/').next().unwrap().to_string();
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM path_invitations WHERE token_hash = '{token}'"
            ))
            .await,
            0
        );
        // Signed out: through the login and back.
        let page = app
            .page(&app.client(), &format!("/paths/invitation/{token}"))
            .await;
        let loc = page.headers()["location"].to_str().unwrap().to_string();
        assert!(
            loc.starts_with("/login?next=") && loc.contains(&token),
            "{loc}"
        );
        // Another partner, a wrong link.
        let other = app.signed_in("other").await;
        let (_, v) = json(
            app.call(&other, "paths/invitation", &[("token", &token)])
                .await,
        )
        .await;
        assert_eq!(v["refusal"], "error.paths.invitation_other", "{v}");
        let (s, e) = json(
            app.call(&other, "paths/invitation-accept", &[("token", &token)])
                .await,
        )
        .await;
        assert_eq!(
            (s, e["key"].as_str()),
            (409, Some("error.paths.invitation_other"))
        );
        let d = app.signed_in("dist").await;
        let (s, _) = json(
            app.call(&d, "paths/invitation", &[("token", "wrong")])
                .await,
        )
        .await;
        assert_eq!(s, 404);
        // The partner applies once.
        let (_, v) = json(app.call(&d, "paths/invitation", &[("token", &token)]).await).await;
        assert_eq!(v["refusal"], Value::Null, "{v}");
        let res = app
            .call(&d, "paths/invitation-accept", &[("token", &token)])
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM path_memberships WHERE path = 'distributor'")
                .await,
            1
        );
        let (s, e) = json(
            app.call(&d, "paths/invitation-accept", &[("token", &token)])
                .await,
        )
        .await;
        assert_eq!(
            (s, e["key"].as_str()),
            (409, Some("error.paths.invitation_used"))
        );
        // A second link, 7 days later.
        invite("boss@dist.example.com").await;
        let second = sink
            .wait_for(|m| m.text().contains("/paths/invitation/") && !m.text().contains(&token))
            .await
            .text();
        let token2 = second
            .lines()
            .find(|l| l.contains("/paths/invitation/"))
            .unwrap()
            .trim()
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        let pool = app.db().await;
        sqlx::query("UPDATE path_invitations SET expires_at = 0 WHERE state = 'sent'")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        let (s, e) = json(
            app.call(&d, "paths/invitation-accept", &[("token", &token2)])
                .await,
        )
        .await;
        assert_eq!(
            (s, e["key"].as_str()),
            (409, Some("error.paths.invitation_expired"))
        );
        // Its detail page: the role needs a reseller, counted from real partners.
        let dd = detail(&app, &d, "distributor").await;
        assert_eq!(requirement(&dd, "Role", "req.resellers"), (0, 1));
        app.partner("res", "reseller", Some(dist));
        let dd = detail(&app, &d, "distributor").await;
        assert_eq!(requirement(&dd, "Role", "req.resellers"), (1, 1));
        assert_eq!(stage(&dd, "Role")["blocked"], Value::Null, "{dd}");
    }
}

on_both_backends!(older_decision_notices_are_rewritten_to_message_keys);

/// Migration 0019 on notices written before it: a decision's Chinese `item` becomes the path
/// and stage keys; evidence notices (whose `item` is the partner's own title) stay as they are.
async fn older_decision_notices_are_rewritten_to_message_keys(app: TestApp) {
    app.partner("svc", "solution-provider", None);
    let pool = app.db().await;
    let user: i64 = sqlx::query_scalar("SELECT id FROM users WHERE login = 'svc'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let old = [
        (
            "path.application_rejected",
            r#"{"item":"服务合作伙伴发展路径 · 角色认证","reason":"材料不全"}"#,
        ),
        (
            "path.review_passed",
            r#"{"item":"总经销商合作伙伴发展路径 · 能力差异化认证","reason":""}"#,
        ),
        (
            "path.evidence_approved",
            r#"{"item":"服务合作伙伴发展路径 · 角色认证","reason":""}"#,
        ),
    ];
    for (kind, params) in old {
        sqlx::query(
            "INSERT INTO messages (user_id, kind, params, link, created_at) VALUES ($1, $2, $3, NULL, 1)",
        )
        .bind(user)
        .bind(kind)
        .bind(params)
        .execute(&pool)
        .await
        .unwrap();
    }
    let migration = match app.backend {
        Backend::Sqlite => include_str!("../../migrations/sqlite/0019_path_notice_keys.sql"),
        Backend::Postgres => include_str!("../../migrations/postgres/0019_path_notice_keys.sql"),
    };
    sqlx::raw_sql(migration).execute(&pool).await.unwrap();
    pool.close().await;
    let p = app.signed_in("svc").await;
    let (_, msgs) = json(
        app.call(&p, "messages/list", &[("filter", ""), ("group", "path")])
            .await,
    )
    .await;
    let params = |kind: &str| {
        msgs["items"]
            .as_array()
            .and_then(|items| items.iter().find(|m| m["kind"] == kind))
            .map(|m| m["params"].clone())
            .unwrap_or_else(|| panic!("{kind}: {msgs}"))
    };
    assert_eq!(
        params("path.application_rejected"),
        serde_json::json!({"path": "path.service", "stage": "path.stage.role", "reason": "材料不全"})
    );
    assert_eq!(
        params("path.review_passed"),
        serde_json::json!({"path": "path.distributor", "stage": "path.stage.differentiation", "reason": ""})
    );
    assert_eq!(
        params("path.evidence_approved")["item"],
        "服务合作伙伴发展路径 · 角色认证",
        "an evidence title is the partner's own"
    );
}

on_both_backends!(service_role_certification_follows_real_data_and_the_operator);

async fn service_role_certification_follows_real_data_and_the_operator(app: TestApp) {
    app.partner("svc", "solution-provider", None);
    app.operator("ops");
    let p = app.signed_in("svc").await;
    let ops = app.signed_in("ops").await;
    assert_eq!(select(&app, &p, "service").await.0, 200);
    let alice = employee(&app, &p, "alice").await;
    let bob = employee(&app, &p, "bob").await;
    personal(&app, "stranger");

    // Evidence: the holder must be an associated employee; a case needs a past date.
    let stranger = app
        .count("SELECT id FROM users WHERE login = 'stranger'")
        .await
        .to_string();
    let (s, e) = evidence(
        &app,
        &p,
        "service",
        "employee_cert",
        "HCIP",
        &[("holder", &stranger)],
    )
    .await;
    assert_eq!((s, e["key"].as_str()), (400, Some("error.paths.holder")));
    let (s, e) = evidence(&app, &p, "service", "case", "迁移项目", &[]).await;
    assert_eq!((s, e["key"].as_str()), (400, Some("error.paths.case_date")));
    let (s, _) = evidence(&app, &p, "service", "offering", "x", &[]).await;
    assert_eq!(s, 400);
    for (holder, cert) in [
        (&alice, "HCIA"),
        (&alice, "HCIP"),
        (&alice, "HCIE"),
        (&bob, "HCIA"),
    ] {
        let (s, e) = evidence(
            &app,
            &p,
            "service",
            "employee_cert",
            cert,
            &[("holder", holder)],
        )
        .await;
        assert_eq!(s, 200, "{e}");
    }
    let recent = china_day(-30);
    let old = china_day(-400);
    evidence(
        &app,
        &p,
        "service",
        "case",
        "上云迁移",
        &[("occurred_on", &recent)],
    )
    .await;
    evidence(
        &app,
        &p,
        "service",
        "case",
        "旧案例",
        &[("occurred_on", &old)],
    )
    .await;

    // Nothing counts before the operator approves it.
    let d = detail(&app, &p, "service").await;
    assert_eq!(requirement(&d, "Role", "req.people"), (0, 2));
    assert_eq!(stage(&d, "Role")["blocked"], "path.blocked.requirements");
    let (s, e) = json(
        app.call(
            &p,
            "paths/apply",
            &[("code", "service"), ("stage_code", "role")],
        )
        .await,
    )
    .await;
    assert_eq!(
        (s, e["key"].as_str()),
        (409, Some("error.paths.requirements"))
    );
    decide_all(&app, &ops, "evidence", "approve", "").await;
    let d = detail(&app, &p, "service").await;
    assert_eq!(requirement(&d, "Role", "req.people"), (2, 2));
    assert_eq!(requirement(&d, "Role", "req.certificates"), (4, 4));
    assert_eq!(
        requirement(&d, "Role", "req.recent_cases"),
        (1, 1),
        "the old case does not count"
    );
    assert_eq!(stage(&d, "Role")["blocked"], Value::Null);

    // Apply; once pending, not again; differentiation waits for the role.
    let apply = |st: &'static str| {
        let (app, p) = (&app, &p);
        async move {
            json(
                app.call(p, "paths/apply", &[("code", "service"), ("stage_code", st)])
                    .await,
            )
            .await
        }
    };
    assert_eq!(apply("role").await.0, 200);
    assert_eq!(apply("role").await.1["key"], "error.paths.pending");
    assert_eq!(
        apply("differentiation").await.1["key"],
        "error.paths.role_first"
    );
    // Rejection needs a reason; the partner sees it and files again.
    let (_, q) = json(app.call(&ops, "paths/op-queue", &[]).await).await;
    let id = q[1]["items"][0]["id"].as_i64().unwrap().to_string();
    // The operator decides beside the partner's live checklist: the partner's own, item for item.
    assert_eq!(
        q[1]["items"][0]["checklist"],
        stage(&detail(&app, &p, "service").await, "Role")["requirements"],
        "{q}"
    );
    let met = q[1]["items"][0]["checklist"].as_array().unwrap();
    assert!(
        !met.is_empty()
            && met
                .iter()
                .all(|r| r["have"].as_i64() >= r["needed"].as_i64())
    );
    let html = app
        .page(&ops, "/operator/paths")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-testid=\"requirements\""), "{html}");
    let (s, e) = json(
        app.call(
            &ops,
            "paths/op-decide",
            &[("what", "application"), ("id", &id), ("decision", "reject")],
        )
        .await,
    )
    .await;
    assert_eq!(
        (s, e["key"].as_str()),
        (400, Some("error.paths.reason_required"))
    );
    decide_all(&app, &ops, "application", "reject", "案例材料不完整").await;
    let d = detail(&app, &p, "service").await;
    assert_eq!(stage(&d, "Role")["latest"]["state"], "Rejected");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM messages WHERE kind = 'path.application_rejected' AND params LIKE '%案例材料不完整%'")
            .await,
        1
    );
    // 能力 shows each stage with a bar per requirement, and the decision in the timeline.
    let html = app
        .page(&p, "/center/capability")
        .await
        .text()
        .await
        .unwrap();
    let requirements = |st: &str| stage(&d, st)["requirements"].as_array().unwrap().len();
    assert!(
        html.contains(r#"data-testid="capability-service-role""#),
        "{html}"
    );
    assert_eq!(
        html.matches(r#"class="progress-row""#).count(),
        requirements("Role") + requirements("Differentiation"),
        "{html}"
    );
    assert!(html.contains("已驳回（案例材料不完整）"), "{html}");
    // The path and stage travel as message keys (read in each reader's language).
    let (_, msgs) = json(
        app.call(&p, "messages/list", &[("filter", ""), ("group", "path")])
            .await,
    )
    .await;
    let rejected = msgs["items"]
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .find(|m| m["kind"] == "path.application_rejected")
        })
        .unwrap_or_else(|| panic!("{msgs}"));
    assert_eq!(
        (
            rejected["params"]["path"].as_str(),
            rejected["params"]["stage"].as_str(),
            rejected["params"].get("item")
        ),
        (Some("path.service"), Some("path.stage.role"), None),
        "{rejected}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM messages WHERE kind = 'path.evidence_approved'")
            .await,
        6,
        "one message per approved piece of evidence"
    );
    assert_eq!(stage(&d, "Role")["latest"]["reason"], "案例材料不完整");
    let (s, e) = json(
        app.call(
            &ops,
            "paths/op-decide",
            &[
                ("what", "application"),
                ("id", &id),
                ("decision", "approve"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!((s, e["key"].as_str()), (409, Some("error.paths.decided")));
    assert_eq!(apply("role").await.0, 200);
    decide_all(&app, &ops, "application", "approve", "").await;
    let d = detail(&app, &p, "service").await;
    let cert = &stage(&d, "Role")["certification"];
    assert_eq!(cert["active"], true, "{d}");
    let year = cert["valid_until"].as_i64().unwrap() - cert["certified_at"].as_i64().unwrap();
    assert_eq!(year, 365 * 86_400_000);
    assert_eq!(apply("role").await.1["key"], "error.paths.certified");
    assert_eq!(
        stage(&d, "Differentiation")["blocked"],
        "path.blocked.requirements"
    );
    // A holder who loses real-name verification no longer counts.
    app.cli_ok(&[
        "admin",
        "set-real-name",
        "--login",
        "bob",
        "--verified",
        "false",
    ]);
    let d = detail(&app, &p, "service").await;
    assert_eq!(requirement(&d, "Role", "req.people"), (1, 2));
    assert_eq!(requirement(&d, "Role", "req.certificates"), (3, 4));
    // The exam is for the employees themselves (#21): the partner's page lists who may sit it;
    // Bob, no longer verified, may not.
    let bob_exam = d["exam"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["login"] == "bob")
        .expect("bob is listed");
    assert_eq!(bob_exam["real_name_verified"], false);
    let page = app
        .page(&p, "/center/paths/service")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("data-testid=\"exam-bob\" data-eligible=\"false\""));
    assert!(page.contains("个人实名认证"));
}

/// Gets the SI path's role certification for a partner (1 label, approved).
async fn si_certified(app: &TestApp, p: &reqwest::Client, ops: &reqwest::Client) {
    assert_eq!(select(app, p, "si").await.0, 200);
    assert_eq!(
        evidence(app, p, "si", "label", "数据库迁移标签", &[])
            .await
            .0,
        200
    );
    decide_all(app, ops, "evidence", "approve", "").await;
    let (s, e) = json(
        app.call(p, "paths/apply", &[("code", "si"), ("stage_code", "role")])
            .await,
    )
    .await;
    assert_eq!(s, 200, "{e}");
    decide_all(app, ops, "application", "approve", "").await;
}

async fn window(app: &TestApp, ops: &reqwest::Client, year: &str, first: i64, last: i64) -> u16 {
    let (first, last) = (china_day(first), china_day(last));
    app.call(
        ops,
        "paths/op-window",
        &[
            ("year", year),
            ("first", &first),
            ("last", &last),
            ("covers", "si:role"),
        ],
    )
    .await
    .status()
    .as_u16()
}

async fn review(app: &TestApp, p: &reqwest::Client) -> (u16, Value) {
    json(
        app.call(p, "paths/review", &[("code", "si"), ("stage_code", "role")])
            .await,
    )
    .await
}

on_both_backends!(annual_review_is_accepted_only_inside_its_window);

async fn annual_review_is_accepted_only_inside_its_window(app: TestApp) {
    app.partner("si-a", "solution-provider", None);
    app.partner("si-b", "solution-provider", None);
    app.operator("ops");
    let ops = app.signed_in("ops").await;
    let a = app.signed_in("si-a").await;
    let b = app.signed_in("si-b").await;
    si_certified(&app, &a, &ops).await;
    si_certified(&app, &b, &ops).await;

    assert_eq!(
        review(&app, &a).await.1["key"],
        "error.paths.no_review_window"
    );
    // A window starting tomorrow, and one that ended yesterday: outside both.
    assert_eq!(window(&app, &ops, "2030", 1, 10).await, 200);
    assert_eq!(window(&app, &ops, "2031", -10, -1).await, 200);
    assert_eq!(
        window(&app, &ops, "2032", 0, -1).await,
        400,
        "last day before first"
    );
    assert_eq!(
        review(&app, &a).await.1["key"],
        "error.paths.no_review_window"
    );
    let d = detail(&app, &a, "si").await;
    assert_eq!(stage(&d, "Role")["review"], Value::Null);
    // Today is both the first and the last day of this one: inside.
    assert_eq!(window(&app, &ops, "2024", 0, 0).await, 200);
    let d = detail(&app, &a, "si").await;
    let banner = &stage(&d, "Role")["review"];
    assert_eq!(
        (banner["year"].as_i64(), banner["days_left"].as_i64()),
        (Some(2024), Some(1)),
        "{d}"
    );
    let home = app.page(&a, "/center").await.text().await.unwrap();
    assert!(
        home.contains("年度复核进行中"),
        "the home module shows the banner"
    );
    assert_eq!(review(&app, &a).await.0, 200);
    assert_eq!(
        review(&app, &a).await.1["key"],
        "error.paths.review_submitted"
    );
    assert_eq!(review(&app, &b).await.0, 200);
    // Differentiation is not covered; a partner without the stage has nothing to review.
    let (_, e) = json(
        app.call(
            &a,
            "paths/review",
            &[("code", "si"), ("stage_code", "differentiation")],
        )
        .await,
    )
    .await;
    assert_eq!(e["key"], "error.paths.no_review_window");

    // The operator passes b and fails a: a's certification is revoked with the reason.
    let (_, q) = json(app.call(&ops, "paths/op-queue", &[]).await).await;
    for item in q[1]["items"].as_array().unwrap() {
        let id = item["id"].as_i64().unwrap().to_string();
        let pass = item["partner_name"] == "si-b";
        let decision = if pass { "approve" } else { "reject" };
        let (s, e) = json(
            app.call(
                &ops,
                "paths/op-decide",
                &[
                    ("what", "application"),
                    ("id", &id),
                    ("decision", decision),
                    ("reason", "复核材料未更新"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(s, 200, "{e}");
    }
    let da = detail(&app, &a, "si").await;
    let ca = &stage(&da, "Role")["certification"];
    assert_eq!(
        (ca["active"].as_bool(), ca["revoked_reason"].as_str()),
        (Some(false), Some("复核材料未更新"))
    );
    assert_eq!(stage(&da, "Role")["review"], Value::Null);
    let page = app.page(&a, "/center/paths/si").await.text().await.unwrap();
    assert!(page.contains("认证已撤销") && page.contains("复核材料未更新"));
    // Each partner is told in its message center, with the reason.
    let told = |kind: &'static str, login: &'static str| {
        let app = &app;
        async move {
            app.count(&format!(
                "SELECT COUNT(*) FROM messages m JOIN users u ON u.id = m.user_id \
                 WHERE m.kind = '{kind}' AND u.login = '{login}' AND m.params LIKE '%复核材料未更新%'"
            ))
            .await
        }
    };
    assert_eq!(told("path.review_failed", "si-a").await, 1);
    assert_eq!(told("path.review_passed", "si-b").await, 1);
    assert_eq!(told("path.review_failed", "si-b").await, 0);
    let db = detail(&app, &b, "si").await;
    let cb = &stage(&db, "Role")["certification"];
    assert_eq!(cb["active"], true);
    let extended = cb["valid_until"].as_i64().unwrap() - cb["certified_at"].as_i64().unwrap();
    assert!(
        extended >= 2 * 365 * 86_400_000 - 60_000,
        "a passed review adds a year: {cb}"
    );
    assert_eq!(stage(&db, "Role")["review"]["submitted"], "Approved");
}

on_both_backends!(the_exam_is_offered_to_eligible_employees_on_their_own_page);

/// The service-partner exam is for people: each associated employee sees it on the personal
/// page, with the link only when real-name verified on the China site; the partner's path page
/// lists who is eligible.
async fn the_exam_is_offered_to_eligible_employees_on_their_own_page(app: TestApp) {
    app.partner("svc", "solution-provider", None);
    app.operator("ops");
    let p = app.signed_in("svc").await;
    let ops = app.signed_in("ops").await;
    assert_eq!(select(&app, &p, "service").await.0, 200);
    // Before anyone is associated: an empty state, not a warning about the partner's account.
    let html = app
        .page(&p, "/center/paths/service")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-testid=\"exam\""), "{html}");
    assert!(!html.contains("exam-employees") && !html.contains("exam-link"));
    employee(&app, &p, "alice").await;
    employee(&app, &p, "bob").await;
    personal(&app, "loner");
    // Bob's real-name verification is withdrawn after he joined.
    let res = app
        .call(
            &ops,
            "operator/real-name",
            &[("login", "bob"), ("verified", "false")],
        )
        .await;
    assert_eq!(res.status(), 200);

    let d = detail(&app, &p, "service").await;
    let exam: Vec<(String, bool, bool)> = d["exam"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["login"].as_str().unwrap().to_string(),
                e["real_name_verified"].as_bool().unwrap(),
                e["china_site"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        exam,
        [
            ("alice".to_string(), true, true),
            ("bob".to_string(), false, true)
        ]
    );
    let html = app
        .page(&p, "/center/paths/service")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("data-testid=\"exam-alice\" data-eligible=\"true\""),
        "{html}"
    );
    assert!(
        html.contains("data-testid=\"exam-bob\" data-eligible=\"false\""),
        "{html}"
    );
    assert!(
        !html.contains("exam-link"),
        "the partner account does not sit the exam"
    );

    // Alice: eligible, sees the link on her own page.
    let alice = app.signed_in("alice").await;
    let (s, mine) = json(app.call(&alice, "employees/exam", &[]).await).await;
    assert_eq!(s, 200);
    assert_eq!(mine["partner_name"], "svc");
    assert_eq!(mine["eligibility"]["real_name_verified"], true);
    let html = app.page(&alice, "/personal").await.text().await.unwrap();
    assert!(
        html.contains("data-testid=\"my-exam\" data-eligible=\"true\""),
        "{html}"
    );
    assert!(html.contains("data-testid=\"exam-link\""), "{html}");
    // Bob: told why, no link.
    let bob = app.signed_in("bob").await;
    let html = app.page(&bob, "/personal").await.text().await.unwrap();
    assert!(
        html.contains("data-testid=\"my-exam\" data-eligible=\"false\""),
        "{html}"
    );
    assert!(html.contains("exam-not-eligible") && !html.contains("exam-link"));
    // Someone who works for no partner has no exam panel.
    let loner = app.signed_in("loner").await;
    let (s, none) = json(app.call(&loner, "employees/exam", &[]).await).await;
    assert_eq!((s, none), (200, Value::Null));
    let html = app.page(&loner, "/personal").await.text().await.unwrap();
    assert!(!html.contains("my-exam"));
    // Only a person's own account asks.
    assert_eq!(app.call(&p, "employees/exam", &[]).await.status(), 403);
}

/// The token of the invitation link in a mail's text.
fn invitation_token(text: &str) -> String {
    let line = text
        .lines()
        .find(|l| l.contains("/paths/invitation/"))
        .expect("link");
    line.trim().rsplit('/').next().unwrap().to_string()
}

/// Operators (#17): only distributor-type partners are invited; invitations are listed with their
/// state, cancelled, or sent again with a new link that replaces the old one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_list_cancel_and_resend_distributor_invitations() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(mut app) = TestApp::database(backend).await else {
            continue;
        };
        let sink = SmtpSink::start().await;
        app.start(&["--smtp-url", &sink.url()]).await;
        let dist = app.partner("inv-dist", "distributor", None).to_string();
        let prov = app
            .partner("inv-prov", "solution-provider", None)
            .to_string();
        app.operator("inv-ops");
        let ops = app.signed_in("inv-ops").await;
        let call = |f: &'static str, form: Vec<(&'static str, String)>| {
            let (app, ops) = (&app, &ops);
            async move {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                json(app.call(ops, f, &form).await).await
            }
        };
        let email = || ("email", "boss@inv.example.com".to_string());
        let (s, e) = call("paths/op-invite", vec![("partner_id", prov), email()]).await;
        assert_eq!(
            (s, e["key"].as_str()),
            (409, Some("error.paths.invite_distributor_only"))
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM path_invitations").await, 0);
        assert_eq!(
            call(
                "paths/op-invite",
                vec![("partner_id", dist.clone()), email()]
            )
            .await
            .0,
            200
        );
        let first = invitation_token(
            &sink
                .wait_for(|m| m.text().contains("/paths/invitation/"))
                .await
                .text(),
        );
        let (_, list) = call("paths/op-invitations", vec![]).await;
        assert_eq!(list["total"], 1, "{list}");
        assert_eq!(list["items"][0]["state"], "sent");
        assert_eq!(list["items"][0]["partner_name"], "inv-dist");
        let id = list["items"][0]["id"].as_i64().unwrap().to_string();

        // Sent again: a new link; the old one stops working.
        let (s, new) = call("paths/op-invitation-resend", vec![("id", id.clone())]).await;
        assert_eq!(s, 200, "{new}");
        let new = new.as_i64().unwrap().to_string();
        let second = invitation_token(
            &sink
                .wait_for(|m| m.text().contains("/paths/invitation/") && !m.text().contains(&first))
                .await
                .text(),
        );
        let d = app.signed_in("inv-dist").await;
        let refusal = |token: String| {
            let (app, d) = (&app, &d);
            async move {
                let (_, v) =
                    json(app.call(d, "paths/invitation", &[("token", &token)]).await).await;
                v["refusal"].clone()
            }
        };
        assert_eq!(
            refusal(first.clone()).await,
            "error.paths.invitation_cancelled"
        );
        assert_eq!(refusal(second.clone()).await, Value::Null);
        let (_, list) = call("paths/op-invitations", vec![]).await;
        let states: Vec<&str> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["state"].as_str().unwrap())
            .collect();
        assert_eq!(states, ["sent", "cancelled"], "{list}");

        // Cancelled: once; a cancelled one is not sent again.
        assert_eq!(
            call("paths/op-invitation-cancel", vec![("id", new.clone())])
                .await
                .0,
            200
        );
        let (s, e) = call("paths/op-invitation-cancel", vec![("id", new.clone())]).await;
        assert_eq!(
            (s, e["key"].as_str()),
            (409, Some("error.paths.invitation_not_open"))
        );
        let (s, e) = call("paths/op-invitation-resend", vec![("id", new)]).await;
        assert_eq!(
            (s, e["key"].as_str()),
            (409, Some("error.paths.invitation_not_open"))
        );
        assert_eq!(refusal(second).await, "error.paths.invitation_cancelled");
        assert_eq!(
            call("paths/op-invitation-cancel", vec![("id", "99999".into())])
                .await
                .0,
            404
        );
        let (s, _) = json(app.call(&d, "paths/op-invitations", &[]).await).await;
        assert_eq!(s, 403);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('paths.invitation_resend', 'paths.invitation_cancel') AND actor = 'inv-ops'").await,
            2
        );
        app.assert_audit_sound().await;
    }
}

on_both_backends!(review_windows_are_changed_before_they_open_and_closed_early);

/// Operators (#17): a review window is changed only before it opens, and an open one is closed
/// early (then the scheduler treats it as over).
async fn review_windows_are_changed_before_they_open_and_closed_early(app: TestApp) {
    app.operator("win-ops");
    let ops = app.signed_in("win-ops").await;
    let year = china_day(0)[..4].to_string();
    assert_eq!(window(&app, &ops, &year, 10, 40).await, 200);
    assert_eq!(window(&app, &ops, &year, -1, 10).await, 200);
    let ids = |sql: &'static str| {
        let app = &app;
        async move { app.count(sql).await }
    };
    let upcoming = ids("SELECT MIN(id) FROM review_windows").await.to_string();
    let open = ids("SELECT MAX(id) FROM review_windows").await.to_string();
    let edit = |id: String, first: i64, last: i64, covers: &'static str| {
        let (app, ops) = (&app, &ops);
        async move {
            let (f, l) = (china_day(first), china_day(last));
            json(
                app.call(
                    ops,
                    "paths/op-window-edit",
                    &[("id", &id), ("first", &f), ("last", &l), ("covers", covers)],
                )
                .await,
            )
            .await
        }
    };
    let close = |id: String| {
        let (app, ops) = (&app, &ops);
        async move { json(app.call(ops, "paths/op-window-close", &[("id", &id)]).await).await }
    };
    // Before it opens: changed; not to start today or earlier; not to cover nothing.
    let (s, e) = edit(upcoming.clone(), 5, 20, "si:role,service:role").await;
    assert_eq!(s, 200, "{e}");
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM review_windows WHERE id = {upcoming} AND covers = 'si:role,service:role'")).await,
        1
    );
    let (s, e) = edit(upcoming.clone(), 0, 20, "si:role").await;
    assert_eq!(
        (s, e["key"].as_str()),
        (400, Some("error.paths.window_past"))
    );
    let (s, _) = edit(upcoming.clone(), 5, 20, "").await;
    assert_eq!(s, 400);
    let (s, e) = close(upcoming.clone()).await;
    assert_eq!(
        (s, e["key"].as_str()),
        (409, Some("error.paths.window_not_open"))
    );
    // Once open: not changed, but closed early, once.
    let (s, e) = edit(open.clone(), 5, 20, "si:role").await;
    assert_eq!(
        (s, e["key"].as_str()),
        (409, Some("error.paths.window_started"))
    );
    let (s, e) = close(open.clone()).await;
    assert_eq!(s, 200, "{e}");
    let now = chrono::Utc::now().timestamp_millis();
    let ends = app
        .count(&format!(
            "SELECT ends_at FROM review_windows WHERE id = {open}"
        ))
        .await;
    assert!(ends <= now && ends > now - 60_000, "{ends} vs {now}");
    let (s, e) = close(open).await;
    assert_eq!(
        (s, e["key"].as_str()),
        (409, Some("error.paths.window_not_open"))
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('paths.window_edit', 'paths.window_close') AND actor = 'win-ops'").await,
        2
    );
    app.assert_audit_sound().await;
}

on_both_backends!(the_operator_queues_are_paged_and_none_is_cut_off);

/// The operator's evidence queue is paged (50 a page, oldest first): nothing beyond the first
/// page is cut off.
async fn the_operator_queues_are_paged_and_none_is_cut_off(app: TestApp) {
    app.partner("pg-svc", "solution-provider", None);
    app.operator("ops");
    let p = app.signed_in("pg-svc").await;
    let ops = app.signed_in("ops").await;
    assert_eq!(select(&app, &p, "service").await.0, 200);
    let day = china_day(-30);
    for i in 0..52 {
        let title = format!("案例 {i:02}");
        let (s, e) = evidence(
            &app,
            &p,
            "service",
            "case",
            &title,
            &[("occurred_on", &day)],
        )
        .await;
        assert_eq!(s, 200, "{e}");
    }
    let queue = |form: Vec<(&'static str, &'static str)>| {
        let (app, ops) = (&app, &ops);
        async move { json(app.call(ops, "paths/op-queue", &form).await).await }
    };
    let titles = |q: &Value| -> Vec<String> {
        q[0]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["title"].as_str().unwrap().to_string())
            .collect()
    };
    let (s, first) = queue(vec![]).await;
    assert_eq!(s, 200, "{first}");
    assert_eq!(
        (first[0]["total"].as_i64(), first[0]["number"].as_i64()),
        (Some(52), Some(1))
    );
    let first_titles = titles(&first);
    assert_eq!(first_titles.len(), 50);
    assert_eq!(first_titles[0], "案例 00");
    let (_, second) = queue(vec![("evidence_page", "2")]).await;
    assert_eq!(titles(&second), ["案例 50", "案例 51"]);
    // The page shows the pager of that list.
    let html = app
        .page(&ops, "/operator/paths?ep=2")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("案例 51") && !html.contains("案例 00"),
        "{html}"
    );
}
