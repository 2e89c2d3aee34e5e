//! Sign-in, sessions, roles and request security, against the real server on both databases.

use crate::common;

use common::{PASSWORD, TestApp};
use serde_json::Value;

on_both_backends!(
    signing_in_with_the_right_password_works_and_renews_the_session_id,
    a_wrong_password_and_an_unknown_account_get_the_same_answer,
    logging_out_ends_the_session,
    each_role_sees_only_its_own_pages,
    cross_origin_posts_are_refused_and_change_nothing,
    the_sixth_wrong_password_within_a_minute_is_throttled,
    twenty_failures_from_one_address_throttle_that_address,
    bad_input_gets_a_clear_4xx_and_changes_nothing,
    pages_carry_security_headers_and_nonced_scripts,
    health_reports_the_database,
    the_language_switch_changes_the_page_language,
    unknown_paths_get_a_404_page,
    sign_ins_and_failures_are_audited,
    the_login_form_works_before_the_webassembly_loads,
    a_hostile_partner_name_cannot_break_out_of_the_page,
    the_operator_lists_partners_with_their_kind_state_and_parent,
);

fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("pc_session="))
        .map(str::to_string)
}

async fn signing_in_with_the_right_password_works_and_renews_the_session_id(app: TestApp) {
    let id = app.partner("alice", "solution-provider", None);
    app.customer(id, "bob-customer", "resale");
    let client = app.client();
    assert_eq!(app.me(&client).await, Value::Null);

    let res = app.login(&client, "Alice", PASSWORD).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/center")
    );
    let first = session_cookie(&res).expect("a session cookie");
    assert!(first.contains("HttpOnly"), "{first}");
    assert!(first.contains("SameSite=Lax"), "{first}");
    let me = app.me(&client).await;
    assert_eq!(me["login"], "alice");
    assert_eq!(me["role"], "partner");
    assert_eq!(me["partner"]["kind"], "solution_provider");

    // Signing in again on the same browser issues a new id; the old one stops working.
    let res = app.login(&client, "bob-customer", PASSWORD).await;
    assert_eq!(res.status(), 200);
    let second = session_cookie(&res).expect("a renewed session cookie");
    let old_value = first.split(';').next().unwrap().to_string();
    assert_ne!(old_value, second.split(';').next().unwrap());
    assert_eq!(app.me(&client).await["login"], "bob-customer");

    let stale = reqwest::Client::new();
    let res = stale
        .post(app.url("/api/me"))
        .header("origin", &app.base)
        .header("cookie", old_value)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.json::<Value>().await.unwrap(),
        Value::Null,
        "the pre-login session id must be dead"
    );
}

async fn a_wrong_password_and_an_unknown_account_get_the_same_answer(app: TestApp) {
    app.partner("carol", "distributor", None);
    let client = app.client();
    let wrong = app.login(&client, "carol", "not-the-password1").await;
    assert_eq!(wrong.status(), 401);
    let wrong_body: Value = wrong.json().await.unwrap();
    let unknown = app.login(&client, "nobody-here", "not-the-password1").await;
    assert_eq!(unknown.status(), 401);
    let unknown_body: Value = unknown.json().await.unwrap();
    assert_eq!(wrong_body, unknown_body);
    assert_eq!(wrong_body["key"], "error.bad_credentials");
    assert_eq!(app.me(&client).await, Value::Null);
}

async fn logging_out_ends_the_session(app: TestApp) {
    app.partner("dave", "solution-provider", None);
    let client = app.client();
    assert_eq!(app.login(&client, "dave", PASSWORD).await.status(), 200);
    assert_eq!(app.me(&client).await["login"], "dave");
    let res = app.call(&client, "logout", &[]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.me(&client).await, Value::Null);
    let page = app.page(&client, "/center").await;
    assert_eq!(page.status(), 303);
}

async fn each_role_sees_only_its_own_pages(app: TestApp) {
    let p = app.partner("erin", "solution-provider", None);
    app.customer(p, "frank-customer", "consulting");
    app.operator("grace-op");

    // Not signed in: partner, customer and operator pages send to the login page.
    let anon = app.client();
    for path in [
        "/center",
        "/center/sales",
        "/customer",
        "/operator",
        "/messages",
    ] {
        let res = app.page(&anon, path).await;
        // 303 See Other from the server (#20): no blank page waiting for the WebAssembly.
        assert_eq!(res.status(), 303, "{path}");
        let loc = res.headers()["location"].to_str().unwrap().to_string();
        assert!(loc.starts_with("/login?next="), "{path} -> {loc}");
    }
    // The page's query comes back too: a link to a filtered list survives signing in.
    let res = app
        .page(&anon, "/center/sales/orders?q=PO-1&mode=self")
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/login?next=/center/sales/orders%3Fq%3DPO-1%26mode%3Dself"
    );

    // A partner sees the partner center with its five sections.
    let partner = app.client();
    app.login(&partner, "erin", PASSWORD).await;
    for (path, label, empty) in [
        ("/center", "主页", true),
        // 销售 opens on its figures and charts (#19 replaced its empty state).
        ("/center/sales", "销售", false),
        ("/center/plans", "伙伴计划简介", false),
        ("/center/capability", "能力", true),
        ("/center/org", "项目专员", true),
    ] {
        let res = app.page(&partner, path).await;
        assert_eq!(res.status(), 200, "{path}");
        let html = res.text().await.unwrap();
        assert!(html.contains(label), "{path}");
        assert_eq!(
            html.contains("data-testid=\"empty-state\""),
            empty,
            "{path} shows an empty state when it has nothing to list"
        );
    }
    let res = app.page(&partner, "/operator").await;
    assert_eq!(res.status(), 403);
    let res = app.call(&partner, "operator/partners", &[]).await;
    assert_eq!(res.status(), 403);

    // A customer gets 403 on partner pages, never their data.
    let customer = app.client();
    app.login(&customer, "frank-customer", PASSWORD).await;
    let res = app.page(&customer, "/center").await;
    assert_eq!(res.status(), 403);
    let html = res.text().await.unwrap();
    assert!(!html.contains("partner-profile"));
    let res = app.page(&customer, "/customer").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("erin") && html.contains("顾问销售"),
        "the customer sees its partner and mode"
    );

    // The operator sees the partner list.
    let op = app.client();
    app.login(&op, "grace-op", PASSWORD).await;
    let res = app.page(&op, "/operator").await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("erin"));
    let res = app.page(&op, "/center").await;
    assert_eq!(res.status(), 403);
}

async fn cross_origin_posts_are_refused_and_change_nothing(app: TestApp) {
    app.partner("heidi", "solution-provider", None);
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = [("account", "heidi"), ("password", PASSWORD)];
    let res = plain
        .post(app.url("/api/login"))
        .header("origin", "http://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(session_cookie(&res).is_none());
    let res = plain
        .post(app.url("/api/login"))
        .header("sec-fetch-site", "cross-site")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'login.%'")
            .await,
        0
    );

    // A signed-in browser tricked into posting from elsewhere is refused too.
    let client = app.client();
    app.login(&client, "heidi", PASSWORD).await;
    let cookie = app.me(&client).await;
    assert_eq!(cookie["login"], "heidi");
    let res = client
        .post(app.url("/api/logout"))
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(app.me(&client).await["login"], "heidi", "still signed in");
}

async fn the_sixth_wrong_password_within_a_minute_is_throttled(app: TestApp) {
    app.partner("ivan", "solution-provider", None);
    app.partner("judy", "solution-provider", None);
    let client = app.client();
    for i in 1..=5 {
        let res = app.login(&client, "ivan", &format!("wrong-pass-{i}")).await;
        assert_eq!(res.status(), 401, "attempt {i}");
    }
    let res = app.login(&client, "ivan", "wrong-pass-6").await;
    assert_eq!(res.status(), 429);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["key"], "error.too_many_attempts");
    // Even the right password waits out the minute.
    assert_eq!(app.login(&client, "ivan", PASSWORD).await.status(), 429);
    assert_eq!(app.me(&client).await, Value::Null);
    // Other accounts from the same address are not locked by ivan's failures.
    assert_eq!(app.login(&client, "judy", PASSWORD).await.status(), 200);
}

/// The per-address limit (20 failures a minute, whatever the accounts): 30 attempts on 30
/// accounts released at once from one address are evaluated at most 20 times; then even the
/// right password from that address waits out the minute.
async fn twenty_failures_from_one_address_throttle_that_address(app: TestApp) {
    app.partner("olga", "solution-provider", None);
    let url = app.url("/api/login");
    let attempts = (0..30)
        .map(|i| {
            let request = app.client().post(&url).form(&[
                ("account", format!("nobody{i}")),
                ("password", "Wrong#2026pw".to_string()),
            ]);
            async move { request.send().await.expect("request").status().as_u16() }
        })
        .collect();
    let statuses = common::race_all(attempts).await;
    let evaluated = statuses.iter().filter(|s| **s == 401).count();
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(evaluated + throttled, 30, "{statuses:?}");
    assert_eq!(
        evaluated, 20,
        "exactly the limit is evaluated: {statuses:?}"
    );
    // No account of olga's failed, yet her right password from this address is throttled.
    let client = app.client();
    let res = app.login(&client, "olga", PASSWORD).await;
    assert_eq!(res.status(), 429);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["key"], "error.too_many_attempts");
    assert_eq!(app.me(&client).await, Value::Null);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'login.failure'")
            .await,
        20
    );
}

async fn bad_input_gets_a_clear_4xx_and_changes_nothing(app: TestApp) {
    app.partner("kate", "solution-provider", None);
    let users_before = app.count("SELECT COUNT(*) FROM users").await;
    let client = app.client();

    let res = app.login(&client, "", "").await;
    assert_eq!(res.status(), 400);
    assert_eq!(
        res.json::<Value>().await.unwrap()["key"],
        "error.account_name.required"
    );

    let long = "a".repeat(10_000);
    let res = app.login(&client, &long, PASSWORD).await;
    assert_eq!(res.status(), 400);
    assert_eq!(
        res.json::<Value>().await.unwrap()["key"],
        "error.account_name.too_long"
    );

    // Missing fields and undecodable bytes are a malformed request, not a server error.
    let res = client
        .post(app.url("/api/login"))
        .form(&[("account", "kate")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let res = client
        .post(app.url("/api/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(b"account=%FF%FE&password=x".to_vec())
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_client_error(),
        "invalid UTF-8 gave {}",
        res.status()
    );

    for evil in [
        "kate' OR '1'='1",
        "kate'; DROP TABLE users; --",
        "<script>alert(1)</script>",
    ] {
        let res = app.login(&client, evil, "x' OR '1'='1").await;
        assert_eq!(res.status(), 401, "{evil}");
        assert!(!res.text().await.unwrap().contains("<script>"));
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, users_before);
    assert_eq!(app.me(&client).await, Value::Null);

    // The login page never reflects an unknown error key from the URL.
    let html = client
        .get(app.url("/login?error=%3Cscript%3Ealert(1)%3C/script%3E"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("<script>alert(1)"));
}

async fn pages_carry_security_headers_and_nonced_scripts(app: TestApp) {
    let client = app.client();
    let res = app.page(&client, "/login").await;
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    let csp = h["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("'nonce-"), "{csp}");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "same-origin");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap()
        .to_string();
    let html = res.text().await.unwrap();
    // `<!>` marks where the browser's hydration picks up a text node (type-erased views).
    let markup = html.replace("<!>", "");
    assert!(markup.contains("<label for=\"login-account\">账号名</label>"));
    assert!(markup.contains("<label for=\"login-password\">密码</label>"));
    for script in html.split("<script").skip(1) {
        let tag = script.split('>').next().unwrap();
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "script without the page nonce: <script{tag}>"
        );
    }
    // Static files and API answers get the strict default policy.
    let res = app.page(&client, "/favicon.svg").await;
    assert!(
        res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'self'")
    );
}

async fn health_reports_the_database(app: TestApp) {
    let res = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["database"], "ok");
}

async fn the_language_switch_changes_the_page_language(app: TestApp) {
    let client = app.client();
    let html = app.page(&client, "/login").await.text().await.unwrap();
    assert!(html.contains("lang=\"zh-CN\"") && html.contains("账号名"));
    let res = app.page(&client, "/lang?to=en&next=/login").await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/login");
    let html = app.page(&client, "/login").await.text().await.unwrap();
    assert!(
        html.contains("lang=\"en\"") && html.contains("Account name"),
        "English after the switch"
    );
    // The switch never redirects off-site.
    let res = app.page(&client, "/lang?to=zh&next=//evil.example").await;
    assert_eq!(res.headers()["location"], "/");
}

async fn unknown_paths_get_a_404_page(app: TestApp) {
    let res = reqwest::get(app.url("/no/such/page")).await.unwrap();
    assert_eq!(res.status(), 404);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("data-testid=\"not-found\"")
    );
}

async fn sign_ins_and_failures_are_audited(app: TestApp) {
    app.partner("liam", "solution-provider", None);
    let client = app.client();
    app.login(&client, "liam", "wrong-password1").await;
    app.login(&client, "liam", PASSWORD).await;
    app.call(&client, "logout", &[]).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'login.failure' AND target = 'liam' AND ip = '127.0.0.1'").await, 1);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'login.success' AND target = 'liam'"
        )
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'logout'")
            .await,
        1
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'partner.create' AND actor = 'cli'"
        )
        .await,
        1
    );
}

async fn the_login_form_works_before_the_webassembly_loads(app: TestApp) {
    app.partner("mia", "solution-provider", None);
    let client = app.client();
    let post = |account: &'static str, password: &'static str| {
        client
            .post(app.url("/api/login"))
            .header("accept", "text/html")
            .header("referer", app.url("/login?next=%2Fcenter%2Fsales"))
            .form(&[
                ("account", account),
                ("password", password),
                ("next", "/center/sales"),
            ])
            .send()
    };
    // A failed plain form post comes back to the form with the error's key, which the page shows.
    let res = post("mia", "wrong-password1").await.unwrap();
    assert_eq!(res.status(), 302);
    let loc = res.headers()["location"].to_str().unwrap().to_string();
    assert!(
        loc.contains("error=error.bad_credentials") && loc.contains("next=%2Fcenter%2Fsales"),
        "{loc}"
    );
    let path = loc.trim_start_matches(&app.base).to_string();
    let html = app.page(&client, &path).await.text().await.unwrap();
    assert!(
        html.contains("账号名或密码错误"),
        "the form shows the error"
    );

    let res = post("mia", PASSWORD).await.unwrap();
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/center/sales");
    assert_eq!(app.page(&client, "/center/sales").await.status(), 200);
}

async fn a_hostile_partner_name_cannot_break_out_of_the_page(app: TestApp) {
    let name = "</script><script>alert(1)</script>";
    app.cli_ok(&[
        "admin",
        "create-partner",
        "--name",
        name,
        "--kind",
        "distributor",
        "--login",
        "nora",
        "--password",
        PASSWORD,
    ]);
    let client = app.signed_in("nora").await;
    let html = app.page(&client, "/center").await.text().await.unwrap();
    assert!(
        !html.contains("<script>alert(1)"),
        "the name must never appear as markup"
    );
    // The embedded user JSON still carries the exact name for the browser.
    let json = html
        .split("id=\"pc-user\"")
        .nth(1)
        .unwrap()
        .split('>')
        .skip(1)
        .collect::<Vec<_>>()
        .join(">");
    let json = json.split("</script>").next().unwrap();
    let user: Value = serde_json::from_str(json).expect("embedded user is JSON");
    assert_eq!(user["partner"]["name"], name);
}

/// The operator's partner list: each row decodes straight into its kind and HCPN state, with its
/// parent distributor.
async fn the_operator_lists_partners_with_their_kind_state_and_parent(app: TestApp) {
    let dist = app.partner("dist", "distributor", None);
    app.partner("res", "reseller", Some(dist));
    app.operator("ops");
    let op = app.signed_in("ops").await;
    let res = app.call(&op, "operator/partners", &[]).await;
    assert_eq!(res.status(), 200);
    let page: Value = res.json().await.unwrap();
    assert_eq!(page["total"], 2, "{page}");
    let items = page["items"].as_array().unwrap();
    let res = items
        .iter()
        .find(|p| p["name"] == "res")
        .expect("res listed");
    assert_eq!(res["kind"], "reseller", "{page}");
    assert_eq!(res["parent_name"], "dist", "{page}");
    assert_eq!(res["hcpn"], "onboarded", "{page}");
}
