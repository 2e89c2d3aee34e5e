//! Delivering the outbox: email over implicit TLS to a local SMTP sink whose certificate the
//! server trusts through `--smtp-ca-file` (credentials only over TLS, a plain-text and an HTML
//! part), SMS through a local stand-in for Huawei Cloud's SMS service that checks the WSSE
//! signature and the form, failures retried with a growing pause and then `failed` — on both
//! databases.

use crate::common;
use crate::orders::world;

use common::sms::{NOTICE_TEMPLATE, SmsSink, TEMPLATE};
use common::smtp::{SmtpSink, test_ca};
use common::{Backend, TestApp, json, wait_for};
use std::time::Duration;

/// A partner-paid order: what queues one email and one SMS to the provider.
async fn partner_paid_order(app: &TestApp) -> String {
    let cust = app.signed_in("cust-resale").await;
    order_by(app, &cust).await
}

/// A partner-paid order placed by a signed-in customer.
async fn order_by(app: &TestApp, cust: &reqwest::Client) -> String {
    let (s, o) = json(
        app.call(
            cust,
            "orders/create",
            &[
                ("product", "gaussdb-basic"),
                ("quantity", "3"),
                ("payment", "partner"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{o}");
    o["number"].as_str().unwrap().to_string()
}

async fn outbox(app: &TestApp, channel: &str) -> (String, i64, Option<String>) {
    let pool = app.db().await;
    // The order's email and SMS (not the notices of the set-up's funding).
    let row = sqlx::query_as(
        "SELECT state, attempts, last_error FROM outbox WHERE channel = $1 \
         AND (channel = 'sms' OR subject LIKE '%代付%' OR subject LIKE '%pay order%')",
    )
    .bind(channel)
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;
    row
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_goes_over_tls_and_sms_through_the_signed_gateway() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(mut app) = TestApp::database(backend).await else {
            continue;
        };
        let smtp = SmtpSink::start_tls().await;
        let sms = SmsSink::start().await;
        let url = smtp.url_with(Some("mailer:s3cret"));
        let ca = test_ca();
        let mut args = vec!["--smtp-url", &url, "--smtp-ca-file", &ca];
        let sms_args = sms.args();
        args.extend(sms_args.iter().map(String::as_str));
        app.start(&args).await;
        world(&app).await;
        // The partner switched to English while signed in: its notices are written in English.
        let prov = app.signed_in("prov").await;
        prov.get(app.url("/lang?to=en&next=/center"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            app.count("SELECT COUNT(*) FROM users WHERE login = 'prov' AND lang = 'en'")
                .await,
            1
        );
        let number = partner_paid_order(&app).await;

        let mail = smtp.wait_for(|m| m.text().contains(&number)).await;
        assert!(
            mail.text()
                .contains("Your customer cust-resale asks you to pay this order"),
            "{}",
            mail.text()
        );
        assert!(mail.tls, "the mail came over TLS");
        assert_eq!(mail.auth.as_deref(), Some("mailer:s3cret"));
        assert_eq!(mail.to, ["billing@prov.example.com"]);
        let html = mail.html().expect("an HTML part");
        assert!(html.contains(&number) && html.contains("<html"), "{html}");

        let requests = sms.wait_for(1).await;
        let r = &requests[0];
        assert_eq!(r.verified, Ok(()), "{r:?}");
        assert_eq!(r.form["to"], "+8613800138000");
        let paras: Vec<String> = serde_json::from_str(&r.form["templateParas"]).unwrap();
        assert_eq!(paras, ["cust-resale", number.as_str(), "3600.00"]);
        wait_for(
            "both deliveries recorded",
            Duration::from_secs(10),
            || async {
                outbox(&app, "sms").await.0 == "sent" && outbox(&app, "email").await.0 == "sent"
            },
        )
        .await;
        assert_eq!(outbox(&app, "sms").await, ("sent".into(), 1, None));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_deliveries_are_retried_with_a_pause_then_failed() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(mut app) = TestApp::database(backend).await else {
            continue;
        };
        let sms = SmsSink::start().await;
        sms.set_failing(true);
        // An SMTP server that is not there.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let dead = format!("smtp://{}", closed.local_addr().unwrap());
        drop(closed);
        let mut args = vec!["--smtp-url", dead.as_str(), "--outbox-retry-ms", "200"];
        let sms_args = sms.args();
        args.extend(sms_args.iter().map(String::as_str));
        app.start(&args).await;
        world(&app).await;
        let started = std::time::Instant::now();
        partner_paid_order(&app).await;
        wait_for(
            "both deliveries given up",
            Duration::from_secs(60),
            || async {
                outbox(&app, "sms").await.0 == "failed" && outbox(&app, "email").await.0 == "failed"
            },
        )
        .await;
        // 5 attempts with pauses of 200, 400, 800 and 1600 ms between them.
        assert!(
            started.elapsed() >= Duration::from_millis(3000),
            "{:?}",
            started.elapsed()
        );
        let (_, attempts, error) = outbox(&app, "sms").await;
        assert_eq!(attempts, 5);
        assert!(error.unwrap().contains("E000510"));
        assert_eq!(sms.requests().len(), 5);
        assert!(sms.requests().iter().all(|r| r.verified.is_ok()));
        let (_, attempts, error) = outbox(&app, "email").await;
        assert_eq!(attempts, 5);
        assert!(error.is_some());
        // The order the notices were about stands.
        assert_eq!(
            app.count("SELECT COUNT(*) FROM orders WHERE state = 'awaiting_partner'")
                .await,
            1
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_never_go_in_the_clear_to_another_machine() {
    let Some(app) = TestApp::database(Backend::Sqlite).await else {
        return;
    };
    for url in [
        "smtp://user:pass@192.0.2.10:25",
        "smtp://user:pass@mail.example.com?tls=opportunistic",
    ] {
        let (code, _, err) = app.cli(&["serve", "--addr", "127.0.0.1:0", "--smtp-url", url]);
        assert_ne!(code, 0, "{url}");
        assert!(
            err.contains("refusing to send SMTP credentials"),
            "{url}: {err}"
        );
    }
    let (code, _, err) = app.cli(&[
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--sms-url",
        "ftp://sms.example.com",
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("SMS URL"), "{err}");
}

/// A partner turns email off for order notices: the next order it is asked to pay queues an SMS
/// and no email; turned back on, both. Funds notices keep their own choice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn turning_a_channel_off_for_a_category_queues_nothing_on_it() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(mut app) = TestApp::database(backend).await else {
            continue;
        };
        app.start(&["--public-url", "https://partners.example.com"])
            .await;
        let w = world(&app).await;
        let prov = app.signed_in("prov").await;
        // Every notice to a partner also goes to its contact address: the set-up's funding did.
        let funds_mail = || async {
            app.count(
                "SELECT COUNT(*) FROM outbox WHERE channel = 'email' \
                 AND recipient = 'billing@prov.example.com' AND subject LIKE '%到账%' \
                 AND body LIKE '%https://partners.example.com/center/sales/funds%'",
            )
            .await
        };
        assert_eq!(
            funds_mail().await,
            0,
            "funded from the command line: no link to give"
        );
        // Funded in the console: the email carries the link to act on it, on the public address.
        app.operator("ops");
        let ops = app.signed_in("ops").await;
        let p = w.provider.to_string();
        let r = app
            .call(
                &ops,
                "operator/fund",
                &[("partner", &p), ("amount", "5"), ("trans_id", "f-1")],
            )
            .await;
        assert!(
            r.status().is_success() || r.status().is_redirection(),
            "{}",
            r.status()
        );
        assert_eq!(funds_mail().await, 1);
        let (s, _) = json(
            app.call(&prov, "messages/prefs-set", &[("category", "funds")])
                .await,
        )
        .await;
        assert_eq!(s, 200);
        app.fund(w.provider, "1");
        assert_eq!(funds_mail().await, 1, "email turned off for funds notices");
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM messages m JOIN users u ON u.id = m.user_id \
                 WHERE u.login = 'prov' AND m.kind = 'funds.allocated'"
            )
            .await,
            3,
            "the message center has them all"
        );
        let (s, prefs) = json(app.call(&prov, "messages/prefs", &[]).await).await;
        assert_eq!(s, 200, "{prefs}");
        assert_eq!(
            prefs.as_array().map(Vec::len),
            // HCPN onboarding (#17) added the ninth, member roles (#17) the tenth.
            Some(10),
            "every category: {prefs}"
        );
        let funds = prefs
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["category"] == "Funds");
        assert_eq!(
            funds.map(|f| f["email"].clone()),
            Some(false.into()),
            "{prefs}"
        );
        let order = prefs
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["category"] == "Order")
            .unwrap()
            .clone();
        assert_eq!(
            (order["email"].clone(), order["sms"].clone()),
            (true.into(), true.into())
        );
        let (s, body) = json(
            app.call(
                &prov,
                "messages/prefs-set",
                &[("category", "nope"), ("sms", "on")],
            )
            .await,
        )
        .await;
        assert_eq!(
            (s, body["key"].as_str()),
            (400, Some("error.messages.group"))
        );
        // Email off for orders (the unchecked box sends nothing), SMS on.
        let (s, prefs) = json(
            app.call(
                &prov,
                "messages/prefs-set",
                &[("category", "order"), ("sms", "on")],
            )
            .await,
        )
        .await;
        assert_eq!(s, 200, "{prefs}");
        let queued = |channel: &'static str| {
            let app = &app;
            async move {
                app.count(&format!(
                    "SELECT COUNT(*) FROM outbox WHERE channel = '{channel}' \
                     AND (channel = 'sms' OR subject LIKE '%代付%')"
                ))
                .await
            }
        };
        partner_paid_order(&app).await;
        assert_eq!((queued("email").await, queued("sms").await), (0, 1));
        // (Customers choose too, for their own address: the test below.)
        let (s, _) = json(
            app.call(
                &prov,
                "messages/prefs-set",
                &[("category", "order"), ("email", "on"), ("sms", "on")],
            )
            .await,
        )
        .await;
        assert_eq!(s, 200);
        partner_paid_order(&app).await;
        assert_eq!((queued("email").await, queued("sms").await), (1, 2));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'messages.prefs'")
                .await,
            3
        );
        app.assert_audit_sound().await;
    }
}

/// Everyone who receives notices chooses its channels and is reached at its own address and
/// number, in its language: a customer hears of its order by email and SMS; turned off, by SMS
/// only. Every category may go by SMS, by the template of its kind: orders unless turned off,
/// funds when turned on. A notice whose template id is not configured fails at once (retrying
/// cannot help) and says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_reader_is_reached_at_its_own_address_as_it_chose() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(mut app) = TestApp::database(backend).await else {
            continue;
        };
        let smtp = SmtpSink::start().await;
        let sms = SmsSink::start().await;
        let url = smtp.url();
        let mut args = vec!["--smtp-url", url.as_str()];
        let sms_args = sms.args_with(&format!(
            "order.partner_pay={TEMPLATE},msg.funds.allocated={NOTICE_TEMPLATE}"
        ));
        args.extend(sms_args.iter().map(String::as_str));
        app.start(&args).await;
        let w = world(&app).await;
        let cust = app.signed_in("cust-resale").await;
        let (s, e) = json(
            app.call(
                &cust,
                "account/contact",
                &[
                    ("email", "buyer@cust.example.com"),
                    ("phone", "13900139000"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(s, 200, "{e}");
        cust.get(app.url("/lang?to=en&next=/customer"))
            .send()
            .await
            .unwrap();
        let number = order_by(&app, &cust).await;
        let mail = smtp
            .wait_for(|m| m.to.contains(&"buyer@cust.example.com".to_string()))
            .await;
        assert!(
            mail.text()
                .contains("Amount 3600.00 yuan. Until your partner pays"),
            "in the customer's language: {}",
            mail.text()
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM outbox WHERE recipient = 'buyer@cust.example.com' \
                 AND subject LIKE '%Partner payment requested: order {number}'"
            ))
            .await,
            1
        );
        let to_customer = |channel: &'static str, recipient: &'static str| {
            let app = &app;
            async move {
                app.count(&format!(
                    "SELECT COUNT(*) FROM outbox WHERE channel = '{channel}' AND recipient = '{recipient}'"
                ))
                .await
            }
        };
        assert_eq!(
            to_customer("sms", "13900139000").await,
            1,
            "orders go by SMS"
        );
        // No template id for the customer's notice: failed at the first attempt, with the reason.
        wait_for(
            "the hopeless SMS given up",
            Duration::from_secs(20),
            || async {
                app.count(
                    "SELECT COUNT(*) FROM outbox WHERE template = 'msg.order.submitted' \
                 AND state = 'failed' AND attempts = 1 \
                 AND last_error LIKE '%no SMS template id for msg.order.submitted%'",
                )
                .await
                    == 1
            },
        )
        .await;
        // Email off for orders: the next order reaches the customer by SMS only.
        let (s, prefs) = json(
            app.call(
                &cust,
                "messages/prefs-set",
                &[("category", "order"), ("sms", "on")],
            )
            .await,
        )
        .await;
        assert_eq!(s, 200, "{prefs}");
        order_by(&app, &cust).await;
        assert_eq!(
            (
                to_customer("email", "buyer@cust.example.com").await,
                to_customer("sms", "13900139000").await
            ),
            (1, 2)
        );
        // Funds notices go by SMS only when the partner turns it on.
        let funds_sms = || async {
            app.count("SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND template = 'msg.funds.allocated'")
                .await
        };
        app.fund(w.provider, "1");
        assert_eq!(funds_sms().await, 0, "off by default");
        let prov = app.signed_in("prov").await;
        let (s, prefs) = json(
            app.call(
                &prov,
                "messages/prefs-set",
                &[("category", "funds"), ("email", "on"), ("sms", "on")],
            )
            .await,
        )
        .await;
        assert_eq!(s, 200, "{prefs}");
        app.fund(w.provider, "2");
        assert_eq!(funds_sms().await, 1);
        let requests = sms
            .wait_for_match(|r| {
                r.form.get("templateId").map(String::as_str) == Some(NOTICE_TEMPLATE)
            })
            .await;
        assert_eq!(requests.verified, Ok(()), "{requests:?}");
        assert_eq!(requests.form["to"], "+8613800138000");
        let paras: Vec<String> = serde_json::from_str(&requests.form["templateParas"]).unwrap();
        assert_eq!(
            paras,
            ["账户到账 2.00 元"],
            "the notice's title, in the partner's language"
        );
        // The operator sees none of this: operators choose nothing.
        app.operator("ops");
        let ops = app.signed_in("ops").await;
        let (s, _) = json(app.call(&ops, "messages/prefs", &[]).await).await;
        assert_eq!(s, 403);
        app.assert_audit_sound().await;
    }
}
