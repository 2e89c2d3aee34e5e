//! The official Huawei Cloud SDK (`huaweicloudsdkbss` 3.1.219, Python) against the real server on
//! both databases: `tests/sdk/bss_vouchers.py` signs every request with the SDK's own signer and
//! checks the answers. `scripts/test` creates the SDK's virtual environment and sets
//! `SDK_PYTHON`; without it this test says so and does nothing.

mod common;

use common::{PASSWORD, TestApp};

on_both_backends!(the_sdk_issues_lists_and_reclaims_coupons);

async fn the_sdk_issues_lists_and_reclaims_coupons(app: TestApp) {
    let Ok(python) = std::env::var("SDK_PYTHON") else {
        eprintln!("SDK_PYTHON is not set: skipping the SDK test (scripts/test sets it)");
        return;
    };
    let prov = app.partner("prov", "solution-provider", None);
    let resale = app.customer(prov, "c-resale", "resale");
    let consulting = app.customer(prov, "c-consult", "consulting");
    app.cli_ok(&[
        "admin",
        "grant-quota",
        "--partner",
        &prov.to_string(),
        "--amount",
        "1000",
    ]);
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
    let Ok(python) = std::env::var("SDK_PYTHON") else {
        eprintln!("SDK_PYTHON is not set: skipping the SDK test (scripts/test sets it)");
        return;
    };
    let dist = app.partner("dist", "distributor", None);
    let res = app.partner("res", "reseller", Some(dist));
    let other = app.partner("dist2", "distributor", None);
    let foreign = app.partner("res2", "reseller", Some(other));
    let prov = app.partner("prov", "solution-provider", None);
    let customer = app.customer(res, "c-of-res", "resale");
    app.cli_ok(&[
        "admin",
        "grant-quota",
        "--partner",
        &dist.to_string(),
        "--amount",
        "5000",
    ]);
    app.cli_ok(&[
        "admin",
        "grant-quota",
        "--partner",
        &prov.to_string(),
        "--amount",
        "100",
    ]);
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
