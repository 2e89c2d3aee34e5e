//! Security hardening (#15), attacked from outside against the real server on both databases:
//! signature replays in every rewritten form, API retries with an idempotency key, a concurrent
//! sign-in burst, oversize bodies and id lists while others are served, secrets at rest,
//! enumeration answers, sessions, forwarded headers, the append-only audit trail, caching,
//! per-operator idempotency, the invitation mail limit and the outbox's redaction.

use crate::common;

use common::smtp::SmtpSink;
use common::{Backend, PASSWORD, TestApp, json};
use partner_center::openapi::signer;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;
use std::time::{Duration, Instant};

const ADJUST: &str = "/v2/accounts/partner-accounts/indirect-partner-adjust";

/// A request signed exactly as the SDK signs it, whose parts a test can then rewrite.
struct SignedRequest {
    ak: String,
    signed_headers: String,
    signature: String,
    date: String,
    body: Vec<u8>,
}

fn sdk_date(offset_s: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::seconds(offset_s))
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

fn sign(app: &TestApp, ak: &str, sk: &str, path: &str, body: &str, date: &str) -> SignedRequest {
    let host = app.base.trim_start_matches("http://").to_string();
    let headers = vec![
        ("content-type".to_string(), "application/json".to_string()),
        ("host".to_string(), host),
        ("x-sdk-date".to_string(), date.to_string()),
    ];
    let request = signer::Request {
        method: "POST",
        raw_path: path,
        raw_query: "",
        headers: &headers,
        body: body.as_bytes(),
    };
    let names: Vec<String> = headers.iter().map(|(k, _)| k.clone()).collect();
    let canonical = signer::canonical_request(&request, &names).unwrap();
    SignedRequest {
        ak: ak.to_string(),
        signed_headers: names.join(";"),
        signature: signer::sign(sk, &signer::string_to_sign(&canonical, date)),
        date: date.to_string(),
        body: body.as_bytes().to_vec(),
    }
}

impl SignedRequest {
    fn authorization(&self) -> String {
        format!(
            "SDK-HMAC-SHA256 Access={}, SignedHeaders={}, Signature={}",
            self.ak, self.signed_headers, self.signature
        )
    }

    fn headers(&self, authorizations: &[String], extra: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("content-type", HeaderValue::from_static("application/json"));
        h.insert("x-sdk-date", HeaderValue::from_str(&self.date).unwrap());
        for a in authorizations {
            h.append("authorization", HeaderValue::from_str(a).unwrap());
        }
        for (k, v) in extra {
            h.append(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }
}

async fn post(app: &TestApp, path: &str, headers: HeaderMap, body: Vec<u8>) -> (u16, Value) {
    json(
        reqwest::Client::new()
            .post(app.url(path))
            .headers(headers)
            .body(body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

on_both_backends!(a_captured_signed_request_is_accepted_once_whatever_is_rewritten);
on_both_backends!(requests_carry_an_id_that_is_answered);

async fn a_captured_signed_request_is_accepted_once_whatever_is_rewritten(app: TestApp) {
    let dist = app.partner("dist", "distributor", None);
    let res = app.partner("res", "reseller", Some(dist));
    app.fund(dist, "100");
    let (ak, sk) = app.access_key("dist");
    let body = format!(r#"{{"indirect_partner_id":"{res}","amount":1}}"#);
    let s = sign(&app, &ak, &sk, ADJUST, &body, &sdk_date(0));
    let (status, first) = post(
        &app,
        ADJUST,
        s.headers(&[s.authorization()], &[]),
        s.body.clone(),
    )
    .await;
    assert_eq!(status, 200, "{first}");
    // Every rewrite that the signature check ignores is still the same request: refused as a
    // replay (APIGW.0304) or as malformed (APIGW.0301), never accepted.
    let upper = format!(
        "SDK-HMAC-SHA256 Access={}, SignedHeaders={}, Signature={}",
        s.ak,
        s.signed_headers,
        s.signature.to_uppercase()
    );
    let reordered = format!(
        "SDK-HMAC-SHA256 Signature={}, SignedHeaders={}, Access={}",
        s.signature, s.signed_headers, s.ak
    );
    let spaced = format!(
        "SDK-HMAC-SHA256 Access={} ,   SignedHeaders={} ,Signature={}   ",
        s.ak, s.signed_headers, s.signature
    );
    let mixed = format!(
        "SDK-HMAC-SHA256 Signature={}, Access={}, SignedHeaders={}",
        s.signature.to_uppercase(),
        s.ak,
        s.signed_headers
    );
    for (what, auths, extra, code) in [
        ("as captured", vec![s.authorization()], vec![], "APIGW.0304"),
        ("upper-case hex", vec![upper.clone()], vec![], "APIGW.0304"),
        ("reordered parts", vec![reordered], vec![], "APIGW.0304"),
        ("extra whitespace", vec![spaced], vec![], "APIGW.0304"),
        ("re-cased and reordered", vec![mixed], vec![], "APIGW.0304"),
        (
            "an unsigned header added",
            vec![s.authorization()],
            vec![("x-trace", "1")],
            "APIGW.0304",
        ),
        (
            "the header twice",
            vec![s.authorization(), s.authorization()],
            vec![],
            "APIGW.0301",
        ),
        (
            "a second, different header",
            vec![upper, s.authorization()],
            vec![],
            "APIGW.0301",
        ),
        (
            "the date twice",
            vec![s.authorization()],
            vec![("x-sdk-date", s.date.as_str())],
            "APIGW.0301",
        ),
    ] {
        let (status, e) = post(&app, ADJUST, s.headers(&auths, &extra), s.body.clone()).await;
        assert_eq!(
            (status, e["error_code"].as_str()),
            (401, Some(code)),
            "{what}: {e}"
        );
    }
    assert_eq!(app.balance_fen("partner_id", res).await, 100, "moved once");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM fund_transfers WHERE operation <> 'FUND'")
            .await,
        1
    );
    // A part given twice inside the header is malformed, not a choice of signature.
    let doubled = format!(
        "SDK-HMAC-SHA256 Access={}, SignedHeaders={}, Signature={}, Signature={}",
        s.ak,
        s.signed_headers,
        "0".repeat(64),
        s.signature
    );
    let fresh = sign(&app, &ak, &sk, ADJUST, &body, &sdk_date(-1));
    let (status, e) = post(
        &app,
        ADJUST,
        fresh.headers(&[doubled], &[]),
        fresh.body.clone(),
    )
    .await;
    assert_eq!(
        (status, e["error_code"].as_str()),
        (401, Some("APIGW.0301")),
        "{e}"
    );
    assert_eq!(app.balance_fen("partner_id", res).await, 100);
    app.assert_ledger_sound().await;
}

async fn with_token(
    app: &TestApp,
    token: &str,
    path: &str,
    client_token: Option<&str>,
    body: &str,
) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .post(app.url(path))
        .header("x-auth-token", token)
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(k) = client_token {
        req = req.header("x-client-token", k);
    }
    json(req.send().await.unwrap()).await
}

on_both_backends!(api_retries_with_the_same_client_token_move_money_once);

async fn api_retries_with_the_same_client_token_move_money_once(app: TestApp) {
    let dist = app.partner("dist", "distributor", None);
    let res = app.partner("res", "reseller", Some(dist));
    app.fund(dist, "1000");
    let res_token = app.api_token("dist", PASSWORD).await;
    assert_eq!(res_token.status(), 201);
    let token = res_token
        .headers()
        .get("x-subject-token")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let body = format!(r#"{{"indirect_partner_id":"{res}","amount":"2.50"}}"#);
    // A retry after a timeout: the same key and request answer the first result.
    let (s1, a) = with_token(&app, &token, ADJUST, Some("erp-0001"), &body).await;
    let (s2, b) = with_token(&app, &token, ADJUST, Some("erp-0001"), &body).await;
    assert_eq!((s1, s2), (200, 200), "{a} {b}");
    assert_eq!(a["transfer_id"], b["transfer_id"]);
    assert_eq!(app.balance_fen("partner_id", res).await, 250);
    // The same key with another amount, or for another operation: refused, nothing moves.
    let other = format!(r#"{{"indirect_partner_id":"{res}","amount":"3"}}"#);
    let (s, e) = with_token(&app, &token, ADJUST, Some("erp-0001"), &other).await;
    assert_eq!(
        (s, e["error_code"].as_str()),
        (409, Some("CBC.0153")),
        "{e}"
    );
    let reclaim = "/v2/accounts/partner-accounts/indirect-partner-reclaim";
    let (s, e) = with_token(&app, &token, reclaim, Some("erp-0001"), &body).await;
    assert_eq!(
        (s, e["error_code"].as_str()),
        (409, Some("CBC.0153")),
        "{e}"
    );
    // A malformed key is a 400 before anything is read.
    for bad in ["has space", &"k".repeat(65), "中文"] {
        let mut req = reqwest::Client::new()
            .post(app.url(ADJUST))
            .header("x-auth-token", &token)
            .body(body.clone());
        req = req.header(
            "x-client-token",
            HeaderValue::from_bytes(bad.as_bytes()).unwrap(),
        );
        let (s, e) = json(req.send().await.unwrap()).await;
        assert_eq!(
            (s, e["error_code"].as_str()),
            (400, Some("CBC.0100")),
            "{bad}: {e}"
        );
    }
    assert_eq!(app.balance_fen("partner_id", res).await, 250);
    // Without a key, each call is a new operation (the official SDK's behaviour, unchanged).
    for _ in 0..2 {
        assert_eq!(with_token(&app, &token, ADJUST, None, &body).await.0, 200);
    }
    assert_eq!(app.balance_fen("partner_id", res).await, 750);
    // A burst of the same retry at once: one transfer, every answer the same.
    let mut burst = Vec::new();
    for _ in 0..8 {
        let (url, token, body) = (app.url(ADJUST), token.clone(), body.clone());
        burst.push(async move {
            let r = reqwest::Client::new()
                .post(url)
                .header("x-auth-token", token)
                .header("x-client-token", "erp-burst")
                .body(body)
                .send()
                .await
                .unwrap();
            json(r).await
        });
    }
    let mut ids = std::collections::HashSet::new();
    for (s, v) in common::race_all(burst).await {
        assert_eq!(s, 200, "{v}");
        ids.insert(v["transfer_id"].as_str().unwrap().to_string());
    }
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(app.balance_fen("partner_id", res).await, 1000);
    // With AK/SK: two signatures (two dates) of one retried request, one key: one transfer.
    let (ak, sk) = app.access_key("dist");
    let body = format!(r#"{{"indirect_partner_id":"{res}","amount":1}}"#);
    for offset in [-2, 0] {
        let s = sign(&app, &ak, &sk, ADJUST, &body, &sdk_date(offset));
        let (status, v) = post(
            &app,
            ADJUST,
            s.headers(&[s.authorization()], &[("x-client-token", "erp-signed")]),
            s.body.clone(),
        )
        .await;
        assert_eq!(status, 200, "{v}");
    }
    assert_eq!(app.balance_fen("partner_id", res).await, 1100);

    // Vouchers too: issuing a coupon twice with one key issues one coupon.
    let prov = app.partner("prov", "solution-provider", None);
    let cust = app.customer(prov, "cust", "resale");
    app.grant_quota(prov, "100");
    let t = app.api_token("prov", PASSWORD).await;
    let ptoken = t.headers()["x-subject-token"].to_str().unwrap().to_string();
    let quota: i64 = {
        let pool = app.db().await;
        let q = sqlx::query_scalar(&format!(
            "SELECT id FROM coupon_quotas WHERE partner_id = {prov}"
        ))
        .fetch_one(&pool)
        .await
        .unwrap();
        pool.close().await;
        q
    };
    let issue = format!(r#"{{"quota_id":"{quota}","customer_ids":["{cust}"],"face_value":5}}"#);
    let path = "/v2/promotions/benefits/partner-coupons";
    let (s1, a) = with_token(&app, &ptoken, path, Some("cp-1"), &issue).await;
    let (s2, b) = with_token(&app, &ptoken, path, Some("cp-1"), &issue).await;
    assert_eq!((s1, s2), (200, 200), "{a} {b}");
    assert_eq!(a["coupon_infos"], b["coupon_infos"]);
    assert_eq!(app.count("SELECT COUNT(*) FROM coupons").await, 1);
    app.assert_ledger_sound().await;
    // The document and the Explorer say so.
    let doc: Value = app.openapi_document().await;
    let params = doc["paths"][ADJUST]["post"]["parameters"].to_string();
    assert!(params.contains("X-Client-Token"), "{params}");
    let reads =
        doc["paths"]["/v2/accounts/partner-accounts/balances"]["get"]["parameters"].to_string();
    assert!(!reads.contains("X-Client-Token"), "{reads}");
}

on_both_backends!(a_concurrent_burst_of_wrong_passwords_is_held_to_the_limit);

async fn a_concurrent_burst_of_wrong_passwords_is_held_to_the_limit(app: TestApp) {
    app.partner("victim", "solution-provider", None);
    app.partner("victim2", "solution-provider", None);
    // 40 wrong passwords at the same moment on one account: at most 5 are evaluated.
    let form = |_| {
        reqwest::Client::new()
            .post(app.url("/api/login"))
            .header("origin", &app.base)
            .form(&[("account", "victim"), ("password", "wrong-password-1")])
    };
    assert_held_to_five(burst(40, form).await);
    assert!(
        app.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'login.failure' AND target = 'victim'"
        )
        .await
            <= 5
    );
    // The right password now: still throttled within the window (the limit holds).
    let c = app.client();
    let res = app.login(&c, "victim", PASSWORD).await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    // The same for API tokens.
    let token = |_| {
        reqwest::Client::new()
            .post(app.url("/v3/auth/tokens"))
            .json(
                &serde_json::json!({ "auth": { "identity": { "methods": ["password"],
            "password": { "user": { "name": "victim2", "password": "nope-nope-1" } } } } }),
            )
    };
    assert_held_to_five(burst(40, token).await);
}

/// Sends `n` requests at the same moment; their statuses.
async fn burst(n: usize, request: impl Fn(usize) -> reqwest::RequestBuilder) -> Vec<u16> {
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let r = request(i);
            tokio::spawn(async move { r.send().await.unwrap().status().as_u16() })
        })
        .collect();
    let mut statuses = Vec::with_capacity(n);
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    statuses
}

/// At most 5 attempts were evaluated (401); every other one was throttled (429).
fn assert_held_to_five(statuses: Vec<u16>) {
    let wrong = statuses.iter().filter(|s| **s == 401).count();
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    assert!(wrong <= 5, "{wrong} evaluated: {statuses:?}");
    assert_eq!(wrong + throttled, statuses.len(), "{statuses:?}");
}

on_both_backends!(oversize_bodies_and_id_lists_are_refused_while_others_are_served);

async fn oversize_bodies_and_id_lists_are_refused_while_others_are_served(app: TestApp) {
    let prov = app.partner("prov", "solution-provider", None);
    app.customer(prov, "cust", "resale");
    let c = app.signed_in("prov").await;
    // A server function body over the limit: 413, unread.
    let big = "9,".repeat(50_000);
    let res = c
        .post(app.url("/api/vouchers/reclaim-preview"))
        .form(&[("kind", "coupon"), ("ids", big.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    // An API body over 64 KiB: 413.
    let res = reqwest::Client::new()
        .post(app.url("/v2/partners/coupon-quotas/query"))
        .header("x-auth-token", "whatever")
        .body(vec![b' '; 100 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    // A list of 8 000 distinct ids under the size limit: refused as too many, at once.
    let ids: String = (1..=8000).map(|i| format!("{i},")).collect();
    assert!(ids.len() < 60 * 1024);
    let t = Instant::now();
    let (s, e) = json(
        app.call(
            &c,
            "vouchers/reclaim-preview",
            &[("kind", "coupon"), ("ids", &ids)],
        )
        .await,
    )
    .await;
    assert_eq!(
        (s, e["key"].as_str()),
        (400, Some("error.vouchers.too_many")),
        "{e}"
    );
    assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
    // While such requests keep arriving, other users are answered promptly.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let answered = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut flood = Vec::new();
    for i in 0..6 {
        // Oversized bodies are refused before the session is read, on connections the server
        // then closes: they get clients of their own, so no signed-in request is sent on a
        // connection a 413 closed.
        let client = if i % 2 == 0 {
            c.clone()
        } else {
            // Bounded: an upload the server stopped reading must not hang the test.
            reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .default_headers(HeaderMap::from_iter([(
                    reqwest::header::ORIGIN,
                    HeaderValue::from_str(&app.base).unwrap(),
                )]))
                .build()
                .unwrap()
        };
        let (c, url, ids, stop, answered) = (
            client,
            app.url("/api/vouchers/reclaim-preview"),
            ids.clone(),
            stop.clone(),
            answered.clone(),
        );
        flood.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let body = if i % 2 == 0 {
                    ids.clone()
                } else {
                    "9,".repeat(40_000)
                };
                let res = c
                    .post(&url)
                    .form(&[("kind", "coupon"), ("ids", body.as_str())])
                    .send()
                    .await;
                // Every hostile request is refused with a clear answer, never a 5xx: too many
                // ids is a 400; an oversized body a 413 (or a connection closed mid-upload
                // after the 413 was sent).
                match res {
                    Ok(res) => {
                        let expected = if i % 2 == 0 { 400 } else { 413 };
                        assert_eq!(res.status(), expected, "{:?}", res.text().await);
                    }
                    Err(e) => assert!(i % 2 == 1, "flood request failed: {e}"),
                }
                answered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                n += 1;
            }
            n
        }));
    }
    // Measure only once the flood is on (every flooder has been answered at least once).
    common::wait_for("the flood to start", Duration::from_secs(30), || {
        let answered = answered.clone();
        async move { answered.load(std::sync::atomic::Ordering::Relaxed) >= 12 }
    })
    .await;
    let other = app.signed_in("cust").await;
    let mut took = Vec::new();
    for _ in 0..30 {
        let t = Instant::now();
        let res = app.page(&other, "/customer").await;
        assert_eq!(res.status(), 200);
        let _ = res.bytes().await;
        took.push(t.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut sent = 0;
    for f in flood {
        sent += f.await.unwrap();
    }
    took.sort();
    let p90 = took[took.len() * 9 / 10];
    eprintln!(
        "others' page during {sent} hostile requests: median {:?}, p90 {p90:?}, max {:?}",
        took[took.len() / 2],
        took[took.len() - 1]
    );
    assert!(sent >= 10, "the flood did not run ({sent})");
    assert!(p90 < Duration::from_millis(100), "p90 {p90:?}: {took:?}");
}

/// A signed list_quota_coupons: its status.
async fn signed_query(app: &TestApp, ak: &str, sk: &str, offset: i64) -> u16 {
    let (query, body) = (
        "/v2/partners/coupon-quotas/query",
        r#"{"offset":0,"limit":10}"#,
    );
    let s = sign(app, ak, sk, query, body, &sdk_date(offset));
    post(
        app,
        query,
        s.headers(&[s.authorization()], &[]),
        s.body.clone(),
    )
    .await
    .0
}

on_both_backends!(secret_keys_are_sealed_at_rest_and_the_master_key_rotates);

async fn secret_keys_are_sealed_at_rest_and_the_master_key_rotates(app: TestApp) {
    app.partner("prov", "solution-provider", None);
    let c = app.signed_in("prov").await;
    let (s, k) = json(
        app.call(&c, "openapi/key-create", &[("description", "ERP")])
            .await,
    )
    .await;
    assert_eq!(s, 200, "{k}");
    let (ak, sk) = (
        k["ak"].as_str().unwrap().to_string(),
        k["sk"].as_str().unwrap().to_string(),
    );
    let cli_key = app.access_key("prov");
    let stored: Vec<String> = {
        let pool = app.db().await;
        let v = sqlx::query_scalar("SELECT sk FROM access_keys ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
        pool.close().await;
        v
    };
    assert_eq!(stored.len(), 2);
    for (row, secret) in stored.iter().zip([&sk, &cli_key.1]) {
        assert!(row.starts_with("v1:"), "{row}");
        assert!(!row.contains(secret.as_str()));
    }
    if app.backend == Backend::Sqlite {
        // The database files themselves hold no secret key.
        let path = app.db_url.trim_start_matches("sqlite://").to_string();
        for file in [path.clone(), format!("{path}-wal")] {
            if let Ok(bytes) = std::fs::read(&file) {
                for secret in [&sk, &cli_key.1] {
                    assert!(
                        !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                        "{file} contains a secret key"
                    );
                }
            }
        }
        let key_file = std::path::Path::new(&path).with_file_name("master.key");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{}", key_file.display());
        }
    }
    // The keys verify; the master key rotates under the running server; they still verify.
    assert_eq!(signed_query(&app, &ak, &sk, 0).await, 200);
    let rotated = app.cli_ok(&["admin", "rotate-master-key"]);
    assert_eq!(rotated["resealed"], 2, "{rotated}");
    let after: Vec<String> = {
        let pool = app.db().await;
        let v = sqlx::query_scalar("SELECT sk FROM access_keys ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
        pool.close().await;
        v
    };
    assert_ne!(after, stored);
    assert_eq!(signed_query(&app, &ak, &sk, -1).await, 200);
    assert_eq!(signed_query(&app, &cli_key.0, &cli_key.1, -1).await, 200);
    // A key created after the rotation by the running server is sealed under the new key.
    let (s, k2) = json(app.call(&c, "openapi/key-create", &[]).await).await;
    assert_eq!(s, 409, "at most 2 keys: {k2}");
    assert!(!app.server_log().contains(&sk), "a secret key was logged");
}

on_both_backends!(answers_do_not_tell_whether_an_account_or_key_exists);

async fn answers_do_not_tell_whether_an_account_or_key_exists(app: TestApp) {
    app.partner("prov", "solution-provider", None);
    let (ak, _) = app.access_key("prov");
    let query = "/v2/partners/coupon-quotas/query";
    let body = r#"{"offset":0,"limit":10}"#;
    let wrong_sig = sign(&app, &ak, "not-the-secret", query, body, &sdk_date(0));
    let unknown_ak = sign(
        &app,
        "NOSUCHACCESSKEY00000",
        "whatever",
        query,
        body,
        &sdk_date(0),
    );
    let a = post(
        &app,
        query,
        wrong_sig.headers(&[wrong_sig.authorization()], &[]),
        wrong_sig.body.clone(),
    )
    .await;
    let b = post(
        &app,
        query,
        unknown_ak.headers(&[unknown_ak.authorization()], &[]),
        unknown_ak.body.clone(),
    )
    .await;
    assert_eq!(a.0, 401);
    assert_eq!(a, b, "unknown AK and wrong signature must look the same");
    // Sign-in: an unknown account and a wrong password.
    let c = app.client();
    let x = json(app.login(&c, "prov", "Wrong#2026pw").await).await;
    let y = json(app.login(&c, "nobody-at-all", "Wrong#2026pw").await).await;
    assert_eq!(x, y);
    assert_eq!(x.0, 401);
    // Inviting an employee: an account that does not exist and one that is not personal.
    let p = app.signed_in("prov").await;
    app.partner("other", "distributor", None);
    let m = json(
        app.call(&p, "employees/invite", &[("login", "other")])
            .await,
    )
    .await;
    let n = json(
        app.call(&p, "employees/invite", &[("login", "no-such-login")])
            .await,
    )
    .await;
    assert_eq!((m.0, &m.1["key"]), (n.0, &n.1["key"]), "{m:?} {n:?}");
    assert_eq!(m.1["key"], "error.employees.no_personal_account");
}

fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("pc_session="))
        .map(str::to_string)
}

on_both_backends!(sessions_are_stored_hashed_and_end_after_their_absolute_lifetime);

async fn sessions_are_stored_hashed_and_end_after_their_absolute_lifetime(app: TestApp) {
    app.partner("prov", "solution-provider", None);
    let c = app.client();
    let res = app.login(&c, "prov", PASSWORD).await;
    assert_eq!(res.status(), 200);
    let cookie = session_cookie(&res).expect("a session cookie");
    assert!(!cookie.to_ascii_lowercase().contains("secure"), "{cookie}");
    let id = cookie
        .trim_start_matches("pc_session=")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM sessions WHERE id = '{id}'"))
            .await,
        0
    );
    let hash = partner_center::server::security::token_hash(&id);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM sessions WHERE id = '{hash}'"
        ))
        .await,
        1
    );
    assert_eq!(app.me(&c).await["login"], "prov");
    // Active all along, but created 13 hours ago: over the absolute lifetime, signed out.
    let pool = app.db().await;
    sqlx::query(&format!(
        "UPDATE sessions SET created_at = created_at - {} WHERE id = '{hash}'",
        13 * 3_600_000
    ))
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    assert_eq!(app.me(&c).await, Value::Null);
    // Plain http: no HSTS.
    let res = reqwest::get(app.url("/healthz")).await.unwrap();
    assert!(!res.headers().contains_key("strict-transport-security"));
}

/// Over https (a public https address): Secure cookies and HSTS. Behind a trusted proxy, the
/// forwarded address is the client's (per-address limits and the audit trail); without the
/// setting, forwarded headers are ignored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_and_trusted_proxies() {
    let Some(mut app) = TestApp::database(Backend::Sqlite).await else {
        return;
    };
    app.start(&[
        "--public-url",
        "https://partners.example.test",
        "--trusted-proxy",
        "127.0.0.1",
    ])
    .await;
    app.partner("prov", "solution-provider", None);
    let res = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(
        res.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
    let c = app.client();
    let res = app.login(&c, "prov", PASSWORD).await;
    let cookie = session_cookie(&res).unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    // 20 failures from one forwarded address throttle that address, not the proxy's others.
    let attempt = |ip: &'static str, account: String| {
        let (url, base) = (app.url("/api/login"), app.base.clone());
        async move {
            reqwest::Client::new()
                .post(url)
                .header("origin", base)
                .header("x-forwarded-for", format!("{ip}, 127.0.0.1"))
                .form(&[("account", account.as_str()), ("password", "Wrong#2026pw")])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    for i in 0..20 {
        assert_eq!(attempt("198.51.100.1", format!("acct{i}")).await, 401);
    }
    assert_eq!(attempt("198.51.100.1", "acct-x".into()).await, 429);
    assert_eq!(attempt("198.51.100.2", "acct-x".into()).await, 401);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'login.failure' AND ip = '198.51.100.1'"
        )
        .await,
        20
    );

    // Without the setting, a client cannot choose its address.
    let Some(plain) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    let res = reqwest::Client::new()
        .post(plain.url("/api/login"))
        .header("origin", &plain.base)
        .header("x-forwarded-for", "203.0.113.9")
        .form(&[("account", "someone"), ("password", "Wrong#2026pw")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(
        plain
            .count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'login.failure' AND ip = '127.0.0.1'"
            )
            .await,
        1
    );
}

on_both_backends!(the_audit_trail_is_append_only_and_money_pages_are_not_cached);

async fn the_audit_trail_is_append_only_and_money_pages_are_not_cached(app: TestApp) {
    let prov = app.partner("prov", "solution-provider", None);
    app.fund(prov, "10");
    let c = app.signed_in("prov").await;
    let n = app.count("SELECT COUNT(*) FROM audit_log").await;
    assert!(n > 0);
    let append_only = "the audit trail is append-only";
    app.assert_refused(
        "UPDATE audit_log SET action = 'x'",
        append_only,
        append_only,
    )
    .await;
    app.assert_refused("DELETE FROM audit_log", append_only, append_only)
        .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, n);
    for path in ["/center/sales/funds", "/center/sales/funds/records.csv"] {
        let res = app.page(&c, path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
    }
    let res = app.page(&c, "/favicon.svg").await;
    assert_ne!(res.headers()["cache-control"], "no-store");
}

on_both_backends!(each_operator_has_its_own_idempotency_scope);

async fn each_operator_has_its_own_idempotency_scope(app: TestApp) {
    let prov = app.partner("prov", "solution-provider", None);
    app.operator("ops1");
    app.operator("ops2");
    let fund = |c: reqwest::Client| {
        let p = prov.to_string();
        let app = &app;
        async move {
            app.call(
                &c,
                "operator/fund",
                &[
                    ("partner", p.as_str()),
                    ("amount", "5"),
                    ("trans_id", "same-id-1"),
                ],
            )
            .await
            .status()
            .as_u16()
        }
    };
    let o1 = app.signed_in("ops1").await;
    let o2 = app.signed_in("ops2").await;
    assert_eq!(fund(o1.clone()).await, 200);
    assert_eq!(fund(o2.clone()).await, 200);
    // ops1's retry is a replay of its own: nothing moves.
    assert_eq!(fund(o1).await, 200);
    assert_eq!(app.balance_fen("partner_id", prov).await, 1000);
}

/// Invitation emails are limited per partner and day; a delivered email keeps no usable link.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitation_mail_is_limited_and_the_outbox_keeps_no_token() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(mut app) = TestApp::database(backend).await else {
            continue;
        };
        let sink = SmtpSink::start().await;
        app.start(&["--smtp-url", &sink.url()]).await;
        app.partner("prov", "solution-provider", None);
        let p = app.signed_in("prov").await;
        let invite = |channel: &'static str, email: String| {
            let (app, p) = (&app, p.clone());
            async move {
                json(
                    app.call(
                        &p,
                        "customers/invite",
                        &[
                            ("channel", channel),
                            ("email", &email),
                            ("label", ""),
                            ("mode", "resale"),
                        ],
                    )
                    .await,
                )
                .await
            }
        };
        let (s, _) = invite("email", "first@example.com".into()).await;
        assert_eq!(s, 200);
        let mail = sink
            .wait_for(|m| m.to.contains(&"first@example.com".to_string()))
            .await;
        let link = mail
            .text()
            .lines()
            .find(|l| l.contains("/invite/"))
            .unwrap()
            .trim()
            .to_string();
        let token = link.rsplit('/').next().unwrap().to_string();
        // Once sent, the outbox row keeps a record without the token.
        let mut redacted = false;
        for _ in 0..100 {
            let pool = app.db().await;
            let row: Option<(String, String)> = sqlx::query_as(
                "SELECT state, body FROM outbox WHERE recipient = 'first@example.com'",
            )
            .fetch_optional(&pool)
            .await
            .unwrap();
            pool.close().await;
            if let Some((state, body)) = row
                && state == "sent"
                && body.contains("[redacted]")
            {
                assert!(!body.contains(&token), "{body}");
                redacted = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(redacted, "the delivered email kept its token");
        // An offline link's token is sealed at rest (neither it nor a plain copy is stored).
        let (s, off) = invite("offline", String::new()).await;
        assert_eq!(s, 200, "{off}");
        let off_token = off["link"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM customer_invitations WHERE token LIKE '%{off_token}%'"
            ))
            .await,
            0
        );
        // 50 emails in 24 hours, then a clear refusal; offline links remain possible.
        for i in 1..50 {
            let (s, e) = invite("email", format!("c{i}@example.com")).await;
            assert_eq!(s, 200, "{i}: {e}");
        }
        let (s, e) = invite("email", "one-too-many@example.com".into()).await;
        assert_eq!(
            (s, e["key"].as_str()),
            (409, Some("error.invite.daily_limit")),
            "{e}"
        );
        assert_eq!(invite("offline", String::new()).await.0, 200);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM customer_invitations WHERE channel = 'email'")
                .await,
            50
        );
    }
}

on_both_backends!(a_disassociation_cannot_slip_between_the_ownership_check_and_the_move);

/// Allocations race a customer's confirmation of its disassociation. Whatever the order, money
/// never lands on a customer that is no longer the partner's: the ownership check runs inside
/// the transaction that moves the money (before, an allocation checked, the unbind committed
/// and returned the balance, then the allocation moved money to an unlinked customer).
async fn a_disassociation_cannot_slip_between_the_ownership_check_and_the_move(app: TestApp) {
    let prov = app.partner("prov", "solution-provider", None);
    app.fund(prov, "10000");
    let p = app.signed_in("prov").await;
    for round in 0..6 {
        let login = format!("cust{round}");
        let cust = app.customer(prov, &login, "resale");
        let c = app.signed_in(&login).await;
        let (s, e) = json(
            app.call(
                &p,
                "customers/unbind",
                &[("customer", &cust.to_string()), ("action", "request")],
            )
            .await,
        )
        .await;
        assert!(s == 200 || s == 302, "{e}");
        let mut moves = Vec::new();
        for i in 0..8 {
            let (app_base, p) = (app.base.clone(), p.clone());
            let trans = format!("race-{round}-{i}");
            moves.push(tokio::spawn(async move {
                p.post(format!("{app_base}/api/funds/adjust"))
                    .header("origin", &app_base)
                    .form(&[
                        ("target", "Customer"),
                        ("id", &cust.to_string()),
                        ("direction", "Allocate"),
                        ("amount", "1"),
                        ("trans_id", &trans),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }));
        }
        let confirm = app
            .call(&c, "customers/unbind-answer", &[("answer", "confirm")])
            .await;
        assert_eq!(confirm.status(), 200);
        for m in moves {
            let s = m.await.unwrap();
            assert!(s == 200 || s == 409, "{s}");
        }
        let linked = app
            .count(&format!(
                "SELECT COUNT(*) FROM customers WHERE id = {cust} AND partner_id IS NOT NULL"
            ))
            .await;
        assert_eq!(linked, 0);
        assert_eq!(
            app.balance_fen("customer_id", cust).await,
            0,
            "round {round}: money landed on a customer after its disassociation"
        );
    }
    app.assert_ledger_sound().await;
}

/// Every answer carries a request id: the caller's own `x-request-id`, or a fresh one.
async fn requests_carry_an_id_that_is_answered(app: TestApp) {
    let res = reqwest::get(app.url("/healthz")).await.unwrap();
    let id = res.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(id.len(), 16, "{id}");
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    let again = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_ne!(
        again.headers()["x-request-id"],
        id.as_str(),
        "a fresh id each time"
    );
    let traced = reqwest::Client::new()
        .get(app.url("/healthz"))
        .header("x-request-id", "trace-7")
        .send()
        .await
        .unwrap();
    assert_eq!(traced.headers()["x-request-id"], "trace-7");
}
