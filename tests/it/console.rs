//! The operator console (#17): the audit trail (filters, paging, CSV export) and the deliveries
//! (a failed email is seen with its error and sent again).

use crate::common;
use common::{Backend, PASSWORD, TestApp, json, wait_for};
use serde_json::Value;
use std::time::Duration;

async fn audit(app: &TestApp, ops: &reqwest::Client, filters: &[(&str, &str)]) -> (u16, Value) {
    json(app.call(ops, "console/audit", filters).await).await
}

fn actions(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["action"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_trail_is_filtered_paged_and_exported() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = TestApp::spawn(backend).await else {
            continue;
        };
        let dist = app.partner("north-dist", "distributor", None);
        let prov = app.partner("east-prov", "solution-provider", None);
        app.operator("ops");
        app.fund(dist, "1000");
        app.fund(prov, "200");
        let ops = app.signed_in("ops").await;
        // A partner's own action, by its login through the web.
        let p = app.signed_in("east-prov").await;
        let (s, _) = json(
            app.call(&p, "funds/low-balance-set", &[("threshold", "50")])
                .await,
        )
        .await;
        assert_eq!(s, 200);

        let (s, all) = audit(&app, &ops, &[]).await;
        assert_eq!(s, 200, "{all}");
        let total = all["total"].as_i64().unwrap();
        assert_eq!(
            total,
            app.count("SELECT COUNT(*) FROM audit_log").await,
            "{all}"
        );
        // Newest first.
        let ids: Vec<i64> = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["id"].as_i64().unwrap())
            .collect();
        assert!(ids.windows(2).all(|w| w[0] > w[1]), "{ids:?}");

        // By partner name: the entries about that partner only.
        let (_, about) = audit(&app, &ops, &[("partner", "north")]).await;
        assert!(about["total"].as_i64().unwrap() >= 2, "{about}");
        let mine =
            |t: &str| t == format!("partner:{dist}") || t.ends_with(&format!(">partner:{dist}"));
        assert!(
            about["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|l| mine(l["target"].as_str().unwrap())),
            "{about}"
        );
        // By action (a prefix names a family) and by actor.
        let (_, funded) = audit(&app, &ops, &[("action", "funds.FUND")]).await;
        assert_eq!(funded["total"], 2, "{funded}");
        let (_, by_partner) = audit(&app, &ops, &[("actor", "east-prov")]).await;
        assert!(!actions(&by_partner).is_empty());
        assert!(
            by_partner["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|l| l["actor"] == "east-prov" && l["channel"] == "web"),
            "{by_partner}"
        );
        // By day (China time): today holds everything, tomorrow nothing; a bad date is a 400.
        let today = chrono::Utc::now()
            .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap())
            .date_naive();
        let tomorrow = today.succ_opt().unwrap().to_string();
        let today = today.to_string();
        assert_eq!(
            audit(&app, &ops, &[("from", &today), ("to", &today)])
                .await
                .1["total"],
            total
        );
        assert_eq!(
            audit(&app, &ops, &[("from", &tomorrow)]).await.1["total"],
            0
        );
        let (s, e) = audit(&app, &ops, &[("from", "2026-02-30")]).await;
        assert_eq!((s, e["key"].as_str()), (400, Some("error.date.format")));
        // The filter's choices are the actions the trail holds.
        let (_, choices) = json(app.call(&ops, "console/audit-actions", &[]).await).await;
        let choices: Vec<&str> = choices
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert!(
            choices.contains(&"funds.FUND") && choices.contains(&"partner.create"),
            "{choices:?}"
        );

        // The export holds the same rows, with the byte-order mark.
        let res = ops
            .get(app.url("/operator/audit.csv?partner=north"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let csv = res.text().await.unwrap();
        assert!(csv.starts_with('\u{feff}'));
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines.len() as i64 - 1,
            about["total"].as_i64().unwrap(),
            "{csv}"
        );
        assert!(
            lines[1..]
                .iter()
                .all(|l| l.contains(&format!("partner:{dist}"))),
            "{csv}"
        );
        assert!(
            !lines[1..]
                .iter()
                .any(|l| l.contains(&format!("partner:{prov}"))),
            "{csv}"
        );
        // Partners cannot read it.
        let res = p.get(app.url("/operator/audit.csv")).send().await.unwrap();
        assert_eq!(res.status(), 403);
        // The console pages render for the operator, inside the menu.
        let page = app
            .page(&ops, "/operator/audit")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("审计日志") && page.contains("消息投递") && page.contains("入驻审核")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_delivery_is_shown_with_its_error_and_sent_again_once() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(mut app) = TestApp::database(backend).await else {
            continue;
        };
        // An SMTP server that is not there.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let dead = format!("smtp://{}", closed.local_addr().unwrap());
        drop(closed);
        app.start(&["--smtp-url", &dead, "--outbox-retry-ms", "100"])
            .await;
        app.operator("ops");
        let ops = app.signed_in("ops").await;
        // A registration mails its confirmation link.
        let c = app.client();
        let form = [
            ("login", "yunqi"),
            ("password", PASSWORD),
            ("company", "成都云启科技有限公司"),
            ("uscc", "91350100M000100Y43"),
            ("address", "成都市高新区 1 号"),
            ("contact_name", "王经理"),
            ("contact_email", "wang@yunqi.example.com"),
            ("contact_phone", "13800138000"),
            ("kind", "solution_provider"),
        ];
        app.call(&c, "onboarding/register", &form).await;
        wait_for("the email given up", Duration::from_secs(60), || async {
            app.count("SELECT COUNT(*) FROM outbox WHERE state = 'failed'")
                .await
                == 1
        })
        .await;
        let (s, failed) = json(
            app.call(&ops, "console/deliveries", &[("state", "failed")])
                .await,
        )
        .await;
        assert_eq!(s, 200, "{failed}");
        assert_eq!(failed["total"], 1, "{failed}");
        let row = &failed["items"][0];
        assert_eq!(row["recipient"], "wang@yunqi.example.com");
        assert_eq!(row["attempts"], 5);
        assert!(
            row["last_error"].as_str().is_some_and(|e| !e.is_empty()),
            "{row}"
        );
        // The text (with its single-use link) is not shown.
        assert!(row.get("body").is_none(), "{row}");
        let (_, found) = json(
            app.call(&ops, "console/deliveries", &[("recipient", "yunqi")])
                .await,
        )
        .await;
        assert_eq!(found["total"], 1);
        let (s, e) = json(
            app.call(&ops, "console/deliveries", &[("state", "lost")])
                .await,
        )
        .await;
        assert_eq!((s, e["key"].as_str()), (400, Some("error.console.state")));

        let id = row["id"].as_i64().unwrap().to_string();
        let (s, e) = json(app.call(&ops, "console/retry", &[("id", &id)]).await).await;
        assert_eq!(s, 200, "{e}");
        // Only a failed one: the same click again is refused.
        let (s, e) = json(app.call(&ops, "console/retry", &[("id", &id)]).await).await;
        assert_eq!(
            (s, e["key"].as_str()),
            (409, Some("error.console.not_failed"))
        );
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'outbox.retry' AND target = 'outbox:{id}' AND actor = 'ops'")).await,
            1
        );
        // It is attempted again from the start (and, the server still missing, fails again).
        wait_for("the email tried again", Duration::from_secs(60), || async {
            app.count(&format!(
                "SELECT COUNT(*) FROM outbox WHERE id = {id} AND state = 'failed' AND attempts = 5"
            ))
            .await
                == 1
        })
        .await;
        app.assert_audit_sound().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disabled_account_is_refused_at_once_everywhere_and_enabled_again() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = TestApp::spawn(backend).await else {
            continue;
        };
        app.partner("prov", "solution-provider", None);
        app.operator("ops");
        let ops = app.signed_in("ops").await;
        let prov = app.signed_in("prov").await;
        let token = app.api_token("prov", PASSWORD).await;
        assert_eq!(token.status(), 201);
        let token = token.headers()["x-subject-token"]
            .to_str()
            .unwrap()
            .to_string();
        let balances = || {
            reqwest::Client::new()
                .get(app.url("/v2/accounts/partner-accounts/balances"))
                .header("x-auth-token", token.clone())
                .send()
        };
        assert_eq!(balances().await.unwrap().status(), 200);

        let (s, list) = json(
            app.call(
                &ops,
                "console/accounts",
                &[("role", "partner"), ("q", "pro")],
            )
            .await,
        )
        .await;
        assert_eq!(s, 200, "{list}");
        assert_eq!(list["total"], 1, "{list}");
        let id = list["items"][0]["id"].as_i64().unwrap().to_string();
        let (_, me) = json(app.call(&ops, "me", &[]).await).await;
        let own = me["id"].as_i64().unwrap().to_string();
        let (s, e) = json(
            app.call(
                &ops,
                "console/account-state",
                &[("id", &own), ("disabled", "true")],
            )
            .await,
        )
        .await;
        assert_eq!(
            (s, e["key"].as_str()),
            (409, Some("error.console.disable_self"))
        );
        let (s, e) = json(
            app.call(
                &ops,
                "console/account-state",
                &[("id", "999999"), ("disabled", "true")],
            )
            .await,
        )
        .await;
        assert_eq!(s, 404, "{e}");

        let (s, e) = json(
            app.call(
                &ops,
                "console/account-state",
                &[("id", &id), ("disabled", "true")],
            )
            .await,
        )
        .await;
        assert_eq!(s, 200, "{e}");
        // The open session, the token and a new sign-in are refused at once.
        assert_eq!(app.me(&prov).await, Value::Null);
        let (s, _) = json(app.call(&prov, "funds/balances", &[]).await).await;
        assert_eq!(s, 401);
        assert_eq!(balances().await.unwrap().status(), 401);
        let (s, e) = json(app.login(&app.client(), "prov", PASSWORD).await).await;
        assert_eq!(
            (s, e["key"].as_str()),
            (409, Some("error.account.disabled"))
        );
        // A wrong password learns nothing more.
        let (s, e) = json(app.login(&app.client(), "prov", "wrong-password-1").await).await;
        assert_eq!((s, e["key"].as_str()), (401, Some("error.bad_credentials")));
        assert_ne!(app.api_token("prov", PASSWORD).await.status(), 201);
        let (_, list) = json(app.call(&ops, "console/accounts", &[("q", "prov")]).await).await;
        assert!(list["items"][0]["disabled_at"].as_i64().is_some(), "{list}");
        let (s, e) = json(
            app.call(
                &ops,
                "console/account-state",
                &[("id", &id), ("disabled", "true")],
            )
            .await,
        )
        .await;
        assert_eq!(
            (s, e["key"].as_str()),
            (409, Some("error.console.already_disabled"))
        );

        let (s, _) = json(
            app.call(
                &ops,
                "console/account-state",
                &[("id", &id), ("disabled", "false")],
            )
            .await,
        )
        .await;
        assert_eq!(s, 200);
        let again = app.signed_in("prov").await;
        assert_eq!(app.me(&again).await["login"], "prov");
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE target = 'user:{id}' AND action IN ('account.disable', 'account.enable')")).await,
            2
        );
        app.assert_audit_sound().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_partner_list_is_searched_by_name_or_id_and_filtered() {
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    let dist = app.partner("north-dist", "distributor", None);
    let res = app.partner("north-res", "reseller", Some(dist));
    let prov = app.partner("east-prov", "solution-provider", None);
    app.cli_ok(&[
        "admin",
        "create-partner",
        "--name",
        "west-new",
        "--kind",
        "solution-provider",
        "--login",
        "west-new",
        "--password",
        PASSWORD,
        "--hcpn",
        "pending",
    ]);
    app.operator("ops");
    let ops = app.signed_in("ops").await;
    let names = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect()
    };
    let list = |filters: Vec<(&'static str, String)>| {
        let (app, ops) = (&app, &ops);
        async move {
            let form: Vec<(&str, &str)> = filters.iter().map(|(k, v)| (*k, v.as_str())).collect();
            json(app.call(ops, "operator/partners", &form).await).await
        }
    };
    let (s, all) = list(vec![]).await;
    assert_eq!((s, all["total"].as_i64()), (200, Some(4)), "{all}");
    assert_eq!(
        names(&list(vec![("q", "north".into())]).await.1),
        ["north-dist", "north-res"]
    );
    assert_eq!(
        names(&list(vec![("q", prov.to_string())]).await.1),
        ["east-prov"]
    );
    assert_eq!(
        names(&list(vec![("kind", "reseller".into())]).await.1),
        ["north-res"]
    );
    assert_eq!(
        names(&list(vec![("hcpn", "pending".into())]).await.1),
        ["west-new"]
    );
    let (_, under) = list(vec![("parent", "north-d".into())]).await;
    assert_eq!(names(&under), ["north-res"]);
    assert_eq!(under["items"][0]["id"].as_i64(), Some(res));
    assert_eq!(
        names(
            &list(vec![("q", "north".into()), ("kind", "distributor".into())])
                .await
                .1
        ),
        ["north-dist"]
    );
    let (s, e) = list(vec![("kind", "vendor".into())]).await;
    assert_eq!((s, e["key"].as_str()), (400, Some("error.partner.kind")));
    let (s, e) = list(vec![("hcpn", "maybe".into())]).await;
    assert_eq!((s, e["key"].as_str()), (400, Some("error.partner.hcpn")));
    // The page keeps the filters in its form.
    let page = app
        .page(&ops, "/operator?q=north&kind=reseller")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("north-res") && !page.contains("east-prov"),
        "{page}"
    );
}

on_both_backends!(a_partner_page_shows_what_the_programme_knows_and_edits_its_contacts);

/// 伙伴管理 → one partner: profile, balances, quotas, customers, resellers, members and the
/// latest audit entries, each equal to the records; contacts changed there (bad ones refused,
/// nothing changed); an unknown partner is a 404.
async fn a_partner_page_shows_what_the_programme_knows_and_edits_its_contacts(app: TestApp) {
    let dist = app.partner("pd-dist", "distributor", None);
    let res = app.partner("pd-res", "reseller", Some(dist));
    let other = app.partner("pd-other", "solution-provider", None);
    app.customer(dist, "pd-cust-1", "resale");
    app.customer(dist, "pd-cust-2", "consulting");
    app.customer(other, "pd-cust-3", "resale");
    app.fund(dist, "1234.56");
    app.fund(other, "99");
    let quota = app.grant_quota(dist, "5000");
    let d = dist.to_string();
    app.cli_ok(&[
        "admin",
        "create-member",
        "--partner",
        &d,
        "--login",
        "pd-fin",
        "--email",
        "fin@pd.example.com",
        "--role",
        "finance",
        "--password",
        PASSWORD,
    ]);
    app.operator("pd-ops");
    let ops = app.signed_in("pd-ops").await;
    let detail = |id: String| {
        let (app, ops) = (&app, &ops);
        async move { json(app.call(ops, "console/partner", &[("id", &id)]).await).await }
    };
    let (s, p) = detail(d.clone()).await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["name"], "pd-dist");
    assert_eq!(p["kind"], "distributor");
    assert_eq!(p["balances"]["balance"], "1234.56");
    assert_eq!(p["customers"], 2);
    assert_eq!(p["resellers"], serde_json::json!([[res, "pd-res"]]));
    let quotas: Vec<i64> = p["quotas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["quota"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(quotas, [quota]);
    let members: Vec<(&str, &str)> = p["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["login"].as_str().unwrap(), m["role"].as_str().unwrap()))
        .collect();
    assert_eq!(members, [("pd-dist", "Admin"), ("pd-fin", "Finance")]);
    // The audit entries are about this partner only (its funding, not the other's).
    let audit = p["audit"].as_array().unwrap();
    assert!(!audit.is_empty());
    for line in audit {
        let target = line["target"].as_str().unwrap();
        assert!(target.contains(&format!("partner:{dist}")), "{line}");
    }
    let (s, r) = detail(res.to_string()).await;
    assert_eq!((s, r["parent_name"].as_str()), (200, Some("pd-dist")));
    assert_eq!(detail("999999".into()).await.0, 404);

    // Contacts: a bad one changes nothing; a good one is shown and audited.
    let before = app.snapshot(&["sessions"]).await;
    for form in [
        [("partner", d.as_str()), ("email", "nope"), ("phone", "")],
        [("partner", d.as_str()), ("email", ""), ("phone", "12")],
    ] {
        let (s, _) = json(app.call(&ops, "console/partner-contact", &form).await).await;
        assert_eq!(s, 400);
    }
    let unknown = [
        ("partner", "999999"),
        ("email", "a@b.example.com"),
        ("phone", ""),
    ];
    let (s, _) = json(app.call(&ops, "console/partner-contact", &unknown).await).await;
    assert_eq!(s, 404);
    TestApp::assert_unchanged(
        &before,
        &app.snapshot(&["sessions"]).await,
        "refused contacts",
    );
    let form = [
        ("partner", d.as_str()),
        ("email", "sales@pd.example.com"),
        ("phone", "13800138000"),
    ];
    let res = app.call(&ops, "console/partner-contact", &form).await;
    assert!(
        res.status().is_redirection() || res.status() == 200,
        "{}",
        res.status()
    );
    let (_, p) = detail(d.clone()).await;
    assert_eq!(
        (p["email"].as_str(), p["phone"].as_str()),
        (Some("sales@pd.example.com"), Some("13800138000"))
    );
    assert_eq!(p["audit"][0]["action"], "partner.contact");
    // The page renders it on the server, and a partner cannot read it.
    let page = app
        .page(&ops, &format!("/operator/partners/{dist}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("pd-res") && page.contains("1,234.56") && page.contains("pd-fin"),
        "{page}"
    );
    // The actions are on the page, each form with this partner chosen (no search, nothing
    // that needs the WebAssembly): funding, the quota and HO forms, the distributor path's
    // invitation, and the way back here.
    for field in [
        format!(r#"name="fund_partner" value="{dist}""#),
        format!(r#"name="partner" value="{dist}""#),
        format!(r#"name="partner_id" value="{dist}""#),
        format!(r#"name="back" value="/operator/partners/{dist}""#),
    ] {
        assert!(page.contains(&field), "{field} in {page}");
    }
    let preview = app
        .page(
            &ops,
            &format!("/operator/partners/{dist}?fund_partner={dist}&fund_amount=10"),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        preview.contains(r#"data-testid="fund-preview""#) && preview.contains("1244.56"),
        "the funding preview, on the partner's page: {preview}"
    );
    // Each action comes back to the page, and only to a partner's page.
    let location = |res: reqwest::Response| {
        res.headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let here = format!("/operator/partners/{dist}");
    let fund = |trans: &'static str, back: &str| {
        let form = [
            ("partner", d.as_str()),
            ("amount", "10"),
            ("trans_id", trans),
            ("back", back),
        ]
        .map(|(k, v)| (k, v.to_string()));
        let (app, ops) = (&app, &ops);
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call(ops, "operator/fund-request", &form).await
        }
    };
    assert!(
        location(fund("pd-f-1", &here).await).starts_with(&format!("{here}?funded=")),
        "back to the partner"
    );
    assert!(
        location(fund("pd-f-2", "https://evil.example.com/operator/partners/1").await)
            .starts_with("/operator/funding?funded="),
        "nowhere else"
    );
    let after = app
        .page(&ops, &format!("/operator/partners/{dist}?funded=pd-f-1"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        after.contains("1,254.56"),
        "both fundings moved money once each: {after}"
    );
    // (An HO goes to a partner of the PCE plan; its helper decides as `ops`.)
    app.operator("ops");
    crate::engagement::join_pce(&app, "pd-dist", "pd-dist").await;
    let share = |back: &str| {
        let form = [
            ("partner", d.clone()),
            ("customer", "某某科技".to_string()),
            ("product", "ECS".to_string()),
            ("amount", "100".to_string()),
            ("back", back.to_string()),
        ];
        let (app, ops) = (&app, &ops);
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call(ops, "operator/share-ho", &form).await
        }
    };
    assert_eq!(location(share(&here).await), format!("{here}?shared=1"));
    assert_eq!(
        location(share("").await),
        "/operator/opportunities?shared=1"
    );
    let partner = app.signed_in("pd-dist").await;
    assert_eq!(
        app.call(&partner, "console/partner", &[("id", &d)])
            .await
            .status(),
        403
    );
    app.assert_audit_sound().await;
}

on_both_backends!(operators_list_customers_and_opportunities_with_filters);

/// 客户管理 and 机会点: every partner's customers and opportunities, searched and filtered; bad
/// filters are refused; partners cannot read them.
async fn operators_list_customers_and_opportunities_with_filters(app: TestApp) {
    let prov = app.partner("oc-prov", "solution-provider", None);
    let dist = app.partner("oc-dist", "distributor", None);
    let a = app.customer(prov, "oc-alpha", "resale");
    app.customer(prov, "oc-beta", "consulting");
    app.customer(dist, "oc-gamma", "resale");
    app.cli_ok(&[
        "admin",
        "create-customer",
        "--name",
        "oc-lonely",
        "--login",
        "oc-lonely",
        "--password",
        PASSWORD,
    ]);
    app.operator("ops");
    let ops = app.signed_in("ops").await;
    let names = |v: &Value, key: &str| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c[key].as_str().unwrap().to_string())
            .collect()
    };
    let customers = |form: Vec<(&'static str, String)>| {
        let (app, ops) = (&app, &ops);
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            json(app.call(ops, "operator/customers", &form).await).await
        }
    };
    let (s, all) = customers(vec![]).await;
    assert_eq!((s, all["total"].as_i64()), (200, Some(4)), "{all}");
    assert_eq!(
        names(
            &customers(vec![("partner", "oc-prov".into())]).await.1,
            "name"
        ),
        ["oc-beta", "oc-alpha"]
    );
    assert_eq!(
        names(&customers(vec![("mode", "resale".into())]).await.1, "name"),
        ["oc-gamma", "oc-alpha"]
    );
    assert_eq!(
        names(&customers(vec![("mode", "none".into())]).await.1, "name"),
        ["oc-lonely"]
    );
    let (_, by_id) = customers(vec![("q", a.to_string())]).await;
    assert_eq!(names(&by_id, "name"), ["oc-alpha"]);
    assert_eq!(by_id["items"][0]["partner_name"], "oc-prov");
    assert_eq!(by_id["items"][0]["login"], "oc-alpha");
    let (s, e) = customers(vec![("mode", "direct".into())]).await;
    assert_eq!((s, e["key"].as_str()), (400, Some("error.invite.mode")));

    // Opportunities: an HO shared with the provider (a PCE member) and the distributor's PO.
    crate::engagement::join_pce(&app, "oc-prov", "oc-prov").await;
    crate::engagement::join_pce(&app, "oc-dist", "oc-dist").await;
    let (code, _, err) = crate::engagement::share_ho(&app, prov, "丁公司", None);
    assert_eq!(code, 0, "{err}");
    let partner = app.signed_in("oc-dist").await;
    let po = [
        ("customer", "戊公司"),
        ("product", "OBS"),
        ("amount", "2000"),
        ("stage", "discovery"),
        ("consent", "on"),
    ];
    let res = app.call(&partner, "pce/register", &po).await;
    assert!(
        res.status().is_redirection() || res.status() == 200,
        "{}",
        res.status()
    );
    let opportunities = |form: Vec<(&'static str, &'static str)>| {
        let (app, ops) = (&app, &ops);
        async move { json(app.call(ops, "operator/opportunities", &form).await).await }
    };
    let (s, all) = opportunities(vec![]).await;
    assert_eq!((s, all["total"].as_i64()), (200, Some(2)), "{all}");
    let (_, hos) = opportunities(vec![("direction", "ho"), ("state", "pending")]).await;
    assert_eq!(hos["items"][0]["partner_name"], "oc-prov");
    assert_eq!(hos["items"][0]["opportunity"]["customer"], "丁公司");
    let (_, found) = opportunities(vec![("q", "戊")]).await;
    assert_eq!(found["items"][0]["partner_name"], "oc-dist");
    assert_eq!(found["total"], 1);
    assert_eq!(opportunities(vec![("direction", "xo")]).await.0, 400);
    assert_eq!(opportunities(vec![("state", "maybe")]).await.0, 400);
    // Partners read neither list.
    assert_eq!(
        app.call(&partner, "operator/customers", &[]).await.status(),
        403
    );
    assert_eq!(
        app.call(&partner, "operator/opportunities", &[])
            .await
            .status(),
        403
    );
}
