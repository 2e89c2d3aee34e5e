//! Partner plans: eligibility per partner kind, the application state machine, certificate
//! downloads (a real PDF read back with pdftotext) and public verification — on both databases.

use crate::common;

use common::{TestApp, json};
use serde_json::Value;

on_both_backends!(
    the_catalogue_shows_who_may_join_each_plan,
    applications_follow_pending_then_approved_or_rejected_once,
    only_the_owner_downloads_its_certificate_as_a_pdf,
    verification_tells_valid_expired_revoked_and_unknown_apart,
    review_and_revocation_are_for_operators_only_and_audited,
    without_a_font_the_download_is_unavailable_and_the_public_url_is_printed,
);

fn standing<'a>(cards: &'a Value, plan: &str) -> &'a Value {
    let code = match plan {
        "pce" => "CoExpansion",
        "distribution-tier1" => "DistributionTier1",
        "distribution-tier2" => "DistributionTier2",
        "solution-provider" => "SolutionProvider",
        other => panic!("unknown plan {other}"),
    };
    &cards
        .as_array()
        .expect("cards")
        .iter()
        .find(|c| c["plan"] == code)
        .unwrap_or_else(|| panic!("{plan} missing from {cards}"))["standing"]
}

async fn apply(app: &TestApp, c: &reqwest::Client, plan: &str) -> (u16, Value) {
    json(
        app.call(
            c,
            "plans/apply",
            &[
                ("plan", plan),
                ("contact_name", "张伟"),
                ("contact_phone", "+86 138 0000 0000"),
                ("statement", "我们希望加入该计划。"),
            ],
        )
        .await,
    )
    .await
}

async fn pending_id(app: &TestApp, op: &reqwest::Client, partner: &str) -> i64 {
    let (s, list) = json(
        app.call(op, "operator/plan-applications", &[("state", "pending")])
            .await,
    )
    .await;
    assert_eq!(s, 200, "{list}");
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|a| a["partner_name"] == partner)
        .and_then(|a| a["id"].as_i64())
        .unwrap_or_else(|| panic!("no pending application of {partner} in {list}"))
}

/// Applies and has the operator approve; returns the certificate number.
async fn join(
    app: &TestApp,
    c: &reqwest::Client,
    op: &reqwest::Client,
    who: &str,
    plan: &str,
) -> String {
    assert_eq!(apply(app, c, plan).await.0, 200);
    let id = pending_id(app, op, who).await.to_string();
    let (s, number) = json(app.call(op, "operator/plan-approve", &[("id", &id)]).await).await;
    assert_eq!(s, 200, "{number}");
    number.as_str().expect("certificate number").to_string()
}

async fn the_catalogue_shows_who_may_join_each_plan(app: TestApp) {
    let dist = app.partner("dist", "distributor", None);
    app.partner("res", "reseller", Some(dist));
    app.partner("prov", "solution-provider", None);
    app.cli_ok(&[
        "admin",
        "create-partner",
        "--name",
        "new",
        "--kind",
        "solution-provider",
        "--login",
        "newbie",
        "--password",
        common::PASSWORD,
        "--hcpn",
        "pending",
    ]);

    for (login, plan, expected) in [
        ("dist", "distribution-tier1", Value::from("Open")),
        (
            "dist",
            "distribution-tier2",
            serde_json::json!({"NotEligible": "error.plans.only_reseller"}),
        ),
        ("res", "distribution-tier2", Value::from("Open")),
        (
            "res",
            "distribution-tier1",
            serde_json::json!({"NotEligible": "error.plans.only_distributor"}),
        ),
        ("prov", "solution-provider", Value::from("Open")),
        (
            "dist",
            "solution-provider",
            serde_json::json!({"NotEligible": "error.plans.only_provider"}),
        ),
        ("prov", "pce", Value::from("Open")),
        (
            "newbie",
            "pce",
            serde_json::json!({"NotEligible": "error.plans.need_hcpn"}),
        ),
    ] {
        let c = app.signed_in(login).await;
        let (s, cards) = json(app.call(&c, "plans/catalogue", &[]).await).await;
        assert_eq!(s, 200);
        assert_eq!(standing(&cards, plan), &expected, "{login} / {plan}");
    }

    // The rule holds at the server, not only in the page.
    let res = app.signed_in("res").await;
    let (s, body) = apply(&app, &res, "distribution-tier1").await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.plans.only_distributor"))
    );
    let newbie = app.signed_in("newbie").await;
    let (s, body) = apply(&app, &newbie, "pce").await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.plans.need_hcpn"))
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM plan_applications").await, 0);

    // Customers and visitors do not see a partner's catalogue.
    let prov = app.partner("prov2", "solution-provider", None);
    app.customer(prov, "cust", "resale");
    let cust = app.signed_in("cust").await;
    assert_eq!(app.call(&cust, "plans/catalogue", &[]).await.status(), 403);
    assert_eq!(
        app.call(&app.client(), "plans/catalogue", &[])
            .await
            .status(),
        401
    );

    // Bad form input is refused with the field's message and stores nothing.
    let prov = app.signed_in("prov").await;
    for (field, value, key) in [
        ("contact_phone", "call me", "error.plans.contact_phone"),
        ("contact_name", " ", "error.plans.contact_name"),
        ("statement", "", "error.plans.statement_required"),
    ] {
        let mut form = vec![
            ("plan", "pce"),
            ("contact_name", "张伟"),
            ("contact_phone", "13800000000"),
            ("statement", "加入"),
        ];
        form.retain(|(k, _)| *k != field);
        form.push((field, value));
        let (s, body) = json(app.call(&prov, "plans/apply", &form).await).await;
        assert_eq!((s, body["key"].as_str()), (400, Some(key)), "{field}");
    }
    let (s, _) = json(
        app.call(
            &prov,
            "plans/apply",
            &[
                ("plan", "no-such-plan"),
                ("contact_name", "a"),
                ("contact_phone", "13800000000"),
                ("statement", "x"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(s, 404);
    assert_eq!(app.count("SELECT COUNT(*) FROM plan_applications").await, 0);
}

async fn applications_follow_pending_then_approved_or_rejected_once(app: TestApp) {
    app.partner("prov", "solution-provider", None);
    app.operator("ops");
    let prov = app.signed_in("prov").await;
    let op = app.signed_in("ops").await;

    // Apply → pending; applying again is refused while it waits.
    assert_eq!(apply(&app, &prov, "pce").await.0, 200);
    let (s, body) = apply(&app, &prov, "pce").await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.plans.pending"))
    );
    let (_, cards) = json(app.call(&prov, "plans/catalogue", &[]).await).await;
    assert_eq!(standing(&cards, "pce"), "Pending");

    // Reject needs a reason; then the partner sees the state and the reason.
    let id = pending_id(&app, &op, "prov").await.to_string();
    let (s, body) = json(
        app.call(&op, "operator/plan-reject", &[("id", &id), ("reason", " ")])
            .await,
    )
    .await;
    assert_eq!(
        (s, body["key"].as_str()),
        (400, Some("error.plans.reason_required"))
    );
    let (s, _) = json(
        app.call(
            &op,
            "operator/plan-reject",
            &[("id", &id), ("reason", "材料不全")],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200);
    let (_, cards) = json(app.call(&prov, "plans/catalogue", &[]).await).await;
    assert_eq!(
        standing(&cards, "pce"),
        &serde_json::json!({"Rejected": {"reason": "材料不全"}})
    );
    let (_, apps) = json(app.call(&prov, "plans/applications", &[]).await).await;
    assert_eq!(apps[0]["state"], "Rejected");
    assert_eq!(apps[0]["reason"], "材料不全");

    // A decided application cannot be decided again, either way.
    let (s, body) = json(app.call(&op, "operator/plan-approve", &[("id", &id)]).await).await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.plans.already_decided"))
    );
    let (s, _) = json(
        app.call(&op, "operator/plan-reject", &[("id", &id), ("reason", "x")])
            .await,
    )
    .await;
    assert_eq!(s, 409);
    let (s, _) = json(
        app.call(&op, "operator/plan-approve", &[("id", "999999")])
            .await,
    )
    .await;
    assert_eq!(s, 404);

    // The partner was told, with the reason (once: the refused decisions told nothing).
    let (_, msgs) = json(
        app.call(
            &prov,
            "messages/list",
            &[("filter", ""), ("group", "plan"), ("page", "1")],
        )
        .await,
    )
    .await;
    assert_eq!(msgs["total"], 1, "{msgs}");
    assert_eq!(msgs["items"][0]["kind"], "plan.rejected");
    assert_eq!(msgs["items"][0]["params"]["reason"], "材料不全");

    // Resubmit after the rejection → approve → joined, with a certificate; no third application.
    let number = join(&app, &prov, &op, "prov", "pce").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM messages WHERE kind = 'plan.approved'")
            .await,
        1
    );
    assert!(number.starts_with("PC20"), "{number}");
    let (_, cards) = json(app.call(&prov, "plans/catalogue", &[]).await).await;
    assert!(
        standing(&cards, "pce")["Joined"]["until"]
            .as_i64()
            .is_some(),
        "{cards}"
    );
    let (s, body) = apply(&app, &prov, "pce").await;
    assert_eq!((s, body["key"].as_str()), (409, Some("error.plans.joined")));
    let (_, joined) = json(app.call(&prov, "plans/joined", &[]).await).await;
    assert_eq!(joined.as_array().map(Vec::len), Some(1));
    assert_eq!(joined[0]["number"], number.as_str());
    assert_eq!(joined[0]["state"], "Valid");
    let year = 365 * 86_400_000_i64;
    assert_eq!(
        joined[0]["expires_at"].as_i64().unwrap() - joined[0]["issued_at"].as_i64().unwrap(),
        year
    );
    let (_, apps) = json(app.call(&prov, "plans/applications", &[]).await).await;
    let states: Vec<&str> = apps
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["state"].as_str())
        .collect();
    assert_eq!(states, ["Approved", "Rejected"]);

    // Two operators approving the same application at once: exactly one wins, one certificate.
    assert_eq!(apply(&app, &prov, "capability").await.0, 200);
    let (_, list) = json(
        app.call(&op, "operator/plan-applications", &[("state", "pending")])
            .await,
    )
    .await;
    let id = list["items"][0]["id"].as_i64().unwrap().to_string();
    let op2 = app.signed_in("ops").await;
    let form = [("id", id.as_str())];
    let url = app.url("/api/operator/plan-approve");
    let (a, b) = common::race(
        op.post(&url).form(&form).send(),
        op2.post(&url).form(&form).send(),
    )
    .await;
    let mut statuses = [a.unwrap().status().as_u16(), b.unwrap().status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM certificates WHERE subject = 'capability'")
            .await,
        1
    );
}

async fn only_the_owner_downloads_its_certificate_as_a_pdf(app: TestApp) {
    app.cli_ok(&[
        "admin",
        "create-partner",
        "--name",
        "北京云智科技有限公司",
        "--kind",
        "distributor",
        "--login",
        "cn-dist",
        "--password",
        common::PASSWORD,
    ]);
    app.partner("other", "distributor", None);
    app.operator("ops");
    let owner = app.signed_in("cn-dist").await;
    let op = app.signed_in("ops").await;
    let number = join(
        &app,
        &owner,
        &op,
        "北京云智科技有限公司",
        "distribution-tier1",
    )
    .await;
    let path = format!("/center/certificates/{number}/pdf");

    let res = owner.get(app.url(&path)).send().await.expect("download");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.contains(&format!("certificate-{number}.pdf")),
        "{disposition}"
    );
    let pdf = res.bytes().await.expect("body");
    assert!(pdf.starts_with(b"%PDF-"));

    // A real PDF reader finds the Chinese name, the plan, the number and the verification link.
    let text = pdf_text(&pdf);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("c.pdf");
    std::fs::write(&file, &pdf).expect("write pdf");
    for needle in [
        "北京云智科技有限公司",
        "分销计划(总经销商)",
        number.as_str(),
        "华为云伙伴证书",
    ] {
        assert!(text.contains(needle), "{needle:?} not in PDF text:\n{text}");
    }
    assert!(text.contains(&format!("/verify/{number}")), "{text}");
    let info = std::process::Command::new("pdfinfo")
        .arg(&file)
        .output()
        .expect("pdfinfo");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.contains("595.28 x 841.89") || info.contains("(A4)"),
        "{info}"
    );

    // Another partner, a visitor, and a malformed number: nothing.
    let other = app.signed_in("other").await;
    assert_eq!(
        other.get(app.url(&path)).send().await.unwrap().status(),
        404
    );
    assert_eq!(
        app.client()
            .get(app.url(&path))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let bad = owner
        .get(app.url("/center/certificates/..%2F..%2Fetc/pdf"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 404);
    let unknown = owner
        .get(app.url("/center/certificates/PC2026-0000000000/pdf"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}

async fn verification_tells_valid_expired_revoked_and_unknown_apart(app: TestApp) {
    app.partner("prov", "solution-provider", None);
    app.operator("ops");
    let prov = app.signed_in("prov").await;
    let op = app.signed_in("ops").await;
    let valid = join(&app, &prov, &op, "prov", "pce").await;
    let expired = join(&app, &prov, &op, "prov", "capability").await;
    let revoked = join(&app, &prov, &op, "prov", "solution-provider").await;

    // Time passes for one certificate: its end date is now behind us.
    let pool = app.db().await;
    sqlx::query("UPDATE certificates SET issued_at = issued_at - $1, expires_at = expires_at - $1 WHERE number = $2")
        .bind(366 * 86_400_000_i64)
        .bind(&expired)
        .execute(&pool)
        .await
        .expect("age certificate");
    pool.close().await;
    let (s, _) = json(
        app.call(
            &op,
            "operator/certificate-revoke",
            &[("number", &revoked), ("reason", "违反计划规则")],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200);
    let (s, body) = json(
        app.call(
            &op,
            "operator/certificate-revoke",
            &[("number", &revoked), ("reason", "again")],
        )
        .await,
    )
    .await;
    assert_eq!(
        (s, body["key"].as_str()),
        (409, Some("error.cert.already_revoked"))
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM messages WHERE kind = 'plan.certificate_revoked'")
            .await,
        1,
        "the partner is told once"
    );

    let visitor = app.client();
    for (number, state) in [
        (&valid, "Valid"),
        (&expired, "Expired"),
        (&revoked, "Revoked"),
    ] {
        let (s, cert) = json(
            app.call(&visitor, "certificates/verify", &[("number", number)])
                .await,
        )
        .await;
        assert_eq!(s, 200);
        assert_eq!(cert["state"], state, "{number}: {cert}");
        assert_eq!(cert["partner_name"], "prov");
    }
    // Lower-case input is the same number.
    let (_, cert) = json(
        app.call(
            &visitor,
            "certificates/verify",
            &[("number", &valid.to_lowercase())],
        )
        .await,
    )
    .await;
    assert_eq!(cert["state"], "Valid");
    let (s, none) = json(
        app.call(
            &visitor,
            "certificates/verify",
            &[("number", "PC2026-0000000000")],
        )
        .await,
    )
    .await;
    assert_eq!((s, none), (200, Value::Null));

    // The public page, without signing in.
    let page = |p: String| {
        let app = &app;
        let visitor = visitor.clone();
        async move {
            let res = app.page(&visitor, &p).await;
            (res.status().as_u16(), res.text().await.unwrap_or_default())
        }
    };
    let (s, html) = page(format!("/verify/{valid}")).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("data-state=\"valid\"") && html.contains("有效"),
        "{html}"
    );
    let (_, html) = page(format!("/verify/{expired}")).await;
    assert!(html.contains("data-state=\"expired\"") && html.contains("已过期"));
    let (_, html) = page(format!("/verify/{revoked}")).await;
    assert!(html.contains("data-state=\"revoked\"") && html.contains("违反计划规则"));
    let (s, html) = page("/verify/PC2026-0000000000".into()).await;
    assert_eq!(s, 404);
    assert!(html.contains("未找到该证书编号"), "{html}");
    let (s, html) = page("/verify/%3Cscript%3E".into()).await;
    assert_eq!(s, 404);
    assert!(!html.contains("<script>alert"), "input is never echoed raw");

    // The PDF says what `/verify` says: a revoked certificate is not printed (409 with when
    // and why), an expired one is printed with a visible 已过期 / Expired mark.
    let download = |number: String| {
        let (app, prov) = (&app, prov.clone());
        async move {
            prov.get(app.url(&format!("/center/certificates/{number}/pdf")))
                .send()
                .await
                .expect("download")
        }
    };
    let res = download(valid.clone()).await;
    assert_eq!(res.status(), 200);
    let text = pdf_text(&res.bytes().await.unwrap());
    assert!(
        text.contains(valid.as_str()) && !text.contains("已过期"),
        "{text}"
    );
    let res = download(expired.clone()).await;
    assert_eq!(res.status(), 200);
    let text = pdf_text(&res.bytes().await.unwrap());
    assert!(text.contains(expired.as_str()), "{text}");
    assert!(
        text.contains("已过期") && text.contains("Expired"),
        "{text}"
    );
    let res = download(revoked.clone()).await;
    assert_eq!(res.status(), 409);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["key"], "error.cert.revoked");
    assert_eq!(body["reason"], "违反计划规则");
    assert!(
        body["message"].as_str().unwrap().contains("已撤销"),
        "{body}"
    );
    let html = app
        .page(&prov, "/center/plans/joined")
        .await
        .text()
        .await
        .unwrap();
    let row = html
        .split("data-testid=\"revoked-solution-provider\"")
        .nth(1)
        .expect("the revoked plan shows why instead of a download link");
    assert!(row[..400.min(row.len())].contains("违反计划规则"), "{row}");
    assert_eq!(
        html.matches("/pdf\"").count(),
        2,
        "download links for the valid and the expired certificate only"
    );

    // The joined list no longer counts the expired and revoked plans as joined.
    let (_, cards) = json(app.call(&prov, "plans/catalogue", &[]).await).await;
    assert!(standing(&cards, "pce")["Joined"].is_object());
    assert_eq!(standing(&cards, "solution-provider"), "Open");
}

async fn review_and_revocation_are_for_operators_only_and_audited(app: TestApp) {
    app.partner("prov", "solution-provider", None);
    app.operator("ops");
    let prov = app.signed_in("prov").await;
    assert_eq!(apply(&app, &prov, "pce").await.0, 200);
    let op = app.signed_in("ops").await;
    let id = pending_id(&app, &op, "prov").await.to_string();

    for (endpoint, form) in [
        ("operator/plan-applications", vec![("state", "pending")]),
        ("operator/plan-approve", vec![("id", id.as_str())]),
        (
            "operator/plan-reject",
            vec![("id", id.as_str()), ("reason", "x")],
        ),
        (
            "operator/certificate-revoke",
            vec![("number", "PC2026-0000000000"), ("reason", "x")],
        ),
    ] {
        assert_eq!(
            app.call(&prov, endpoint, &form).await.status(),
            403,
            "{endpoint}"
        );
        assert_eq!(
            app.call(&app.client(), endpoint, &form).await.status(),
            401,
            "{endpoint}"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM plan_applications WHERE state = 'pending'")
            .await,
        1
    );

    // Cross-site form posts are refused before they reach the handler.
    let res = reqwest::Client::new()
        .post(app.url("/api/operator/plan-approve"))
        .header("origin", "https://evil.example")
        .form(&[("id", id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    let (s, body) = json(
        app.call(&op, "operator/plan-applications", &[("state", "bogus")])
            .await,
    )
    .await;
    assert_eq!((s, body["key"].as_str()), (400, Some("error.plans.state")));
    assert_eq!(
        app.call(&op, "operator/plan-approve", &[("id", &id)])
            .await
            .status(),
        200
    );
    for action in ["plans.apply", "plans.approve"] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
            ))
            .await,
            1,
            "{action}"
        );
    }

    // The operator's review page renders the decided application.
    let res = app.page(&op, "/operator/plans?state=approved").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("合作伙伴共拓计划") && html.contains("prov"),
        "{html}"
    );
}

async fn without_a_font_the_download_is_unavailable_and_the_public_url_is_printed(
    mut app: TestApp,
) {
    app.partner("prov", "solution-provider", None);
    app.operator("ops");
    let prov = app.signed_in("prov").await;
    let op = app.signed_in("ops").await;
    let number = join(&app, &prov, &op, "prov", "pce").await;
    let path = format!("/center/certificates/{number}/pdf");

    // Restart with another public address: the certificate links there.
    app.kill().await;
    app.start(&["--public-url", "https://partners.example.com/"])
        .await;
    let prov = app.signed_in("prov").await;
    let pdf = prov
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("c.pdf");
    std::fs::write(&file, &pdf).expect("write pdf");
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("https://partners.example.com/verify/{number}")),
        "{text}"
    );

    // Restart without a usable font: the app serves, the download says why it cannot.
    app.kill().await;
    app.start(&["--cert-font", "/nonexistent/font.ttc"]).await;
    let prov = app.signed_in("prov").await;
    let (s, body) = json(prov.get(app.url(&path)).send().await.unwrap()).await;
    assert_eq!(
        (s, body["key"].as_str()),
        (503, Some("error.cert.font")),
        "{body}"
    );
    let (s, _) = json(app.call(&prov, "plans/joined", &[]).await).await;
    assert_eq!(s, 200);
}

/// The text a real PDF reader (poppler's pdftotext) finds in a PDF.
fn pdf_text(pdf: &[u8]) -> String {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("c.pdf");
    std::fs::write(&file, pdf).expect("write pdf");
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}
