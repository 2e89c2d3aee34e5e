//! Organisation and engagement: employee association rules (with the 365-day window), the
//! message center, PCE opportunity sharing with its business-day deadline, and the help
//! center — on both databases.

use crate::common;

use common::{PASSWORD, TestApp, json};
use partner_center::messages::model::{Group, KINDS};
use serde_json::Value;

on_both_backends!(
    every_association_rule_refuses_with_its_reason,
    the_365_day_window_counts_only_recent_other_partners,
    an_invited_person_accepts_from_the_message_center_and_can_be_unbound,
    messages_are_private_and_their_read_state_sticks,
    every_message_filter_returns_exactly_its_kinds,
    pce_needs_the_plan_and_hos_must_be_answered_within_three_business_days,
    opportunity_stages_are_explicit_and_lost_needs_a_reason,
    operators_record_verification_and_share_hos_from_their_pages,
);

fn personal(app: &TestApp, login: &str, verified: bool, site: &str) -> i64 {
    let mut args = vec![
        "admin",
        "create-personal",
        "--login",
        login,
        "--password",
        PASSWORD,
        "--site",
        site,
    ];
    if verified {
        args.push("--verified");
    }
    app.cli_ok(&args)["user_id"].as_i64().expect("user_id")
}

async fn invite(app: &TestApp, c: &reqwest::Client, login: &str) -> (u16, Value) {
    json(app.call(c, "employees/invite", &[("login", login)]).await).await
}

async fn links(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM employee_links").await
}

async fn every_association_rule_refuses_with_its_reason(app: TestApp) {
    let a = app.partner("part-a", "solution-provider", None);
    app.partner("part-b", "distributor", None);
    app.customer(a, "cust-a", "resale");
    app.operator("ops");
    personal(&app, "alice", true, "cn");
    personal(&app, "bob", false, "cn");
    personal(&app, "intl-carol", true, "intl");
    let pa = app.signed_in("part-a").await;
    let pb = app.signed_in("part-b").await;

    // An account that is not personal and one that does not exist get the same answer (#15:
    // an invitation must not tell whether a login exists).
    for (login, key) in [
        ("part-b", "error.employees.no_personal_account"),
        ("cust-a", "error.employees.no_personal_account"),
        ("ops", "error.employees.no_personal_account"),
        ("bob", "error.employees.not_verified"),
        ("intl-carol", "error.employees.not_verified"),
        ("nobody-here", "error.employees.no_personal_account"),
    ] {
        let (s, body) = invite(&app, &pa, login).await;
        assert_eq!(body["key"].as_str(), Some(key), "{login}: {body}");
        assert!(s == 409 || s == 400, "{login}: {s}");
    }
    assert_eq!(links(&app).await, 0);

    // Verification recorded by the operator makes the account invitable.
    app.cli_ok(&[
        "admin",
        "set-real-name",
        "--login",
        "bob",
        "--verified",
        "true",
    ]);
    assert_eq!(invite(&app, &pa, "bob").await.0, 200);

    assert_eq!(invite(&app, &pa, "alice").await.0, 200);
    let (s, body) = invite(&app, &pa, "alice").await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.employees.already_invited"))
    );
    // Another partner may invite too; the first acceptance wins.
    assert_eq!(invite(&app, &pb, "alice").await.0, 200);
    let alice = app.signed_in("alice").await;
    let (_, mine) = json(app.call(&alice, "employees/mine", &[]).await).await;
    let from = |name: &str| {
        mine.as_array()
            .unwrap()
            .iter()
            .find(|i| i["partner_name"] == name)
            .and_then(|i| i["id"].as_i64())
            .unwrap()
            .to_string()
    };
    let (ia, ib) = (from("part-a"), from("part-b"));
    assert_eq!(
        app.call(&alice, "employees/accept", &[("id", &ia)])
            .await
            .status(),
        200
    );
    let (s, body) = json(app.call(&alice, "employees/accept", &[("id", &ib)]).await).await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.employees.other_partner"))
    );
    let (s, body) = invite(&app, &pa, "alice").await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.employees.already_member"))
    );
    let (s, body) = invite(&app, &pb, "alice").await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.employees.other_partner"))
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM employee_links WHERE state = 'active'")
            .await,
        1
    );

    // Only personal accounts answer invitations, and only their own.
    assert_eq!(
        app.call(&pa, "employees/accept", &[("id", &ib)])
            .await
            .status(),
        403
    );
    let bob = app.signed_in("bob").await;
    assert_eq!(
        app.call(&bob, "employees/accept", &[("id", &ib)])
            .await
            .status(),
        404
    );
    // A partner cannot cancel someone else's invitation.
    assert_eq!(
        app.call(&pa, "employees/cancel", &[("id", &ib)])
            .await
            .status(),
        404
    );
}

async fn the_365_day_window_counts_only_recent_other_partners(app: TestApp) {
    let partners: Vec<i64> = (0..5)
        .map(|i| app.partner(&format!("firm-{i}"), "solution-provider", None))
        .collect();
    let dave = personal(&app, "dave", true, "cn");
    const DAY: i64 = 86_400_000;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    // Past associations with firm-0, firm-1, firm-2, all ended; firm-0's ended long ago.
    let pool = app.db().await;
    let history = |partner: i64, joined: i64, ended: i64| {
        sqlx::query(
            "INSERT INTO employee_links (partner_id, user_id, state, invited_at, joined_at, ended_at) \
             VALUES ($1, $2, 'unbound', $3, $3, $4)",
        )
        .bind(partner)
        .bind(dave)
        .bind(joined)
        .bind(ended)
    };
    // Ended a little more than 365 days ago (a minute of slack for the request): outside.
    history(partners[0], now - 500 * DAY, now - 365 * DAY - 60_000)
        .execute(&pool)
        .await
        .unwrap();
    history(partners[1], now - 400 * DAY, now - 100 * DAY)
        .execute(&pool)
        .await
        .unwrap();
    history(partners[2], now - 300 * DAY, now - 10 * DAY)
        .execute(&pool)
        .await
        .unwrap();

    // Two others count: firm-3 may invite (it would be the third).
    let f3 = app.signed_in("firm-3").await;
    assert_eq!(invite(&app, &f3, "dave").await.0, 200);
    // Move firm-0's end inside the window by a minute: now three others count for firm-4.
    sqlx::query("UPDATE employee_links SET ended_at = $1 WHERE partner_id = $2")
        .bind(now - 365 * DAY + 60_000)
        .bind(partners[0])
        .execute(&pool)
        .await
        .unwrap();
    let f4 = app.signed_in("firm-4").await;
    let (s, body) = invite(&app, &f4, "dave").await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.employees.too_many_partners"))
    );
    // A partner already counted may associate again: it adds no partner.
    let f1 = app.signed_in("firm-1").await;
    assert_eq!(invite(&app, &f1, "dave").await.0, 200);
    // The rule is checked again on acceptance: firm-3's invitation is now the fourth partner.
    let dave_c = app.signed_in("dave").await;
    let id: i64 = sqlx::query_scalar(
        "SELECT id FROM employee_links WHERE partner_id = $1 AND state = 'pending'",
    )
    .bind(partners[3])
    .fetch_one(&pool)
    .await
    .unwrap();
    let (s, body) = json(
        app.call(&dave_c, "employees/accept", &[("id", &id.to_string())])
            .await,
    )
    .await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.employees.too_many_partners"))
    );
    // Rejoining firm-1 is fine.
    let id: i64 = sqlx::query_scalar(
        "SELECT id FROM employee_links WHERE partner_id = $1 AND state = 'pending'",
    )
    .bind(partners[1])
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;
    assert_eq!(
        app.call(&dave_c, "employees/accept", &[("id", &id.to_string())])
            .await
            .status(),
        200
    );
}

async fn an_invited_person_accepts_from_the_message_center_and_can_be_unbound(app: TestApp) {
    app.cli_ok(&[
        "admin",
        "create-partner",
        "--name",
        "华南云总经销有限公司",
        "--kind",
        "distributor",
        "--login",
        "south",
        "--password",
        PASSWORD,
    ]);
    personal(&app, "erin", true, "cn");
    let partner = app.signed_in("south").await;
    let erin = app.signed_in("erin").await;
    assert_eq!(app.me(&erin).await["unread"], 0);

    assert_eq!(invite(&app, &partner, "erin").await.0, 200);
    // The association notice, with its link, in the person's message center.
    let me = app.me(&erin).await;
    assert_eq!(me["unread"], 1, "{me}");
    let (s, page) = json(
        app.call(
            &erin,
            "messages/list",
            &[("filter", "unread"), ("group", "")],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200);
    let notice = &page["items"][0];
    assert_eq!(notice["kind"], "employee.invited");
    assert_eq!(notice["params"]["partner"], "华南云总经销有限公司");
    let link = notice["link"].as_str().unwrap().to_string();
    assert!(link.starts_with("/personal#invitation-"), "{link}");
    let html = app.page(&erin, "/messages").await.text().await.unwrap();
    assert!(
        html.contains("华南云总经销有限公司 邀请您关联为项目专员"),
        "{html}"
    );
    assert!(html.contains("未读消息"));
    let html = app.page(&erin, "/personal").await.text().await.unwrap();
    let id = link.trim_start_matches("/personal#invitation-").to_string();
    assert!(html.contains(&format!("id=\"invitation-{id}\"")), "{html}");

    assert_eq!(
        app.call(&erin, "employees/accept", &[("id", &id)])
            .await
            .status(),
        200
    );
    let (s, body) = json(app.call(&erin, "employees/accept", &[("id", &id)]).await).await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.employees.invitation_closed"))
    );
    let (_, members) = json(app.call(&partner, "employees/list", &[]).await).await;
    assert_eq!(members["items"][0]["login"], "erin");
    assert_eq!(members["items"][0]["state"], "Active");
    assert_eq!(
        app.me(&partner).await["unread"],
        1,
        "the partner hears of the acceptance"
    );

    // 取消绑定, then the person is told and may be invited again.
    let (s, body) = json(app.call(&partner, "employees/cancel", &[("id", &id)]).await).await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.employees.invitation_closed"))
    );
    assert_eq!(
        app.call(&partner, "employees/unbind", &[("id", &id)])
            .await
            .status(),
        200
    );
    let (s, _) = json(app.call(&partner, "employees/unbind", &[("id", &id)]).await).await;
    assert_eq!(s, 409);
    let (_, page) = json(
        app.call(
            &erin,
            "messages/list",
            &[("filter", ""), ("group", "employee")],
        )
        .await,
    )
    .await;
    assert_eq!(page["items"][0]["kind"], "employee.unbound");
    assert_eq!(invite(&app, &partner, "erin").await.0, 200);
    // A pending invitation can be cancelled; the person then cannot accept it.
    let (_, members) = json(app.call(&partner, "employees/list", &[]).await).await;
    let pending = members["items"][0]["id"].as_i64().unwrap().to_string();
    assert_eq!(
        app.call(&partner, "employees/cancel", &[("id", &pending)])
            .await
            .status(),
        200
    );
    let (s, _) = json(
        app.call(&erin, "employees/accept", &[("id", &pending)])
            .await,
    )
    .await;
    assert_eq!(s, 409);
    let html = app
        .page(&partner, "/center/org")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("已解绑") && html.contains("已取消"), "{html}");
    for action in [
        "employees.invite",
        "employees.accept",
        "employees.unbind",
        "employees.cancel",
    ] {
        assert!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
            ))
            .await
                >= 1,
            "{action}"
        );
    }
}

async fn messages_are_private_and_their_read_state_sticks(app: TestApp) {
    app.partner("part-a", "solution-provider", None);
    personal(&app, "fay", true, "cn");
    personal(&app, "gus", true, "cn");
    let partner = app.signed_in("part-a").await;
    assert_eq!(invite(&app, &partner, "fay").await.0, 200);
    assert_eq!(invite(&app, &partner, "gus").await.0, 200);
    let fay = app.signed_in("fay").await;
    let gus = app.signed_in("gus").await;
    let (_, page) = json(
        app.call(&fay, "messages/list", &[("filter", ""), ("group", "")])
            .await,
    )
    .await;
    let fay_msg = page["items"][0]["id"].as_i64().unwrap().to_string();

    // Someone else's message is "not found" and stays unread.
    assert_eq!(
        app.call(&gus, "messages/read", &[("id", &fay_msg)])
            .await
            .status(),
        404
    );
    assert_eq!(app.me(&fay).await["unread"], 1);
    assert_eq!(
        app.call(
            &app.client(),
            "messages/list",
            &[("filter", ""), ("group", "")]
        )
        .await
        .status(),
        401
    );

    assert_eq!(
        app.call(&fay, "messages/read", &[("id", &fay_msg)])
            .await
            .status(),
        200
    );
    assert_eq!(app.me(&fay).await["unread"], 0);
    assert_eq!(
        app.call(&fay, "messages/read", &[("id", &fay_msg)])
            .await
            .status(),
        200,
        "reading twice is harmless"
    );
    let (_, unread) = json(
        app.call(
            &fay,
            "messages/list",
            &[("filter", "unread"), ("group", "")],
        )
        .await,
    )
    .await;
    assert_eq!(unread["total"], 0);
    let (_, all) = json(
        app.call(&fay, "messages/list", &[("filter", ""), ("group", "")])
            .await,
    )
    .await;
    assert_eq!(all["items"][0]["read"], true);
    let (_, pce) = json(
        app.call(&fay, "messages/list", &[("filter", ""), ("group", "pce")])
            .await,
    )
    .await;
    assert_eq!(pce["total"], 0);

    assert_eq!(app.me(&gus).await["unread"], 1);
    let (s, n) = json(app.call(&gus, "messages/read-all", &[]).await).await;
    assert_eq!((s, n), (200, Value::from(1)));
    assert_eq!(app.me(&gus).await["unread"], 0);
    let read_at: i64 = {
        let pool = app.db().await;
        let v = sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE read_at IS NULL")
            .fetch_one(&pool)
            .await
            .unwrap();
        pool.close().await;
        v
    };
    assert_eq!(read_at, 0);
}

pub(crate) fn share_ho(
    app: &TestApp,
    partner: i64,
    customer: &str,
    shared_at: Option<&str>,
) -> (i32, String, String) {
    let p = partner.to_string();
    let mut args = vec![
        "admin",
        "share-ho",
        "--partner",
        &p,
        "--customer",
        customer,
        "--product",
        "云数据库 GaussDB",
        "--amount",
        "380000",
    ];
    if let Some(at) = shared_at {
        args.extend(["--shared-at", at]);
    }
    app.cli(&args)
}

pub(crate) async fn join_pce(app: &TestApp, login: &str, name: &str) {
    let c = app.signed_in(login).await;
    let res = app
        .call(
            &c,
            "plans/apply",
            &[
                ("plan", "pce"),
                ("contact_name", "张伟"),
                ("contact_phone", "13800000000"),
                ("statement", "加入"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let op = app.signed_in("ops").await;
    let (_, list) = json(
        app.call(&op, "operator/plan-applications", &[("state", "pending")])
            .await,
    )
    .await;
    let id = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["partner_name"] == name)
        .and_then(|a| a["id"].as_i64())
        .unwrap()
        .to_string();
    assert_eq!(
        app.call(&op, "operator/plan-approve", &[("id", &id)])
            .await
            .status(),
        200
    );
}

async fn register(
    app: &TestApp,
    c: &reqwest::Client,
    customer: &str,
    consent: bool,
) -> (u16, Value) {
    let mut form = vec![
        ("customer", customer),
        ("product", "弹性云服务器 ECS"),
        ("amount", "120000.50"),
        ("stage", "discovery"),
    ];
    if consent {
        form.push(("consent", "on"));
    }
    json(app.call(c, "pce/register", &form).await).await
}

async fn pce_needs_the_plan_and_hos_must_be_answered_within_three_business_days(app: TestApp) {
    let prov = app.partner("prov", "solution-provider", None);
    app.operator("ops");
    let c = app.signed_in("prov").await;

    // Not a PCE member yet: neither POs nor HOs.
    let (s, body) = register(&app, &c, "宁波港航", true).await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.pce.not_member"))
    );
    let before = app.snapshot(&["sessions"]).await;
    let (code, _, err) = share_ho(&app, prov, "温州智造", None);
    assert_eq!(code, 1);
    TestApp::assert_unchanged(&before, &app.snapshot(&["sessions"]).await, "a refused HO");
    assert!(err.contains("error.pce.not_member"), "{err}");

    join_pce(&app, "prov", "prov").await;
    let (s, body) = register(&app, &c, "宁波港航", false).await;
    assert_eq!((s, body["key"].as_str()), (400, Some("error.pce.consent")));
    assert_eq!(register(&app, &c, "宁波港航", true).await.0, 200);
    let (_, pos) = json(app.call(&c, "pce/list", &[("direction", "po")]).await).await;
    assert_eq!(pos["items"][0]["customer"], "宁波港航");
    assert_eq!(pos["items"][0]["expected"], "120000.50");

    // An HO shared 10 days ago is past its deadline: taken back, an answer is refused.
    let old = chrono::Utc::now() - chrono::Duration::days(10);
    let (code, _, err) = share_ho(&app, prov, "过期客户", Some(&old.to_rfc3339()));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = share_ho(&app, prov, "温州智造", None);
    assert_eq!(code, 0, "{err}");
    // (The one past its deadline may already have been taken back by the server's scheduler,
    // with its own notice: count the sharing notices.)
    assert_eq!(
        app.count("SELECT COUNT(*) FROM messages WHERE kind = 'pce.ho_shared'")
            .await,
        2,
        "the partner is told of each HO"
    );
    let (_, hos) = json(app.call(&c, "pce/list", &[("direction", "ho")]).await).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM messages WHERE kind = 'pce.ho_expired'")
            .await,
        1,
        "and, once, of the one taken back"
    );
    let find = |name: &str| {
        hos["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["customer"] == name)
            .cloned()
            .unwrap()
    };
    let expired = find("过期客户");
    assert_eq!(expired["ho_state"], "Expired");
    let fresh = find("温州智造");
    assert_eq!(fresh["ho_state"], "Pending");
    let due = fresh["respond_by"].as_i64().unwrap() - fresh["created_at"].as_i64().unwrap();
    assert!(
        (3 * 86_400_000..=5 * 86_400_000).contains(&due),
        "3 business days: {due}"
    );

    // Shared on a Friday at 10:00 China time: due the next Wednesday at 10:00.
    let (code, _, err) = share_ho(&app, prov, "周五客户", Some("2026-11-20T10:00:00+08:00"));
    assert_eq!(code, 0, "{err}");
    let (_, hos) = json(app.call(&c, "pce/list", &[("direction", "ho")]).await).await;
    let friday = hos["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["customer"] == "周五客户")
        .unwrap();
    let wednesday_10 = chrono::DateTime::parse_from_rfc3339("2026-11-25T10:00:00+08:00").unwrap();
    assert_eq!(
        friday["respond_by"].as_i64(),
        Some(wednesday_10.timestamp_millis())
    );

    let eid = expired["id"].as_i64().unwrap().to_string();
    let (s, body) = json(
        app.call(&c, "pce/answer", &[("id", &eid), ("accept", "true")])
            .await,
    )
    .await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.pce.ho_expired"))
    );

    // Rejecting needs a reason; an answer is given once.
    let fid = fresh["id"].as_i64().unwrap().to_string();
    let (s, body) = json(
        app.call(
            &c,
            "pce/answer",
            &[("id", &fid), ("accept", "false"), ("reason", "")],
        )
        .await,
    )
    .await;
    assert_eq!(
        (s, body["key"].as_str()),
        (400, Some("error.plans.reason_required"))
    );
    let (s, _) = json(
        app.call(
            &c,
            "pce/answer",
            &[
                ("id", &fid),
                ("accept", "false"),
                ("reason", "客户不在我司覆盖区域"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200);
    let (s, body) = json(
        app.call(&c, "pce/answer", &[("id", &fid), ("accept", "true")])
            .await,
    )
    .await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.pce.ho_answered"))
    );
    let (_, hos) = json(app.call(&c, "pce/list", &[("direction", "ho")]).await).await;
    let rejected = hos["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["customer"] == "温州智造")
        .unwrap();
    assert_eq!(rejected["ho_state"], "Rejected");
    assert_eq!(rejected["reject_reason"], "客户不在我司覆盖区域");

    // Someone else's HO does not exist for this partner.
    app.partner("other", "solution-provider", None);
    let other = app.signed_in("other").await;
    let (s, _) = json(
        app.call(&other, "pce/answer", &[("id", &fid), ("accept", "true")])
            .await,
    )
    .await;
    assert_eq!(s, 404);
    let (_, theirs) = json(app.call(&other, "pce/list", &[("direction", "ho")]).await).await;
    assert_eq!(theirs["total"], 0);

    let html = app
        .page(&c, "/center/sales/opportunities?tab=ho")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("超时未处理") && html.contains("客户不在我司覆盖区域"),
        "{html}"
    );
}

async fn opportunity_stages_are_explicit_and_lost_needs_a_reason(app: TestApp) {
    app.partner("prov", "solution-provider", None);
    app.operator("ops");
    join_pce(&app, "prov", "prov").await;
    let c = app.signed_in("prov").await;
    assert_eq!(register(&app, &c, "甲公司", true).await.0, 200);
    assert_eq!(register(&app, &c, "乙公司", true).await.0, 200);
    let (_, pos) = json(app.call(&c, "pce/list", &[("direction", "po")]).await).await;
    let id = |name: &str| {
        pos["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["customer"] == name)
            .and_then(|o| o["id"].as_i64())
            .unwrap()
            .to_string()
    };
    let (a, b) = (id("甲公司"), id("乙公司"));
    let stage = |id: String, stage: &'static str, reason: &'static str| {
        let app = &app;
        let c = c.clone();
        async move {
            json(
                app.call(
                    &c,
                    "pce/stage",
                    &[("id", &id), ("stage", stage), ("lost_reason", reason)],
                )
                .await,
            )
            .await
        }
    };
    assert_eq!(stage(a.clone(), "proposal", "").await.0, 200);
    let (s, body) = stage(a.clone(), "lost", "").await;
    assert_eq!(
        (s, body["key"].as_str()),
        (400, Some("error.pce.lost_reason"))
    );
    let (s, body) = stage(a.clone(), "won", "price").await;
    assert_eq!(
        (s, body["key"].as_str()),
        (400, Some("error.pce.lost_reason_only_lost"))
    );
    let (s, body) = stage(a.clone(), "later", "").await;
    assert_eq!((s, body["key"].as_str()), (400, Some("error.pce.stage")));
    assert_eq!(stage(a.clone(), "lost", "competitor").await.0, 200);
    let (s, body) = stage(a.clone(), "negotiation", "").await;
    assert_eq!((s, body["key"].as_str()), (409, Some("error.pce.closed")));
    assert_eq!(stage(b.clone(), "won", "").await.0, 200);
    assert_eq!(stage(b, "lost", "price").await.0, 409);
    let (_, pos) = json(app.call(&c, "pce/list", &[("direction", "po")]).await).await;
    let lost = pos["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["customer"] == "甲公司")
        .unwrap();
    assert_eq!(
        (lost["stage"].as_str(), lost["lost_reason"].as_str()),
        (Some("Lost"), Some("Competitor"))
    );

    // The help center answers without signing in, in both languages.
    let visitor = app.client();
    let html = app
        .page(&visitor, "/help?q=curl")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("curl -kv") && !html.contains("代售模式客户如何充值"),
        "{html}"
    );
    let html = app
        .page(&visitor, "/help?q=top%20up")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("代售模式客户如何充值"), "{html}");
}

async fn operators_record_verification_and_share_hos_from_their_pages(app: TestApp) {
    let prov = app.partner("prov", "solution-provider", None);
    app.operator("ops");
    personal(&app, "hana", false, "cn");
    let op = app.signed_in("ops").await;
    let partner = app.signed_in("prov").await;
    let form = [("login", "hana"), ("verified", "true")];
    assert_eq!(
        app.call(&partner, "operator/real-name", &form)
            .await
            .status(),
        403
    );
    let (s, body) = json(
        app.call(
            &op,
            "operator/real-name",
            &[("login", "nobody-x"), ("verified", "true")],
        )
        .await,
    )
    .await;
    assert_eq!(s, 404, "{body}");
    assert_eq!(
        app.call(&op, "operator/real-name", &form).await.status(),
        200
    );
    assert_eq!(invite(&app, &partner, "hana").await.0, 200);

    let p = prov.to_string();
    let ho = [
        ("partner", p.as_str()),
        ("customer", "丙公司"),
        ("product", "CDN"),
        ("amount", "5000"),
    ];
    let (s, body) = json(app.call(&op, "operator/share-ho", &ho).await).await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.pce.not_member"))
    );
    join_pce(&app, "prov", "prov").await;
    assert_eq!(
        app.call(&partner, "operator/share-ho", &ho).await.status(),
        403
    );
    assert_eq!(app.call(&op, "operator/share-ho", &ho).await.status(), 200);
    let (_, hos) = json(app.call(&partner, "pce/list", &[("direction", "ho")]).await).await;
    assert_eq!(hos["items"][0]["customer"], "丙公司");
    // The forms live in the console's menu: 实名认证 under 账号管理, sharing an HO under 机会点.
    let html = app
        .page(&op, "/operator/accounts")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("个人账号实名认证"));
    let html = app
        .page(&op, "/operator/opportunities")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("分享机会点(HO)") && html.contains("丙公司"));

    // The HO shared from the console is audited as the operator, on the web channel, from its
    // address; one shared from the command line as `cli`.
    app.cli_ok(&[
        "admin",
        "share-ho",
        "--partner",
        &p,
        "--customer",
        "丁公司",
        "--product",
        "OBS",
        "--amount",
        "100",
    ]);
    let pool = app.db().await;
    let shares: Vec<(Option<i64>, String, String, String)> = sqlx::query_as(
        "SELECT actor_user_id, actor, ip, channel FROM audit_log WHERE action = 'pce.ho_share' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let ops_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE login = 'ops'")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    assert_eq!(shares.len(), 2, "{shares:?}");
    assert_eq!(
        (shares[0].0, shares[0].1.as_str(), shares[0].3.as_str()),
        (Some(ops_id), "ops", "web")
    );
    assert_eq!(shares[0].2, "127.0.0.1");
    assert_eq!(
        shares[1],
        (
            None,
            "cli".to_string(),
            "local".to_string(),
            "cli".to_string()
        )
    );
    app.assert_audit_sound().await;
}

/// One message of every kind for one reader; each type filter lists exactly its kinds, together
/// they list every message once, and an unknown filter is refused.
async fn every_message_filter_returns_exactly_its_kinds(app: TestApp) {
    app.partner("part-m", "solution-provider", None);
    let c = app.signed_in("part-m").await;
    let pool = app.db().await;
    let user: i64 = sqlx::query_scalar("SELECT id FROM users WHERE login = 'part-m'")
        .fetch_one(&pool)
        .await
        .unwrap();
    for (i, kind) in KINDS.iter().enumerate() {
        sqlx::query(
            "INSERT INTO messages (user_id, kind, params, created_at) VALUES ($1, $2, '{}', $3)",
        )
        .bind(user)
        .bind(*kind)
        .bind(1_000 + i as i64)
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;
    let list = |group: &'static str| {
        let (app, c) = (&app, &c);
        async move {
            let res = app
                .call(
                    c,
                    "messages/list",
                    &[("filter", ""), ("group", group), ("page", "1")],
                )
                .await;
            json(res).await
        }
    };
    let mut seen = 0;
    for g in Group::ALL {
        let (s, page) = list(g.code()).await;
        assert_eq!(s, 200, "{page}");
        let kinds: Vec<&str> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["kind"].as_str().unwrap())
            .collect();
        let mut expected: Vec<&str> = KINDS
            .iter()
            .copied()
            .filter(|k| k.split('.').next() == Some(g.code()))
            .collect();
        assert!(!expected.is_empty(), "{g:?}");
        assert_eq!(page["total"], expected.len(), "{g:?}: {page}");
        let mut got = kinds.clone();
        got.sort();
        expected.sort();
        assert_eq!(got, expected, "{g:?} lists exactly its kinds");
        seen += kinds.len();
    }
    let (_, all) = list("").await;
    assert_eq!(all["total"], KINDS.len());
    assert_eq!(
        seen,
        KINDS.len(),
        "the filters together list every message once"
    );
    let (s, e) = list("customers").await;
    assert_eq!((s, e["key"].as_str()), (400, Some("error.messages.group")));
    // The page offers every filter, the path messages' included.
    let html = app
        .page(&c, "/messages?group=path")
        .await
        .text()
        .await
        .unwrap();
    for g in Group::ALL {
        assert!(html.contains(&format!("value=\"{}\"", g.code())), "{g:?}");
    }
}
