//! The official Huawei Cloud SDK (`huaweicloudsdkbss` 3.1.219, Python) against the real server on
//! both databases: `tests/sdk/bss_vouchers.py` signs every request with the SDK's own signer and
//! checks the answers. `scripts/test` creates the SDK's virtual environment and sets
//! `SDK_PYTHON`; without it each test records a skip (`common::skip`), which CI refuses.

use crate::common;

use common::{PASSWORD, TestApp};

on_both_backends!(the_sdk_issues_lists_and_reclaims_coupons);

async fn the_sdk_issues_lists_and_reclaims_coupons(app: TestApp) {
    let Some(python) = common::sdk_python() else {
        return;
    };
    let prov = app.partner("prov", "solution-provider", None);
    let resale = app.customer(prov, "c-resale", "resale");
    let consulting = app.customer(prov, "c-consult", "consulting");
    app.grant_quota(prov, "1000");
    let key = app.cli_ok(&["admin", "create-access-key", "--login", "prov"]);
    let (ak, sk, domain) = (
        key["ak"].as_str().unwrap().to_string(),
        key["sk"].as_str().unwrap().to_string(),
        key["domain_id"].as_str().unwrap().to_string(),
    );
    assert_eq!(domain, prov.to_string());
    // The secret key is never logged.
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sdk/bss_vouchers.py");
    let out = tokio::process::Command::new(&python)
        .args([
            script,
            &app.url(""),
            &ak,
            &sk,
            &domain,
            &resale.to_string(),
            &consulting.to_string(),
        ])
        .output()
        .await
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "SDK script failed:\n{stdout}\n{stderr}\nserver log:\n{}",
        app.server_log()
    );
    assert!(stdout.contains("sdk ok"), "{stdout}");
    assert!(
        !app.server_log().contains(&sk),
        "the secret key must never be logged"
    );
    let _ = PASSWORD;
}

on_both_backends!(access_keys_are_limited_secret_and_can_be_disabled);

/// Sends a signed `list_quota_coupons` with this key, signed by the crate's signer exactly as the
/// SDK would; returns the status.
async fn signed_list(app: &TestApp, ak: &str, sk: &str) -> u16 {
    use partner_center::openapi::signer;
    let base = app.url("");
    let host = base.trim_start_matches("http://").to_string();
    let date = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let body = br#"{"offset":0,"limit":10}"#;
    let headers = vec![
        ("content-type".to_string(), "application/json".to_string()),
        ("host".to_string(), host.clone()),
        ("x-sdk-date".to_string(), date.clone()),
    ];
    let request = signer::Request {
        method: "POST",
        raw_path: "/v2/partners/coupon-quotas/query",
        raw_query: "",
        headers: &headers,
        body,
    };
    let names: Vec<String> = headers.iter().map(|(k, _)| k.clone()).collect();
    let canonical = signer::canonical_request(&request, &names).unwrap();
    let signature = signer::sign(sk, &signer::string_to_sign(&canonical, &date));
    let res = reqwest::Client::new()
        .post(app.url("/v2/partners/coupon-quotas/query"))
        .header("content-type", "application/json")
        .header("x-sdk-date", &date)
        .header(
            "authorization",
            format!(
                "SDK-HMAC-SHA256 Access={ak}, SignedHeaders={}, Signature={signature}",
                names.join(";")
            ),
        )
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    res.status().as_u16()
}

async fn access_keys_are_limited_secret_and_can_be_disabled(app: TestApp) {
    app.partner("prov", "solution-provider", None);
    app.customer(
        app.partner("other", "solution-provider", None),
        "cust",
        "resale",
    );
    let c = app.signed_in("prov").await;
    let (s, k1) = common::json(
        app.call(&c, "openapi/key-create", &[("description", "ERP")])
            .await,
    )
    .await;
    assert_eq!(s, 200, "{k1}");
    let (ak, sk) = (
        k1["ak"].as_str().unwrap().to_string(),
        k1["sk"].as_str().unwrap().to_string(),
    );
    assert_eq!(signed_list(&app, &ak, &sk).await, 200);
    assert_eq!(signed_list(&app, &ak, "not-the-secret").await, 401);
    assert_eq!(signed_list(&app, "UNKNOWNAK", &sk).await, 401);
    let (s, _) = common::json(app.call(&c, "openapi/key-create", &[]).await).await;
    assert_eq!(s, 200);
    let (s, e) = common::json(app.call(&c, "openapi/key-create", &[]).await).await;
    assert_eq!(
        (s, e["key"].as_str()),
        (409, Some("error.openapi.too_many_keys")),
        "{e}"
    );
    // The list never carries a secret key.
    let (_, list) = common::json(app.call(&c, "openapi/keys", &[]).await).await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(!list.to_string().contains(&sk), "{list}");
    assert!(list[0]["last_used_at"].is_i64(), "{list}");
    // Another user cannot touch the key; the owner disables, enables and deletes it.
    let o = app.signed_in("other").await;
    let (s, _) = common::json(
        app.call(
            &o,
            "openapi/key-change",
            &[("ak", &ak), ("action", "disable")],
        )
        .await,
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = common::json(
        app.call(
            &c,
            "openapi/key-change",
            &[("ak", &ak), ("action", "disable")],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(signed_list(&app, &ak, &sk).await, 401);
    let (s, _) = common::json(
        app.call(
            &c,
            "openapi/key-change",
            &[("ak", &ak), ("action", "enable")],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(signed_list(&app, &ak, &sk).await, 200);
    let (s, _) = common::json(
        app.call(
            &c,
            "openapi/key-change",
            &[("ak", &ak), ("action", "delete")],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(signed_list(&app, &ak, &sk).await, 401);
    // Customers cannot have keys; unsigned API calls are refused in the Huawei shape.
    let cust = app.signed_in("cust").await;
    let (s, _) = common::json(app.call(&cust, "openapi/key-create", &[]).await).await;
    assert_eq!(s, 403);
    let res = reqwest::Client::new()
        .post(app.url("/v2/promotions/benefits/partner-coupons"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 401);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error_code"], "APIGW.0301", "{body}");
    assert!(
        !app.server_log().contains(&sk),
        "the secret key must never be logged"
    );
}

on_both_backends!(the_sdk_gives_lists_and_takes_back_reseller_quotas);

fn key(app: &TestApp, login: &str) -> (String, String, String) {
    let k = app.cli_ok(&["admin", "create-access-key", "--login", login]);
    (
        k["ak"].as_str().unwrap().to_string(),
        k["sk"].as_str().unwrap().to_string(),
        k["domain_id"].as_str().unwrap().to_string(),
    )
}

async fn the_sdk_gives_lists_and_takes_back_reseller_quotas(app: TestApp) {
    let Some(python) = common::sdk_python() else {
        return;
    };
    let dist = app.partner("dist", "distributor", None);
    let res = app.partner("res", "reseller", Some(dist));
    let other = app.partner("dist2", "distributor", None);
    let foreign = app.partner("res2", "reseller", Some(other));
    let prov = app.partner("prov", "solution-provider", None);
    let customer = app.customer(res, "c-of-res", "resale");
    app.grant_quota(dist, "5000");
    app.grant_quota(prov, "100");
    let (d, r, p) = (key(&app, "dist"), key(&app, "res"), key(&app, "prov"));
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sdk/bss_quotas.py");
    let out = tokio::process::Command::new(&python)
        .args([
            script,
            &app.url(""),
            &d.0,
            &d.1,
            &d.2,
            &r.0,
            &r.1,
            &r.2,
            &p.0,
            &p.1,
            &p.2,
            &foreign.to_string(),
            &customer.to_string(),
        ])
        .output()
        .await
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "SDK script failed:\n{stdout}\n{stderr}\nserver log:\n{}",
        app.server_log()
    );
    assert!(stdout.contains("sdk quotas ok"), "{stdout}");
    assert_eq!(res.to_string(), r.2);
}

on_both_backends!(the_sdk_moves_and_lists_funds);

async fn the_sdk_moves_and_lists_funds(app: TestApp) {
    let Some(python) = common::sdk_python() else {
        return;
    };
    let dist = app.partner("dist", "distributor", None);
    let res = app.partner("res", "reseller", Some(dist));
    let other = app.partner("dist2", "distributor", None);
    let foreign = app.partner("res2", "reseller", Some(other));
    let prov = app.partner("prov", "solution-provider", None);
    let resale = app.customer(res, "c-resale", "resale");
    let consulting = app.customer(res, "c-consult", "consulting");
    let prov_customer = app.customer(prov, "c-prov", "resale");
    app.fund(dist, "1000");
    let (d, r, p) = (key(&app, "dist"), key(&app, "res"), key(&app, "prov"));
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sdk/bss_funds.py");
    let out = tokio::process::Command::new(&python)
        .args([
            script,
            &app.url(""),
            &d.0,
            &d.1,
            &d.2,
            &r.0,
            &r.1,
            &r.2,
            &p.0,
            &p.1,
            &p.2,
            &foreign.to_string(),
            &resale.to_string(),
            &consulting.to_string(),
            &prov_customer.to_string(),
        ])
        .output()
        .await
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "SDK script failed:\n{stdout}\n{stderr}\nserver log:\n{}",
        app.server_log()
    );
    assert!(stdout.contains("sdk funds ok"), "{stdout}");
    // What the SDK saw is what the ledger holds: the distributor kept 700.00 and the reseller and
    // its customer hold the rest.
    assert_eq!(app.balance_fen("partner_id", dist).await, 70_000);
    assert_eq!(
        app.balance_fen("partner_id", res).await + app.balance_fen("customer_id", resale).await,
        30_000
    );
    app.assert_ledger_sound().await;
}

on_both_backends!(tokens_authenticate_and_expire);

async fn token(app: &TestApp, login: &str, password: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/v3/auth/tokens"))
        .json(&serde_json::json!({ "auth": {
            "identity": { "methods": ["password"], "password": { "user": {
                "name": login, "password": password, "domain": { "name": login } } } },
            "scope": { "project": { "name": "cn-north-4" } } } }))
        .send()
        .await
        .unwrap()
}

async fn balances_with(app: &TestApp, token: &str) -> (u16, serde_json::Value) {
    common::json(
        reqwest::Client::new()
            .get(app.url("/v2/accounts/partner-accounts/balances"))
            .header("x-auth-token", token)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn tokens_authenticate_and_expire(app: TestApp) {
    let dist = app.partner("dist", "distributor", None);
    let res = app.partner("res", "reseller", Some(dist));
    app.customer(dist, "cust", "resale");
    app.fund(dist, "12.34");
    // Wrong password, a customer, a malformed request: refused, no token.
    assert_eq!(token(&app, "dist", "wrong-password").await.status(), 401);
    assert_eq!(token(&app, "cust", PASSWORD).await.status(), 403);
    let bad = reqwest::Client::new()
        .post(app.url("/v3/auth/tokens"))
        .json(
            &serde_json::json!({ "auth": { "identity": { "methods": ["password"] }, "extra": 1 } }),
        )
        .send()
        .await
        .unwrap();
    let (s, e) = common::json(bad).await;
    assert_eq!(
        (s, e["error_code"].as_str()),
        (400, Some("CBC.0100")),
        "{e}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM api_tokens").await, 0);

    let ok = token(&app, "dist", PASSWORD).await;
    assert_eq!(ok.status(), 201);
    let tok = ok.headers()["x-subject-token"]
        .to_str()
        .unwrap()
        .to_string();
    let (_, body) = common::json(ok).await;
    assert_eq!(body["token"]["user"]["name"], "dist", "{body}");
    assert_eq!(body["token"]["user"]["domain"]["id"], dist.to_string());
    // The token answers as its user, exactly, and only its hash is stored.
    let (s, b) = balances_with(&app, &tok).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["account_balances"][0]["amount"].to_string(), "12.34");
    let stored = app
        .count(&format!(
            "SELECT COUNT(*) FROM api_tokens WHERE token_hash = '{tok}'"
        ))
        .await;
    assert_eq!(stored, 0, "the token itself is never stored");
    assert!(!app.server_log().contains(&tok), "tokens are never logged");
    // A changing operation with a token moves money (no signature, so no replay check).
    let moved = reqwest::Client::new()
        .post(app.url("/v2/accounts/partner-accounts/indirect-partner-adjust"))
        .header("x-auth-token", &tok)
        .body(format!(
            r#"{{"indirect_partner_id": "{res}", "amount": 2.34}}"#
        ))
        .send()
        .await
        .unwrap();
    let (s, m) = common::json(moved).await;
    assert_eq!(s, 200, "{m}");
    assert!(m["transfer_id"].is_string(), "{m}");
    assert_eq!(app.balance_fen("partner_id", res).await, 234);
    // Unknown and expired tokens.
    let (s, e) = balances_with(&app, "not-a-token").await;
    assert_eq!((s, e["error_code"].as_str()), (401, Some("APIGW.0301")));
    let pool = app.db().await;
    sqlx::query("UPDATE api_tokens SET expires_at = 0")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let (s, e) = balances_with(&app, &tok).await;
    assert_eq!(
        (s, e["error_code"].as_str()),
        (401, Some("APIGW.0307")),
        "{e}"
    );
    app.assert_ledger_sound().await;
}

on_both_backends!(the_openapi_document_lists_every_answered_operation);

/// The document names every operation of the catalogue, and every path and method in it is
/// answered by the server (an unauthenticated call gets 401 in the Huawei shape, not 404/405).
async fn the_openapi_document_lists_every_answered_operation(app: TestApp) {
    use partner_center::openapi::catalog::OPERATIONS;
    let res = reqwest::get(app.url("/openapi.json")).await.unwrap();
    assert_eq!(res.status(), 200);
    let doc: serde_json::Value = res.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    let paths = doc["paths"].as_object().unwrap();
    let mut operations = 0;
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            assert!(op["operationId"].is_string(), "{path} {method}");
            if path == "/v3/auth/tokens" {
                continue;
            }
            let req = reqwest::Client::new()
                .request(method.to_uppercase().parse().unwrap(), app.url(path));
            let res = req.body("{}").send().await.unwrap();
            let status = res.status().as_u16();
            let body: serde_json::Value = res.json().await.unwrap_or_default();
            assert_eq!(
                (status, body["error_code"].as_str()),
                (401, Some("APIGW.0301")),
                "{method} {path}"
            );
        }
    }
    assert_eq!(operations, OPERATIONS.len() + 1);
    for op in OPERATIONS {
        let entry = &doc["paths"][op.path][op.method.to_lowercase()];
        assert_eq!(entry["operationId"], op.name);
        assert!(
            entry["responses"][op.status.to_string()].is_object(),
            "{}",
            op.name
        );
    }
}

/// Every operation's typed request and answer (the catalogue is made from them) has exactly the
/// parameters and fields of the SDK's own models, with the same types, nested lists included:
/// `tests/sdk/models.py` reads the SDK's `v2/model` classes.
#[test]
fn the_catalogue_matches_the_sdk_models() {
    use partner_center::openapi::catalog::{OPERATIONS, Out, Ty};
    use partner_center::openapi::schema::expand;
    use serde_json::{Value, json};
    let Some(python) = common::sdk_python() else {
        return;
    };
    fn ty(t: Ty) -> Value {
        match t {
            Ty::Str => json!("string"),
            Ty::Int => json!("integer"),
            Ty::Number => json!("number"),
            Ty::StrList => json!({ "list": "string" }),
            Ty::IntList => json!({ "list": "integer" }),
        }
    }
    fn fields(list: &[(&'static str, Out)]) -> Value {
        let map = expand(list).into_iter().map(|(name, o)| {
            let shape = match o {
                Out::Str => json!("string"),
                Out::Int => json!("integer"),
                Out::Number => json!("number"),
                Out::Objects(inner) => json!({ "list": fields(inner) }),
                Out::Inline(_) => unreachable!("expanded"),
            };
            (name.to_string(), shape)
        });
        Value::Object(map.collect())
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sdk/models.py");
    let out = std::process::Command::new(&python)
        .arg(script)
        .args(OPERATIONS.iter().map(|o| o.name))
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sdk: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sdk.as_object().unwrap().len(), OPERATIONS.len());
    for op in OPERATIONS {
        let theirs = &sdk[op.name];
        assert_eq!(theirs["in_body"], op.in_body(), "{}", op.name);
        let params = op.params.iter().map(|p| (p.name.to_string(), ty(p.ty)));
        assert_eq!(
            Value::Object(params.collect()),
            theirs["params"],
            "{}: parameters",
            op.name
        );
        assert_eq!(
            fields(op.response),
            theirs["response"],
            "{}: answer",
            op.name
        );
    }
}
