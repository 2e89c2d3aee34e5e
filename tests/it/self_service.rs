//! Account self-service (#17): changing one's password ends the other sessions, a forgotten
//! password is reset through a mailed single-use link, and an operator creates accounts and
//! resets passwords that must be changed at the next sign-in.

use crate::common;
use common::smtp::SmtpSink;
use common::{Backend, PASSWORD, TestApp, form_call as call, refusal as refused};
use serde_json::Value;

const NEW_PASSWORD: &str = "brand-new-pass-9";

async fn change(
    app: &TestApp,
    c: &reqwest::Client,
    current: &str,
    new: &str,
    confirm: &str,
) -> (u16, Value) {
    let form = [
        ("current", current),
        ("password", new),
        ("confirm", confirm),
    ];
    call(app, c, "account/password", &form).await
}

/// The token of the `nth` link mailed to `to`.
async fn reset_token(sink: &SmtpSink, to: &str, nth: usize) -> String {
    sink.link_token(to, "/reset-password/", nth).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_change_needs_the_current_one_and_ends_the_other_sessions() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = TestApp::spawn(backend).await else {
            continue;
        };
        app.partner("pw-prov", "solution-provider", None);
        let here = app.signed_in("pw-prov").await;
        let there = app.signed_in("pw-prov").await;
        let before = app
            .snapshot(&["login_failures", "audit_log", "sessions"])
            .await;
        // Refusals change nothing.
        let wrong = change(&app, &here, "not-the-password", NEW_PASSWORD, NEW_PASSWORD).await;
        assert_eq!(
            refused(&wrong),
            (400, Some("error.password.current")),
            "{wrong:?}"
        );
        let mismatch = change(&app, &here, PASSWORD, NEW_PASSWORD, "something-else-1").await;
        assert_eq!(refused(&mismatch), (400, Some("error.password.mismatch")));
        let weak = change(&app, &here, PASSWORD, "abcdefghij", "abcdefghij").await;
        assert_eq!(refused(&weak), (400, Some("error.password.weak")));
        let same = change(&app, &here, PASSWORD, PASSWORD, PASSWORD).await;
        assert_eq!(refused(&same), (400, Some("error.password.same")));
        let after = app
            .snapshot(&["login_failures", "audit_log", "sessions"])
            .await;
        TestApp::assert_unchanged(&before, &after, "refused password changes");

        let ok = change(&app, &here, PASSWORD, NEW_PASSWORD, NEW_PASSWORD).await;
        assert_eq!(ok.0, 200, "{ok:?}");
        // This session goes on; the other one ended at once.
        assert_eq!(app.me(&here).await["login"], "pw-prov");
        assert_eq!(app.me(&there).await, Value::Null);
        let (s, _) = call(&app, &there, "account/profile", &[]).await;
        assert_eq!(s, 401);
        // The old password no longer signs in; the new one does.
        assert_eq!(
            app.login(&app.client(), "pw-prov", PASSWORD).await.status(),
            401
        );
        assert_eq!(
            app.login(&app.client(), "pw-prov", NEW_PASSWORD)
                .await
                .status(),
            200
        );
        let audited = app
            .count("SELECT COUNT(*) FROM audit_log WHERE action IN ('password.change', 'password.change_failed')")
            .await;
        assert_eq!(audited, 2);

        // Wrong current passwords are throttled like sign-ins.
        let mut last = (0, Value::Null);
        for _ in 0..6 {
            last = change(
                &app,
                &here,
                "still-wrong-1",
                "another-pass-2",
                "another-pass-2",
            )
            .await;
        }
        assert_eq!(last.0, 429, "{last:?}");
        app.assert_audit_sound().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_password_is_reset_once_with_a_link_that_lasts_thirty_minutes() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(mut app) = TestApp::database(backend).await else {
            continue;
        };
        let sink = SmtpSink::start().await;
        app.start(&["--smtp-url", &sink.url()]).await;
        let prov = app.partner("fg-prov", "solution-provider", None);
        app.customer(prov, "fg-cust", "resale");
        let session = app.signed_in("fg-prov").await;
        // The profile: one's own email (where a reset link goes) and the partner's contacts.
        let (s, e) = call(
            &app,
            &session,
            "account/contact",
            &[("email", "not-an-email")],
        )
        .await;
        assert_eq!(
            (s, e["key"].as_str()),
            (400, Some("error.invite.email_format"))
        );
        let (s, e) = call(&app, &session, "account/contact", &[("phone", "12345")]).await;
        assert_eq!(
            (s, e["key"].as_str()),
            (400, Some("error.onboarding.phone"))
        );
        let form = [
            ("email", "me@fg.example.com"),
            ("phone", "13900139000"),
            ("partner_email", "sales@fg.example.com"),
            ("partner_phone", "+86 138 0013 8000"),
        ];
        assert_eq!(call(&app, &session, "account/contact", &form).await.0, 200);
        let (s, profile) = call(&app, &session, "account/profile", &[]).await;
        assert_eq!(s, 200, "{profile}");
        assert_eq!(profile["email"], "me@fg.example.com");
        assert_eq!(profile["partner"]["email"], "sales@fg.example.com");
        assert_eq!(profile["partner"]["phone"], "13800138000");

        // Unknown accounts and accounts without an email get the same answer and no mail.
        let anon = app.client();
        for who in ["nobody-here", "fg-cust"] {
            assert_eq!(
                call(&app, &anon, "account/forgot", &[("account", who)])
                    .await
                    .0,
                200
            );
        }
        assert_eq!(
            call(&app, &anon, "account/forgot", &[("account", "FG-Prov")])
                .await
                .0,
            200
        );
        let first = reset_token(&sink, "me@fg.example.com", 1).await;
        assert_eq!(
            sink.mails().len(),
            1,
            "only the account with an email got a mail"
        );
        // Only the hash is stored.
        let stored = format!("SELECT COUNT(*) FROM account_links WHERE token_hash = '{first}'");
        assert_eq!(app.count(&stored).await, 0);
        // A newer link replaces the older one.
        assert_eq!(
            call(&app, &anon, "account/forgot", &[("account", "fg-prov")])
                .await
                .0,
            200
        );
        let second = reset_token(&sink, "me@fg.example.com", 2).await;
        let check = |t: String| {
            let (app, anon) = (&app, &anon);
            async move { call(app, anon, "account/reset-check", &[("token", &t)]).await }
        };
        assert_eq!(
            refused(&check(first.clone()).await),
            (409, Some("error.link.used"))
        );
        assert_eq!(
            refused(&check("f00".into()).await),
            (400, Some("error.link.unknown"))
        );
        assert_eq!(check(second.clone()).await.0, 200);
        // The page the link opens is public.
        let page = app.page(&anon, &format!("/reset-password/{second}")).await;
        assert_eq!(page.status(), 200);

        let reset = |t: String, p: &'static str, c: &'static str| {
            let (app, anon) = (&app, &anon);
            async move {
                call(
                    app,
                    anon,
                    "account/reset",
                    &[("token", &t), ("password", p), ("confirm", c)],
                )
                .await
            }
        };
        let mismatch = reset(second.clone(), NEW_PASSWORD, "other-pass-77").await;
        assert_eq!(refused(&mismatch), (400, Some("error.password.mismatch")));
        assert_eq!(
            reset(second.clone(), NEW_PASSWORD, NEW_PASSWORD).await.0,
            200
        );
        // Once only; every session of the account ended; the new password signs in.
        let again = reset(second.clone(), "third-pass-333", "third-pass-333").await;
        assert_eq!(refused(&again), (409, Some("error.link.used")));
        assert_eq!(app.me(&session).await, Value::Null);
        assert_eq!(
            app.login(&app.client(), "fg-prov", PASSWORD).await.status(),
            401
        );
        assert_eq!(
            app.login(&app.client(), "fg-prov", NEW_PASSWORD)
                .await
                .status(),
            200
        );

        // Thirty minutes: a link whose time is up is refused (one second before, it works).
        assert_eq!(
            call(&app, &anon, "account/forgot", &[("account", "fg-prov")])
                .await
                .0,
            200
        );
        let third = reset_token(&sink, "me@fg.example.com", 3).await;
        let lifetime: i64 = app
            .count("SELECT expires_at - created_at FROM account_links WHERE purpose = 'reset_password' AND used_at IS NULL")
            .await;
        assert_eq!(lifetime, 30 * 60_000);
        let db = app.db().await;
        let now = chrono::Utc::now().timestamp_millis();
        sqlx::query(&format!(
            "UPDATE account_links SET expires_at = {} WHERE purpose = 'reset_password' AND used_at IS NULL",
            now + 60_000
        ))
        .execute(&db)
        .await
        .unwrap();
        assert_eq!(check(third.clone()).await.0, 200);
        sqlx::query(&format!(
            "UPDATE account_links SET expires_at = {} WHERE purpose = 'reset_password' AND used_at IS NULL",
            now - 1
        ))
        .execute(&db)
        .await
        .unwrap();
        assert_eq!(
            refused(&check(third.clone()).await),
            (409, Some("error.link.expired"))
        );
        let late = reset(third, "third-pass-333", "third-pass-333").await;
        assert_eq!(refused(&late), (409, Some("error.link.expired")));
        assert_eq!(
            app.login(&app.client(), "fg-prov", NEW_PASSWORD)
                .await
                .status(),
            200
        );

        // Requests from one address are limited.
        let mut last = (0, Value::Null);
        for _ in 0..10 {
            last = call(&app, &anon, "account/forgot", &[("account", "nobody-here")]).await;
        }
        assert_eq!(last.0, 429, "{last:?}");
        let forgot = app
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'login.forgot'")
            .await;
        assert_eq!(forgot, 10);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'password.reset'")
                .await,
            1
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_creates_accounts_and_resets_passwords_that_must_be_changed() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = TestApp::spawn(backend).await else {
            continue;
        };
        let dist = app.partner("north-dist", "distributor", None);
        let prov = app.partner("north-prov", "solution-provider", None);
        app.operator("ops");
        let ops = app.signed_in("ops").await;

        // Pickers: what was typed, among the right kind.
        let pick = |what: &'static str, q: String| {
            let (app, ops) = (&app, &ops);
            async move {
                let (s, v) = call(app, ops, "console/pick", &[("what", what), ("q", &q)]).await;
                assert_eq!(s, 200, "{v}");
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p["id"].as_i64().unwrap())
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(pick("partner", "north".into()).await.len(), 2);
        assert_eq!(pick("distributor", "north".into()).await, vec![dist]);
        assert_eq!(pick("partner", prov.to_string()).await[0], prov);
        assert!(pick("partner", "".into()).await.is_empty());
        let partner_user = app.signed_in("north-prov").await;
        let (s, _) = call(
            &app,
            &partner_user,
            "console/pick",
            &[("what", "partner"), ("q", "n")],
        )
        .await;
        assert_eq!(s, 403);

        let create = |form: Vec<(&'static str, String)>| {
            let (app, ops) = (&app, &ops);
            async move {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                call(app, ops, "console/create-account", &form).await
            }
        };
        let s = |v: &str| v.to_string();
        // A reseller needs its distributor; a linked customer its mode; logins are unique.
        let no_parent = create(vec![
            ("role", s("partner")),
            ("login", s("west-res")),
            ("name", s("西部云")),
            ("kind", s("reseller")),
        ])
        .await;
        assert_eq!(
            refused(&no_parent),
            (400, Some("error.partner.parent_required"))
        );
        let no_mode = create(vec![
            ("role", s("customer")),
            ("login", s("cust-a")),
            ("name", s("客户甲")),
            ("partner", prov.to_string()),
        ])
        .await;
        assert_eq!(refused(&no_mode), (400, Some("error.console.mode")));
        let taken = create(vec![("role", s("operator")), ("login", s("north-prov"))]).await;
        assert_eq!(refused(&taken), (409, Some("error.account_name.taken")));
        let by_partner = call(
            &app,
            &partner_user,
            "console/create-account",
            &[("role", "operator"), ("login", "sneaky")],
        )
        .await;
        assert_eq!(by_partner.0, 403);

        let (st, res) = create(vec![
            ("role", s("partner")),
            ("login", s("west-res")),
            ("name", s("西部云")),
            ("kind", s("reseller")),
            ("parent", dist.to_string()),
            ("email", s("ops@west.example.com")),
        ])
        .await;
        assert_eq!(st, 200, "{res}");
        let temp = res["password"].as_str().unwrap().to_string();
        assert_eq!(res["login"], "west-res");
        // Never stored as given.
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM users WHERE password_hash = '{temp}'"
            ))
            .await,
            0
        );
        let parent = app
            .count("SELECT p.parent_id FROM partners p JOIN users u ON u.partner_id = p.id WHERE u.login = 'west-res'")
            .await;
        assert_eq!(parent, dist);
        let (st, cust) = create(vec![
            ("role", s("customer")),
            ("login", s("cust-a")),
            ("name", s("客户甲")),
            ("partner", prov.to_string()),
            ("mode", s("consulting")),
        ])
        .await;
        assert_eq!(st, 200, "{cust}");
        let (st, pers) = create(vec![
            ("role", s("personal")),
            ("login", s("li-lei")),
            ("site", s("cn")),
            ("verified", s("true")),
        ])
        .await;
        assert_eq!(st, 200, "{pers}");
        assert_eq!(
            app.count("SELECT real_name_verified FROM users WHERE login = 'li-lei'")
                .await,
            1
        );
        let (st, op2) = create(vec![("role", s("operator")), ("login", s("ops-2"))]).await;
        assert_eq!(st, 200, "{op2}");

        // The new account signs in with the generated password and must change it first.
        let newbie = app.client();
        assert!(
            app.login(&newbie, "west-res", &temp)
                .await
                .status()
                .is_success()
        );
        let me = app.me(&newbie).await;
        assert_eq!(me["must_change_password"], true, "{me}");
        let (st, e) = call(&app, &newbie, "funds/balances", &[]).await;
        assert_eq!(
            (st, e["key"].as_str()),
            (409, Some("error.password.must_change"))
        );
        let page = app.page(&newbie, "/center").await;
        assert!(
            page.status().is_redirection()
                || page.text().await.unwrap().contains("/account/password")
        );
        assert_eq!(
            change(&app, &newbie, &temp, NEW_PASSWORD, NEW_PASSWORD)
                .await
                .0,
            200
        );
        assert_eq!(app.me(&newbie).await["must_change_password"], false);
        assert_eq!(call(&app, &newbie, "account/profile", &[]).await.0, 200);

        // A reset: the account's sessions end, the old password stops, the new one must be changed.
        let user = app
            .count("SELECT id FROM users WHERE login = 'north-prov'")
            .await
            .to_string();
        let (st, issued) = call(&app, &ops, "console/reset-password", &[("user", &user)]).await;
        assert_eq!(st, 200, "{issued}");
        assert_eq!(app.me(&partner_user).await, Value::Null);
        assert_eq!(
            app.login(&app.client(), "north-prov", PASSWORD)
                .await
                .status(),
            401
        );
        let again = app.client();
        let temp = issued["password"].as_str().unwrap();
        assert!(
            app.login(&again, "north-prov", temp)
                .await
                .status()
                .is_success()
        );
        assert_eq!(app.me(&again).await["must_change_password"], true);
        // Not oneself, not a missing account, not by anyone else.
        let own = app
            .count("SELECT id FROM users WHERE login = 'ops'")
            .await
            .to_string();
        let (st, e) = call(&app, &ops, "console/reset-password", &[("user", &own)]).await;
        assert_eq!(
            (st, e["key"].as_str()),
            (409, Some("error.console.reset_self"))
        );
        assert_eq!(
            call(&app, &ops, "console/reset-password", &[("user", "99999")])
                .await
                .0,
            404
        );
        assert_eq!(
            call(&app, &again, "console/reset-password", &[("user", &own)])
                .await
                .0,
            409
        );

        let audited = |action: &str| {
            let app = &app;
            let sql = format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND actor = 'ops'"
            );
            async move { app.count(&sql).await }
        };
        assert_eq!(audited("account.password_reset").await, 1);
        assert_eq!(audited("partner.create").await, 1);
        assert_eq!(audited("customer.create").await, 1);
        assert_eq!(audited("personal.create").await, 1);
        assert_eq!(audited("operator.create").await, 1);
        app.assert_audit_sound().await;
    }
}
