//! Partner members (#17, 成员管理): an administrator invites a colleague by email with a role,
//! the colleague chooses a password through the single-use link, and the role decides what the
//! member may do at its very next request; a removed member is signed out at once. (The role
//! check of every route is in `authz`.)

use crate::common;
use common::smtp::SmtpSink;
use common::{Backend, TestApp, form_call as call, refusal as refused};
use serde_json::Value;

const MEMBER_PASSWORD: &str = "member-pass-77";

/// The token of the `nth` link mailed to `to`.
async fn invitation_token(sink: &SmtpSink, to: &str, nth: usize) -> String {
    sink.link_token(to, "/join/member/", nth).await
}

async fn user_id(app: &TestApp, login: &str) -> String {
    app.count(&format!("SELECT id FROM users WHERE login = '{login}'"))
        .await
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_invites_members_whose_role_decides_what_they_may_do() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(mut app) = TestApp::database(backend).await else {
            continue;
        };
        let sink = SmtpSink::start().await;
        app.start(&["--smtp-url", &sink.url()]).await;
        let prov = app.partner("mb-prov", "solution-provider", None);
        app.partner("mb-other", "solution-provider", None);
        app.customer(prov, "mb-cust", "resale");
        let admin = app.signed_in("mb-prov").await;

        // Refusals change nothing.
        let before = app.snapshot(&["users", "account_links", "audit_log"]).await;
        let invite = |login: &'static str, email: &'static str, role: &'static str| {
            let (app, admin) = (&app, &admin);
            async move {
                let form = [("login", login), ("email", email), ("role", role)];
                call(app, admin, "members/invite", &form).await
            }
        };
        let taken = invite("mb-cust", "x@mb.example.com", "finance").await;
        assert_eq!(refused(&taken), (409, Some("error.account_name.taken")));
        let bad_email = invite("mb-fin", "not-an-email", "finance").await;
        assert_eq!(
            refused(&bad_email),
            (400, Some("error.invite.email_format"))
        );
        let bad_role = invite("mb-fin", "fin@mb.example.com", "owner").await;
        assert_eq!(refused(&bad_role), (400, Some("error.members.role")));
        let after = app.snapshot(&["users", "account_links", "audit_log"]).await;
        TestApp::assert_unchanged(&before, &after, "refused invitations");

        // The invitation: a mail with a link; no password works until it is followed.
        assert_eq!(
            invite("mb-fin", "fin@mb.example.com", "finance").await.0,
            200
        );
        let first = invitation_token(&sink, "fin@mb.example.com", 1).await;
        let stored = format!("SELECT COUNT(*) FROM account_links WHERE token_hash = '{first}'");
        assert_eq!(
            app.count(&stored).await,
            0,
            "only the link's hash is stored"
        );
        assert_eq!(
            app.login(&app.client(), "mb-fin", MEMBER_PASSWORD)
                .await
                .status(),
            401,
            "an invited member has no password yet"
        );
        let (s, list) = call(&app, &admin, "members/list", &[]).await;
        assert_eq!(s, 200, "{list}");
        let states: Vec<(String, String, String)> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                let text = |k: &str| m[k].as_str().unwrap_or_default().to_string();
                (text("login"), text("role"), text("state"))
            })
            .collect();
        assert_eq!(
            states,
            [
                ("mb-prov".into(), "Admin".into(), "Active".into()),
                ("mb-fin".into(), "Finance".into(), "Invited".into()),
            ]
        );
        // A resent invitation replaces the first link.
        let fin = user_id(&app, "mb-fin").await;
        assert_eq!(
            call(&app, &admin, "members/resend", &[("user", &fin)])
                .await
                .0,
            200
        );
        let second = invitation_token(&sink, "fin@mb.example.com", 2).await;
        let anon = app.client();
        let check = async |t: &str| call(&app, &anon, "members/invitation", &[("token", t)]).await;
        assert_eq!(
            refused(&check(&first).await),
            (409, Some("error.link.used"))
        );
        let (s, offer) = check(&second).await;
        assert_eq!(
            (s, offer["login"].as_str()),
            (200, Some("mb-fin")),
            "{offer}"
        );
        assert_eq!(offer["role"], "Finance");
        // Joining: the password twice, once.
        let join = async |t: &str, confirm: &str| {
            let form = [
                ("token", t),
                ("password", MEMBER_PASSWORD),
                ("confirm", confirm),
            ];
            call(&app, &anon, "members/join", &form).await
        };
        assert_eq!(
            refused(&join(&second, "something-else-2").await),
            (400, Some("error.password.mismatch"))
        );
        assert_eq!(join(&second, MEMBER_PASSWORD).await.0, 200);
        assert_eq!(
            refused(&join(&second, MEMBER_PASSWORD).await),
            (409, Some("error.link.used"))
        );
        assert_eq!(
            call(&app, &admin, "members/resend", &[("user", &fin)])
                .await
                .0,
            409
        );

        // The finance member: funds yes, customers and the company no, at once.
        let member = app.client();
        let res = app.login(&member, "mb-fin", MEMBER_PASSWORD).await;
        assert_eq!(res.status(), 200);
        let me = app.me(&member).await;
        assert_eq!(me["partner"]["role"], "Finance", "{me}");
        assert_eq!(me["partner"]["id"], prov);
        assert_eq!(call(&app, &member, "funds/balances", &[]).await.0, 200);
        assert_eq!(call(&app, &member, "funds/low-balance", &[]).await.0, 200);
        assert_eq!(
            call(&app, &member, "customers/invitations", &[]).await.0,
            403
        );
        assert_eq!(call(&app, &member, "members/list", &[]).await.0, 403);
        let page = member
            .get(app.url("/center/sales/customers"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 403);
        let page = member
            .get(app.url("/center/sales/funds"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        // Its contacts are its own; the company's are the administrators'.
        let (s, profile) = call(&app, &member, "account/profile", &[]).await;
        assert_eq!(
            (s, profile["partner"].clone()),
            (200, Value::Null),
            "{profile}"
        );
        // The open API answers administrators only.
        let token = app.api_token("mb-fin", MEMBER_PASSWORD).await;
        if token.status() == 201 {
            let token = token.headers()["x-subject-token"]
                .to_str()
                .unwrap()
                .to_string();
            let res = reqwest::Client::new()
                .get(app.url("/v2/accounts/partner-accounts/balances"))
                .header("x-auth-token", token)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 401);
        } else {
            assert_eq!(token.status(), 401);
        }

        // The role changes: the member's next request is judged by the new one.
        let form = [("user", fin.as_str()), ("role", "business")];
        assert_eq!(call(&app, &admin, "members/role", &form).await.0, 200);
        assert_eq!(call(&app, &member, "funds/balances", &[]).await.0, 403);
        assert_eq!(
            call(&app, &member, "customers/invitations", &[]).await.0,
            200
        );
        assert_eq!(
            refused(&call(&app, &admin, "members/role", &form).await),
            (409, Some("error.members.unchanged"))
        );
        // The member is told, once (the refused second change told nothing).
        let (s, told) = call(
            &app,
            &member,
            "messages/list",
            &[("filter", "unread"), ("group", "member")],
        )
        .await;
        assert_eq!(s, 200, "{told}");
        assert_eq!(told["total"], 1, "{told}");
        assert_eq!(told["items"][0]["kind"], "member.role_changed");
        assert_eq!(
            told["items"][0]["params"]["role"], "members.role.business",
            "{told}"
        );
        // Nobody changes or removes itself; another partner cannot touch this member; members
        // do not manage members.
        let me_id = user_id(&app, "mb-prov").await;
        let own = [("user", me_id.as_str()), ("role", "finance")];
        assert_eq!(
            refused(&call(&app, &admin, "members/role", &own).await),
            (409, Some("error.members.self"))
        );
        assert_eq!(
            refused(&call(&app, &admin, "members/remove", &[("user", &me_id)]).await),
            (409, Some("error.members.self"))
        );
        let other = app.signed_in("mb-other").await;
        assert_eq!(
            call(&app, &other, "members/remove", &[("user", &fin)])
                .await
                .0,
            404
        );
        assert_eq!(
            call(&app, &member, "members/remove", &[("user", &me_id)])
                .await
                .0,
            403
        );

        // Removed: signed out at once, cannot sign in again, the row stays.
        assert_eq!(
            call(&app, &admin, "members/remove", &[("user", &fin)])
                .await
                .0,
            200
        );
        assert_eq!(app.me(&member).await, Value::Null);
        assert_eq!(
            call(&app, &member, "customers/invitations", &[]).await.0,
            401
        );
        let again = app.login(&app.client(), "mb-fin", MEMBER_PASSWORD).await;
        assert_eq!(
            again.status(),
            409,
            "a removed member's right password learns it is disabled"
        );
        assert_eq!(
            refused(&call(&app, &admin, "members/remove", &[("user", &fin)]).await),
            (409, Some("error.members.already_removed"))
        );
        let (_, list) = call(&app, &admin, "members/list", &[]).await;
        assert_eq!(list[1]["state"], "Removed");

        // An invitation left too long expires.
        assert_eq!(
            invite("mb-late", "late@mb.example.com", "business").await.0,
            200
        );
        let late = invitation_token(&sink, "late@mb.example.com", 1).await;
        let lifetime = app
            .count("SELECT expires_at - created_at FROM account_links WHERE purpose = 'join_partner' AND used_at IS NULL")
            .await;
        assert_eq!(lifetime, 72 * 3_600_000);
        let now = chrono::Utc::now().timestamp_millis();
        sqlx::query(&format!(
            "UPDATE account_links SET expires_at = {} WHERE purpose = 'join_partner' AND used_at IS NULL",
            now - 1
        ))
        .execute(&app.db().await)
        .await
        .unwrap();
        assert_eq!(
            refused(&check(&late).await),
            (409, Some("error.link.expired"))
        );
        assert_eq!(
            refused(&join(&late, MEMBER_PASSWORD).await),
            (409, Some("error.link.expired"))
        );

        let audited = app
            .count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'members.%'")
            .await;
        // invite ×2, resend, join, role, remove.
        assert_eq!(audited, 6);
        app.assert_audit_sound().await;
    }
}
