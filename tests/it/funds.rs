//! The funds ledger: operator funding, 拨款/回收 between distributors, resellers, partners and
//! customers, idempotency, the rules and their error codes — on both databases.

use crate::common;

use common::{TestApp, json};
use serde_json::Value;

on_both_backends!(
    operator_funding_is_exact_idempotent_and_refuses_bad_amounts,
    a_distributor_allocates_to_and_reclaims_from_its_reseller,
    allocation_is_capped_by_the_available_balance,
    reclaim_is_capped_by_the_resellers_balance,
    nobody_moves_money_for_someone_elses_reseller_or_customer,
    consulting_customers_are_refused_with_cbc_5021,
    a_retried_transaction_id_moves_money_once,
    adjust_records_filter_and_export_as_csv,
    an_export_holds_every_row_in_csv_and_xlsx_with_formulas_defused,
    a_100k_row_export_streams_in_bounded_memory,
    a_resale_customer_sees_its_balance_and_the_no_top_up_notice,
    the_ledger_is_append_only,
    pages_show_balances_and_the_confirmation_step,
    the_api_pages_adjust_records_in_sql_past_a_thousand,
    the_low_balance_alert_tells_once_per_crossing,
);

struct World {
    dist: i64,
    reseller: i64,
    other_reseller: i64,
    provider: i64,
    resale: i64,
    consulting: i64,
}

fn world(app: &TestApp) -> World {
    let dist = app.partner("dist-a", "distributor", None);
    let reseller = app.partner("res-a", "reseller", Some(dist));
    let dist_b = app.partner("dist-b", "distributor", None);
    let other_reseller = app.partner("res-b", "reseller", Some(dist_b));
    let provider = app.partner("prov-a", "solution-provider", None);
    let resale = app.customer(provider, "cust-resale", "resale");
    let consulting = app.customer(provider, "cust-consult", "consulting");
    World {
        dist,
        reseller,
        other_reseller,
        provider,
        resale,
        consulting,
    }
}

async fn operator_funding_is_exact_idempotent_and_refuses_bad_amounts(app: TestApp) {
    let w = world(&app);
    let p = w.dist.to_string();
    app.fund(w.dist, "0.1");
    app.fund(w.dist, "0.2");
    assert_eq!(
        app.balance_fen("partner_id", w.dist).await,
        30,
        "0.1 + 0.2 is exactly 0.30"
    );

    let first = app.cli_ok(&[
        "admin",
        "fund",
        "--partner",
        &p,
        "--amount",
        "100.50",
        "--trans-id",
        "wire-001",
    ]);
    let again = app.cli_ok(&[
        "admin",
        "fund",
        "--partner",
        &p,
        "--amount",
        "100.50",
        "--trans-id",
        "wire-001",
    ]);
    assert_eq!(first["replayed"], false);
    assert_eq!(again["replayed"], true);
    assert_eq!(again["trans_id"], "wire-001");
    assert_eq!(app.balance_fen("partner_id", w.dist).await, 10_080);
    let err = app
        .cli_refused(&[
            "admin",
            "fund",
            "--partner",
            &p,
            "--amount",
            "99",
            "--trans-id",
            "wire-001",
        ])
        .await;
    assert!(err.contains("different"), "{err}");

    for (bad, why) in [
        ("12.345", "2 decimal"),
        ("1e2", "plain number"),
        ("-5", "greater than 0"),
        ("0", "greater than 0"),
        ("99999999999999999999", "out of range"),
        ("abc", "plain number"),
    ] {
        let err = app
            .cli_refused(&["admin", "fund", "--partner", &p, &format!("--amount={bad}")])
            .await;
        assert!(err.contains(why), "{bad}: {err}");
    }
    let err = app
        .cli_refused(&["admin", "fund", "--partner", "987654", "--amount", "1"])
        .await;
    assert!(err.contains("partner does not exist"), "{err}");
    assert_eq!(
        app.balance_fen("partner_id", w.dist).await,
        10_080,
        "refused commands moved nothing"
    );
    app.assert_ledger_sound().await;
}

async fn a_distributor_allocates_to_and_reclaims_from_its_reseller(app: TestApp) {
    let w = world(&app);
    app.fund(w.dist, "1000");
    let c = app.signed_in("dist-a").await;

    let res = app
        .call(
            &c,
            "funds/preview",
            &[
                ("target", "Reseller"),
                ("id", &w.reseller.to_string()),
                ("direction", "Allocate"),
                ("amount", "250.25"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let p: Value = res.json().await.unwrap();
    assert_eq!(p["my_before"], "1000.00");
    assert_eq!(p["my_after"], "749.75");
    assert_eq!(p["their_after"], "250.25");
    assert_eq!(
        app.balance_fen("partner_id", w.dist).await,
        100_000,
        "a preview moves nothing"
    );

    let res = app
        .adjust(
            &c,
            "Reseller",
            w.reseller,
            "Allocate",
            "250.25",
            p["trans_id"].as_str().unwrap(),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["location"].to_str().unwrap(),
        format!(
            "/center/sales/resellers?done={}",
            p["trans_id"].as_str().unwrap()
        )
    );
    assert_eq!(app.balance_fen("partner_id", w.dist).await, 74_975);
    assert_eq!(app.balance_fen("partner_id", w.reseller).await, 25_025);

    let res = app
        .adjust(&c, "Reseller", w.reseller, "Reclaim", "100", "reclaim-1")
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.balance_fen("partner_id", w.reseller).await, 15_025);
    assert_eq!(app.balance_fen("partner_id", w.dist).await, 84_975);

    let res = app
        .call(
            &c,
            "funds/records",
            &[
                ("operation", ""),
                ("trans_id", ""),
                ("from", ""),
                ("to", ""),
            ],
        )
        .await;
    let page: Value = res.json().await.unwrap();
    let ops: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["operation"].as_str().unwrap())
        .collect();
    assert_eq!(ops, ["Retrieve", "Adjust", "Fund"]);
    assert_eq!(page["items"][0]["signed_fen"], 10_000);
    assert_eq!(page["items"][1]["signed_fen"], -25_025);
    assert_eq!(page["items"][1]["counterparty"], "res-a");
    assert_eq!(page["items"][1]["operator"], "dist-a");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'login.success'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'funds.BERETRIEVE' AND actor = 'dist-a' AND ip = '127.0.0.1' AND detail LIKE 'amount=100.00 trans_id=reclaim-1'").await,
        1,
        "the audit log says who moved what, from where"
    );
    app.assert_ledger_sound().await;
}

async fn allocation_is_capped_by_the_available_balance(app: TestApp) {
    let w = world(&app);
    app.fund(w.dist, "100");
    app.operator("ops");
    let op = app.signed_in("ops").await;
    let res = app
        .call(
            &op,
            "operator/designate",
            &[("partner", &w.dist.to_string()), ("amount", "30")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .call(
            &op,
            "operator/designate",
            &[("partner", &w.dist.to_string()), ("amount", "100.01")],
        )
        .await;
    assert_eq!(json(res).await.1["key"], "error.funds.designated_exceeds");

    let c = app.signed_in("dist-a").await;
    let (status, body) = json(
        app.adjust(&c, "Reseller", w.reseller, "Allocate", "70.01", "t-over")
            .await,
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(body["key"], "error.funds.insufficient");
    assert_eq!(body["code"], "CBC.0154");
    assert_eq!(app.balance_fen("partner_id", w.dist).await, 10_000);
    let (status, _) = json(
        app.adjust(&c, "Reseller", w.reseller, "Allocate", "70", "t-ok")
            .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        app.balance_fen("partner_id", w.dist).await,
        3_000,
        "the designated 30.00 stays"
    );
    app.assert_ledger_sound().await;
}

async fn reclaim_is_capped_by_the_resellers_balance(app: TestApp) {
    let w = world(&app);
    app.fund(w.dist, "50");
    let c = app.signed_in("dist-a").await;
    assert_eq!(
        app.adjust(&c, "Reseller", w.reseller, "Allocate", "20", "a1")
            .await
            .status(),
        200
    );
    let (status, body) = json(
        app.adjust(&c, "Reseller", w.reseller, "Reclaim", "20.01", "r1")
            .await,
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(body["key"], "error.funds.reclaim_exceeds");
    assert_eq!(
        app.adjust(&c, "Reseller", w.reseller, "Reclaim", "20", "r2")
            .await
            .status(),
        200
    );
    assert_eq!(app.balance_fen("partner_id", w.reseller).await, 0);
    let (status, _) = json(
        app.adjust(&c, "Reseller", w.reseller, "Reclaim", "0.01", "r3")
            .await,
    )
    .await;
    assert_eq!(status, 409);
    for bad in ["0", "-1", "1.234", "1e2", ""] {
        let (status, body) = json(
            app.adjust(&c, "Reseller", w.reseller, "Allocate", bad, "bad")
                .await,
        )
        .await;
        assert_eq!(status, 400, "{bad}");
        assert!(
            body["key"].as_str().unwrap().starts_with("error.amount."),
            "{bad}: {body}"
        );
    }
    app.assert_ledger_sound().await;
}

async fn nobody_moves_money_for_someone_elses_reseller_or_customer(app: TestApp) {
    let w = world(&app);
    app.fund(w.dist, "100");
    app.fund(w.provider, "100");
    let dist = app.signed_in("dist-a").await;
    let (status, body) = json(
        app.adjust(&dist, "Reseller", w.other_reseller, "Allocate", "1", "x1")
            .await,
    )
    .await;
    assert_eq!(
        (status, body["key"].as_str().unwrap()),
        (409, "error.funds.not_your_reseller")
    );
    let (status, body) = json(
        app.adjust(&dist, "Customer", w.resale, "Allocate", "1", "x2")
            .await,
    )
    .await;
    assert_eq!(
        (status, body["key"].as_str().unwrap()),
        (409, "error.funds.not_your_customer")
    );
    let provider = app.signed_in("prov-a").await;
    let (status, body) = json(
        app.adjust(&provider, "Reseller", w.reseller, "Allocate", "1", "x3")
            .await,
    )
    .await;
    assert_eq!(
        (status, body["key"].as_str().unwrap()),
        (409, "error.funds.distributor_only")
    );
    let res = app
        .call(
            &provider,
            "funds/resellers",
            &[("login", ""), ("from", ""), ("to", "")],
        )
        .await;
    assert_eq!(res.status(), 409);
    // Customers and signed-out visitors reach none of it.
    let customer = app.signed_in("cust-resale").await;
    assert_eq!(
        app.adjust(&customer, "Customer", w.resale, "Reclaim", "1", "x4")
            .await
            .status(),
        403
    );
    let anon = app.client();
    assert_eq!(
        app.adjust(&anon, "Reseller", w.reseller, "Allocate", "1", "x5")
            .await
            .status(),
        401
    );
    assert_eq!(
        app.call(
            &provider,
            "operator/fund",
            &[
                ("partner", &w.provider.to_string()),
                ("amount", "5"),
                ("trans_id", "")
            ]
        )
        .await
        .status(),
        403
    );
    assert_eq!(app.balance_fen("partner_id", w.dist).await, 10_000);
    assert_eq!(app.balance_fen("partner_id", w.provider).await, 10_000);
    assert_eq!(app.count("SELECT COUNT(*) FROM fund_transfers").await, 2);
}

async fn consulting_customers_are_refused_with_cbc_5021(app: TestApp) {
    let w = world(&app);
    app.fund(w.provider, "100");
    let c = app.signed_in("prov-a").await;
    for direction in ["Allocate", "Reclaim"] {
        let (status, body) = json(
            app.adjust(
                &c,
                "Customer",
                w.consulting,
                direction,
                "1",
                &format!("c-{direction}"),
            )
            .await,
        )
        .await;
        assert_eq!(status, 409);
        assert_eq!(body["code"], "CBC.5021");
    }
    assert_eq!(
        app.adjust(&c, "Customer", w.resale, "Allocate", "40", "ok-1")
            .await
            .status(),
        200
    );
    assert_eq!(app.balance_fen("customer_id", w.resale).await, 4_000);
    assert_eq!(app.balance_fen("customer_id", w.consulting).await, 0);
    let html = app
        .page(
            &c,
            &format!("/center/sales/customers/{}/allocate?amount=1", w.consulting),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("顾问销售模式的客户不支持拨款和回收") && html.contains("CBC.5021"));
    app.assert_ledger_sound().await;
}

async fn a_retried_transaction_id_moves_money_once(app: TestApp) {
    let w = world(&app);
    app.fund(w.provider, "100");
    let c = app.signed_in("prov-a").await;
    for _ in 0..3 {
        assert_eq!(
            app.adjust(&c, "Customer", w.resale, "Allocate", "10", "same-key")
                .await
                .status(),
            200
        );
    }
    assert_eq!(app.balance_fen("customer_id", w.resale).await, 1_000);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM fund_transfers WHERE trans_id = 'same-key'")
            .await,
        1
    );
    let (status, body) = json(
        app.adjust(&c, "Customer", w.resale, "Allocate", "11", "same-key")
            .await,
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(body["code"], "CBC.0153");
    let (status, body) = json(
        app.adjust(&c, "Customer", w.resale, "Allocate", "1", "bad key!")
            .await,
    )
    .await;
    assert_eq!(
        (status, body["key"].as_str().unwrap()),
        (400, "error.funds.trans_id")
    );
    assert_eq!(app.balance_fen("customer_id", w.resale).await, 1_000);
    app.assert_ledger_sound().await;
}

async fn adjust_records_filter_and_export_as_csv(app: TestApp) {
    let w = world(&app);
    app.fund(w.provider, "100");
    let c = app.signed_in("prov-a").await;
    app.adjust(&c, "Customer", w.resale, "Allocate", "30", "rec-a")
        .await;
    app.adjust(&c, "Customer", w.resale, "Reclaim", "5.5", "rec-b")
        .await;
    let res = app
        .call(
            &c,
            "funds/records",
            &[
                ("operation", "BERETRIEVE"),
                ("trans_id", ""),
                ("from", ""),
                ("to", ""),
            ],
        )
        .await;
    let page: Value = res.json().await.unwrap();
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["trans_id"], "rec-b");
    let res = app
        .call(
            &c,
            "funds/records",
            &[
                ("operation", ""),
                ("trans_id", "rec-a"),
                ("from", ""),
                ("to", ""),
            ],
        )
        .await;
    assert_eq!(res.json::<Value>().await.unwrap()["total"], 1);
    let res = app
        .call(
            &c,
            "funds/records",
            &[
                ("operation", ""),
                ("trans_id", ""),
                ("from", "2000-01-01"),
                ("to", "2000-12-31"),
            ],
        )
        .await;
    assert_eq!(res.json::<Value>().await.unwrap()["total"], 0);
    let res = app
        .call(
            &c,
            "funds/records",
            &[
                ("operation", "STEAL"),
                ("trans_id", ""),
                ("from", ""),
                ("to", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 400);

    let res = app
        .page(
            &c,
            "/center/sales/funds/records.csv?operation=&trans_id=&from=&to=",
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "\u{feff}operation_type,amount,counterparty,operator,time,trans_id"
    );
    assert_eq!(lines.len(), 4);
    assert!(
        lines[1].starts_with("BERETRIEVE,5.50,cust-resale,prov-a,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("BEADJUST,-30.00,cust-resale,prov-a,"),
        "{}",
        lines[2]
    );
    assert!(lines[3].starts_with("FUND,100.00,"), "{}", lines[3]);
    let anon = app.client();
    assert_eq!(
        app.page(&anon, "/center/sales/funds/records.csv")
            .await
            .status(),
        401
    );
}

/// Copies the transfer `trans_id` `n` times (as `<prefix>-1`…`<prefix>-n`), so a partner has more records
/// than a page or the old 10 000-row export window holds.
async fn copy_transfer(app: &TestApp, trans_id: &str, prefix: &str, n: u32) {
    let pool = app.db().await;
    sqlx::query(&format!(
        "INSERT INTO fund_transfers (scope, trans_id, request_hash, operation, from_account, to_account, \
            amount_fen, actor_user_id, actor, ip, created_at) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) \
         SELECT t.scope, '{prefix}-' || CAST(n.i AS TEXT), t.request_hash, t.operation, t.from_account, \
            t.to_account, t.amount_fen, t.actor_user_id, t.actor, t.ip, t.created_at \
         FROM fund_transfers t, n WHERE t.trans_id = $1"
    ))
    .bind(trans_id)
    .execute(&pool)
    .await
    .expect("copy transfers");
    pool.close().await;
}

async fn an_export_holds_every_row_in_csv_and_xlsx_with_formulas_defused(app: TestApp) {
    let w = world(&app);
    app.fund(w.provider, "100");
    let c = app.signed_in("prov-a").await;
    app.adjust(&c, "Customer", w.resale, "Allocate", "1", "seed")
        .await;
    // A name a spreadsheet would run as a formula.
    app.exec(&format!(
        "UPDATE customers SET name = '=HYPERLINK(\"http://x\")' WHERE id = {}",
        w.resale
    ))
    .await;
    // 12 000 more records than before: more than the old export window of 10 000, in batches.
    copy_transfer(&app, "seed", "bulk", 12_000).await;
    let csv_path = "/center/sales/funds/records.csv?operation=BEADJUST&trans_id=&from=&to=";
    let res = app.page(&c, csv_path).await;
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    let rows = csv.lines().skip(1).collect::<Vec<_>>();
    assert_eq!(rows.len(), 12_001, "every matching row is exported");
    assert!(rows.iter().any(|l| l.ends_with(",seed")));
    assert!(rows.iter().any(|l| l.ends_with(",bulk-12000")));
    assert!(
        rows[0].contains(",\"'=HYPERLINK(\"\"http://x\"\")\","),
        "{}",
        rows[0]
    );
    let mut ids: Vec<&str> = rows.iter().map(|l| l.rsplit(',').next().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 12_001, "no row twice");

    // The same list as a workbook: the same rows in the same order, the formula defused.
    let res = app
        .page(&c, &csv_path.replace("records.csv", "records.xlsx"))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let sheet = common::xlsx_rows(&res.bytes().await.unwrap());
    assert_eq!(sheet.len(), 12_002);
    assert_eq!(
        sheet[0],
        [
            "operation_type",
            "amount",
            "counterparty",
            "operator",
            "time",
            "trans_id"
        ]
    );
    for (line, cells) in rows.iter().zip(&sheet[1..]).take(50) {
        assert!(
            line.ends_with(&format!(",{}", cells[5])),
            "{line} / {cells:?}"
        );
        assert_eq!(cells[1], "-1", "the amount is a number");
    }
    assert_eq!(sheet[1][2], "'=HYPERLINK(\"http://x\")");

    // A narrower filter exports just its rows.
    let res = app
        .page(
            &c,
            "/center/sales/funds/records.csv?operation=FUND&trans_id=&from=&to=",
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap().lines().count(), 2);
}

/// 100 000 rows go out as they are read: the server's peak memory while it streams them stays
/// under 100 MiB (read from its `/proc` status, the peak reset just before), in both formats.
async fn a_100k_row_export_streams_in_bounded_memory(app: TestApp) {
    let w = world(&app);
    app.fund(w.provider, "100");
    let c = app.signed_in("prov-a").await;
    app.adjust(&c, "Customer", w.resale, "Allocate", "1", "seed")
        .await;
    // Long names make the file several times the size of what the server may hold.
    app.exec(&format!(
        "UPDATE customers SET name = '{}' WHERE id = {}",
        "客户".repeat(100),
        w.resale
    ))
    .await;
    copy_transfer(&app, "seed", "bulk", 99_999).await;
    let pid = app.pid();
    for ext in ["csv", "xlsx"] {
        let before = common::memory_kib(pid, "VmRSS");
        common::reset_peak_memory(pid);
        let mut res = app
            .page(
                &c,
                &format!("/center/sales/funds/records.{ext}?operation=BEADJUST"),
            )
            .await;
        assert_eq!(res.status(), 200);
        let (mut bytes, mut lines, mut body) = (0usize, 0usize, Vec::new());
        while let Some(chunk) = res.chunk().await.expect("the export streams to its end") {
            bytes += chunk.len();
            if ext == "csv" {
                lines += chunk.iter().filter(|b| **b == b'\n').count();
            } else {
                body.extend_from_slice(&chunk);
            }
        }
        let peak = common::memory_kib(pid, "VmHWM");
        // The program's own mapped file (large in a debug build) is not what an export uses.
        let program = common::memory_kib(pid, "RssFile");
        if ext == "xlsx" {
            lines = common::xlsx_rows(&body).len();
        }
        println!(
            "{ext} export of 100 000 rows: {} KiB sent; server RSS {before} KiB before, peak {peak} KiB \
             (of which {program} KiB mapped files)",
            bytes / 1024
        );
        assert_eq!(lines, 100_001, "{ext}: the heading and every row");
        assert!(peak - program < 100 * 1024, "{ext}: peak RSS {peak} KiB");
        // Holding the file (64 MB) and its rows (100 000 × over 600 bytes) would take more than
        // 120 MiB at once; SQLite's own paging (an OFFSET read per batch) takes up to ~40.
        assert!(
            peak.saturating_sub(before) < 64 * 1024,
            "{ext}: the server held {} KiB more while sending {} KiB",
            peak.saturating_sub(before),
            bytes / 1024
        );
    }
}

async fn a_resale_customer_sees_its_balance_and_the_no_top_up_notice(app: TestApp) {
    let w = world(&app);
    app.fund(w.provider, "100");
    let p = app.signed_in("prov-a").await;
    app.adjust(&p, "Customer", w.resale, "Allocate", "12.34", "to-cust")
        .await;
    let c = app.signed_in("cust-resale").await;
    let res = app.page(&c, "/customer/billing").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("12.34"));
    assert!(html.contains("不支持自行充值"));
    assert!(!html.contains("consulting-billing"));
    assert!(html.contains("prov-a"));
    let res = app.call(&c, "funds/my-balance", &[]).await;
    assert_eq!(res.json::<Value>().await.unwrap()["balance"], "12.34");
    // A partner page is still refused to the customer.
    assert_eq!(app.page(&c, "/center/sales/funds").await.status(), 403);

    // A consulting customer pays Huawei Cloud directly: its own notice, not the resale one.
    let consulting = app.signed_in("cust-consult").await;
    let html = app
        .page(&consulting, "/customer/billing")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("data-testid=\"consulting-billing\""),
        "{html}"
    );
    assert!(html.contains("直接向华为云付款"), "{html}");
    assert!(!html.contains("不支持自行充值") && !html.contains("no-top-up"));
    assert!(html.contains("prov-a"));
}

async fn the_ledger_is_append_only(app: TestApp) {
    let w = world(&app);
    app.fund(w.dist, "10");
    let before = app.count("SELECT COUNT(*) FROM fund_entries").await;
    let (entries, transfers) = (
        ("ledger entries are immutable", "the ledger is append-only"),
        ("fund transfers are immutable", "the ledger is append-only"),
    );
    app.assert_refused(
        "UPDATE fund_entries SET amount_fen = 1",
        entries.0,
        entries.1,
    )
    .await;
    app.assert_refused("DELETE FROM fund_entries", entries.0, entries.1)
        .await;
    app.assert_refused(
        "UPDATE fund_transfers SET amount_fen = 1",
        transfers.0,
        transfers.1,
    )
    .await;
    app.assert_refused("DELETE FROM fund_transfers", transfers.0, transfers.1)
        .await;
    // CHECK keeps balances >= 0 (PostgreSQL names the table's first unnamed CHECK
    // `fund_accounts_check`: `owner = 'external' OR balance_fen >= 0`).
    app.assert_refused(
        &format!(
            "UPDATE fund_accounts SET balance_fen = -1 WHERE partner_id = {}",
            w.dist
        ),
        "balance_fen >= 0",
        "\"fund_accounts_check\"",
    )
    .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM fund_entries").await, before);
    app.assert_ledger_sound().await;
}

async fn pages_show_balances_and_the_confirmation_step(app: TestApp) {
    let w = world(&app);
    app.fund(w.dist, "500");
    let c = app.signed_in("dist-a").await;
    let html = app
        .page(&c, "/center/sales/funds")
        .await
        .text()
        .await
        .unwrap();
    let card = html
        .split("data-testid=\"balance\"")
        .nth(1)
        .expect("balance card");
    assert!(
        card[..60.min(card.len())].contains(">500.00<"),
        "balance card shows 500.00"
    );
    assert!(html.contains("可拨款") && html.contains("专款专用"));
    // No credit card: the product grants no credit lines, so it could only ever show 0.00.
    assert!(!html.contains("信用"), "no credit figure on the funds page");
    let html = app
        .page(&c, "/center/sales/resellers")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("我的云经销商") && html.contains("res-a") && !html.contains("res-b"));
    let html = app
        .page(&c, "/center/sales/resellers?login=nomatch")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("暂无关联的云经销商"));
    let html = app
        .page(
            &c,
            &format!("/center/sales/resellers/{}/allocate?amount=120", w.reseller),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("是否确定调整"));
    assert!(
        html.contains("500.00 → 380.00") && html.contains("0.00 → 120.00"),
        "balances before and after"
    );
    assert_eq!(
        app.balance_fen("partner_id", w.reseller).await,
        0,
        "showing the confirmation moves nothing"
    );
    let html = app
        .page(
            &c,
            &format!(
                "/center/sales/resellers/{}/allocate?amount=9999",
                w.reseller
            ),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("可拨款余额不足"));
}

mod bulk {
    use super::*;

    on_both_backends!(bulk_allocation_pays_each_selected_resale_customer_once);

    async fn bulk_allocation_pays_each_selected_resale_customer_once(app: TestApp) {
        let w = world(&app);
        let second = app.customer(w.provider, "cust-resale-2", "resale");
        app.fund(w.provider, "100");
        let c = app.signed_in("prov-a").await;
        let ids = format!("{},{}", w.resale, second);
        let res = app
            .call(&c, "funds/bulk-preview", &[("ids", &ids), ("amount", "30")])
            .await;
        assert_eq!(res.status(), 200);
        let p: Value = res.json().await.unwrap();
        assert_eq!(p["total"], "60.00");
        assert_eq!(p["my_after"], "40.00");
        // Too much in total, or a consulting customer among them: refused before anything moves.
        let (status, body) = json(
            app.call(
                &c,
                "funds/bulk-allocate",
                &[("ids", &ids), ("amount", "50.01"), ("trans_id", "bulk-x")],
            )
            .await,
        )
        .await;
        assert_eq!(
            (status, body["key"].as_str().unwrap()),
            (409, "error.funds.insufficient")
        );
        let with_consulting = format!("{ids},{}", w.consulting);
        let (status, body) = json(
            app.call(
                &c,
                "funds/bulk-allocate",
                &[
                    ("ids", &with_consulting),
                    ("amount", "1"),
                    ("trans_id", "bulk-y"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!((status, body["code"].as_str().unwrap()), (409, "CBC.5021"));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM fund_transfers WHERE operation = 'BEADJUST'")
                .await,
            0
        );

        for _ in 0..2 {
            let res = app
                .call(
                    &c,
                    "funds/bulk-allocate",
                    &[("ids", &ids), ("amount", "30"), ("trans_id", "bulk-1")],
                )
                .await;
            assert_eq!(res.status(), 200);
        }
        assert_eq!(app.balance_fen("customer_id", w.resale).await, 3_000);
        assert_eq!(app.balance_fen("customer_id", second).await, 3_000);
        assert_eq!(
            app.balance_fen("partner_id", w.provider).await,
            4_000,
            "the repeated submission paid nobody twice"
        );
        let html = app
            .page(
                &c,
                &format!(
                    "/center/sales/customers/bulk?c={}&c={second}&amount=5",
                    w.resale
                ),
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains("是否确定调整") && html.contains("data-testid=\"bulk-total\""));
        app.assert_ledger_sound().await;
    }
}

/// 查询调账记录 filters, counts and pages in SQL: with 1 005 records the total is 1 005 and the
/// last page holds the oldest five (an in-memory window of the newest 1 000 got both wrong).
async fn the_api_pages_adjust_records_in_sql_past_a_thousand(app: TestApp) {
    let w = world(&app);
    app.fund(w.dist, "1000");
    let c = app.signed_in("dist-a").await;
    let res = app
        .adjust(&c, "Reseller", w.reseller, "Allocate", "1", "first")
        .await;
    assert_eq!(res.status(), 200);
    // 1 004 more records like the first one, written straight into the ledger's table: this
    // test is about reading them.
    let pool = app.db().await;
    let mut tx = pool.begin().await.unwrap();
    for n in 0..1004 {
        sqlx::query(
            "INSERT INTO fund_transfers (scope, trans_id, request_hash, operation, from_account, \
             to_account, amount_fen, actor_user_id, actor, ip, created_at) \
             SELECT scope, $1, request_hash, operation, from_account, to_account, $2, \
                    actor_user_id, actor, ip, created_at + $3 \
             FROM fund_transfers WHERE trans_id = 'first'",
        )
        .bind(format!("bulk-{n}"))
        .bind(2 + n as i64)
        .bind(1 + n as i64)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let token = app.api_token("dist-a", common::PASSWORD).await;
    assert_eq!(token.status(), 201);
    let token = token
        .headers()
        .get("x-subject-token")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let page = |query: &'static str| {
        let (url, token) = (
            app.url(&format!(
                "/v3/accounts/partner-accounts/adjust-records?{query}"
            )),
            token.clone(),
        );
        async move {
            let res = reqwest::Client::new()
                .get(url)
                .header("x-auth-token", token)
                .send()
                .await
                .unwrap();
            json(res).await
        }
    };
    let (status, first) = page("offset=0&limit=3").await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["total_count"], 1005);
    let newest: Vec<&str> = first["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["trans_id"].as_str().unwrap())
        .collect();
    assert_eq!(newest, ["bulk-1003", "bulk-1002", "bulk-1001"]);
    let (status, last) = page("offset=1000&limit=10").await;
    assert_eq!(status, 200, "{last}");
    assert_eq!(last["total_count"], 1005);
    let oldest: Vec<(&str, &str)> = last["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["trans_id"].as_str().unwrap(),
                r["amount"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        oldest,
        [
            ("bulk-3", "0.05"),
            ("bulk-2", "0.04"),
            ("bulk-1", "0.03"),
            ("bulk-0", "0.02"),
            ("first", "1.00"),
        ]
    );
    let reseller = w.reseller.to_string();
    for r in last["records"].as_array().unwrap() {
        assert_eq!(r["customer_id"], reseller.as_str(), "{r}");
    }
    // Filters run in the same query: one transaction id, or nothing for a stranger.
    let (_, one) = page("trans_id=bulk-500").await;
    assert_eq!(one["total_count"], 1, "{one}");
    let (_, none) = page("customer_id=999999").await;
    assert_eq!(none["total_count"], 0, "{none}");
}

/// 余额预警: told once when the available balance falls below the threshold (by an allocation,
/// a designation), again only after it rose back; bad thresholds are refused.
async fn the_low_balance_alert_tells_once_per_crossing(app: TestApp) {
    let w = world(&app);
    let p = w.provider.to_string();
    app.cli_ok(&[
        "admin",
        "set-partner-contact",
        "--partner",
        &p,
        "--email",
        "finance@prov.example.com",
    ]);
    app.fund(w.provider, "10000");
    let c = app.signed_in("prov-a").await;
    let set = |threshold: &'static str| {
        let (app, c) = (&app, &c);
        async move {
            json(
                app.call(c, "funds/low-balance-set", &[("threshold", threshold)])
                    .await,
            )
            .await
        }
    };
    let told = || async {
        app.count("SELECT COUNT(*) FROM messages WHERE kind = 'funds.low_balance'")
            .await
    };
    let mailed = || async {
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE channel = 'email' \
             AND recipient = 'finance@prov.example.com' AND subject LIKE '%预警%'",
        )
        .await
    };
    for (bad, key) in [
        ("abc", "error.amount.format"),
        ("0", "error.amount.positive"),
        ("-5", "error.amount.positive"),
    ] {
        let (s, body) = set(bad).await;
        assert_eq!((s, body["key"].as_str()), (400, Some(key)), "{bad}");
    }
    let (s, a) = set("5000").await;
    assert_eq!(s, 200, "{a}");
    assert_eq!(
        (a["threshold"].as_str(), a["below"].as_bool()),
        (Some("5000.00"), Some(false))
    );
    assert_eq!(told().await, 0);

    let allocate = |amount: &'static str, id: &'static str| {
        let (app, c) = (&app, &c);
        async move {
            let r = app
                .adjust(c, "Customer", w.resale, "Allocate", amount, id)
                .await;
            assert_eq!(r.status(), 200);
        }
    };
    allocate("5000", "low-1").await;
    assert_eq!(told().await, 0, "5000.00 is not below 5000.00");
    allocate("0.01", "low-2").await;
    assert_eq!(told().await, 1, "4999.99 is");
    assert_eq!(mailed().await, 1);
    allocate("100", "low-3").await;
    assert_eq!(told().await, 1, "told once while it stays below");
    let r = app
        .adjust(&c, "Customer", w.resale, "Reclaim", "2000", "low-4")
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(told().await, 1, "rising above tells nothing");
    // The operator designates funds: the available balance falls below again.
    app.operator("ops");
    let op = app.signed_in("ops").await;
    let r = app
        .call(
            &op,
            "operator/designate",
            &[("partner", &p), ("amount", "2000")],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(told().await, 2);
    let (_, a) = json(app.call(&c, "funds/low-balance", &[]).await).await;
    assert_eq!(
        (a["available"].as_str(), a["below"].as_bool()),
        (Some("4899.99"), Some(true))
    );
    // Turned off: nothing more.
    let (s, a) = set("").await;
    assert_eq!((s, a["threshold"].clone()), (200, serde_json::Value::Null));
    allocate("1", "low-5").await;
    assert_eq!(told().await, 2);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'funds.low_balance_set'")
            .await,
        2
    );
    // The customer was told of each allocation and of the reclaim, with its balance after;
    // the partner of Huawei Cloud's funding.
    let to = |login: &'static str, kind: &'static str| {
        let app = &app;
        async move {
            app.count(&format!(
                "SELECT COUNT(*) FROM messages m JOIN users u ON u.id = m.user_id \
                 WHERE u.login = '{login}' AND m.kind = '{kind}'"
            ))
            .await
        }
    };
    assert_eq!(to("cust-resale", "funds.allocated").await, 4);
    assert_eq!(to("cust-resale", "funds.reclaimed").await, 1);
    assert_eq!(to("prov-a", "funds.allocated").await, 1);
    let c2 = app.signed_in("cust-resale").await;
    let (_, msgs) = json(
        app.call(
            &c2,
            "messages/list",
            &[("filter", ""), ("group", "funds"), ("page", "1")],
        )
        .await,
    )
    .await;
    assert_eq!(msgs["items"][0]["kind"], "funds.allocated", "{msgs}");
    assert_eq!(msgs["items"][0]["params"]["amount"], "1.00");
    assert_eq!(msgs["items"][0]["params"]["balance"], "3101.01");
    app.assert_ledger_sound().await;
    app.assert_audit_sound().await;
}
