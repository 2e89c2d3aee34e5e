//! The operator command line: JSON on success, a clear message and a non-zero exit on error.

use crate::common;

use common::{Backend, PASSWORD, TestApp};

async fn each_backend(f: impl AsyncFn(TestApp)) {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        if let Some(app) = TestApp::database(backend).await {
            f(app).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_partner_prints_the_new_ids_and_resellers_need_a_distributor() {
    each_backend(async |app| {
        let d = app.cli_ok(&[
            "admin",
            "create-partner",
            "--name",
            "华北总经销",
            "--kind",
            "distributor",
            "--login",
            "dist1",
            "--password",
            PASSWORD,
        ]);
        let dist = d["partner_id"].as_i64().expect("partner_id");
        assert!(d["user_id"].as_i64().is_some());

        let err = app
            .cli_refused(&[
                "admin",
                "create-partner",
                "--name",
                "R",
                "--kind",
                "reseller",
                "--login",
                "res1",
                "--password",
                PASSWORD,
            ])
            .await;
        assert!(err.contains("needs its distributor"), "{err}");

        let sp = app.partner("sp1", "solution-provider", None);
        let err = app
            .cli_refused(&[
                "admin",
                "create-partner",
                "--name",
                "R",
                "--kind",
                "reseller",
                "--parent",
                &sp.to_string(),
                "--login",
                "res1",
                "--password",
                PASSWORD,
            ])
            .await;
        assert!(err.contains("not a distributor"), "{err}");

        let err = app
            .cli_refused(&[
                "admin",
                "create-partner",
                "--name",
                "R",
                "--kind",
                "reseller",
                "--parent",
                "99999",
                "--login",
                "res1",
                "--password",
                PASSWORD,
            ])
            .await;
        assert!(err.contains("does not exist"), "{err}");

        let r = app.cli_ok(&[
            "admin",
            "create-partner",
            "--name",
            "华北云经销",
            "--kind",
            "reseller",
            "--parent",
            &dist.to_string(),
            "--login",
            "res1",
            "--password",
            PASSWORD,
            "--hcpn",
            "pending",
        ]);
        assert!(r["partner_id"].as_i64().unwrap() > dist);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_errors_are_clear_and_change_nothing() {
    each_backend(async |app| {
        app.partner("taken", "solution-provider", None);
        let err = app
            .cli_refused(&[
                "admin",
                "create-partner",
                "--name",
                "X",
                "--kind",
                "distributor",
                "--login",
                "TAKEN",
                "--password",
                PASSWORD,
            ])
            .await;
        assert!(err.contains("already taken"), "{err}");

        let err = app
            .cli_refused(&[
                "admin",
                "create-partner",
                "--name",
                "X",
                "--kind",
                "wholesaler",
                "--login",
                "x1x",
                "--password",
                PASSWORD,
            ])
            .await;
        assert!(err.contains("--kind"), "{err}");

        let err = app
            .cli_refused(&[
                "admin",
                "create-partner",
                "--name",
                "X",
                "--kind",
                "distributor",
                "--login",
                "x1x",
                "--password",
                "short",
            ])
            .await;
        assert!(
            err.contains("--password") && err.contains("at least 8"),
            "{err}"
        );

        let long = "名".repeat(10_000);
        let err = app
            .cli_refused(&[
                "admin",
                "create-partner",
                "--name",
                &long,
                "--kind",
                "distributor",
                "--login",
                "x1x",
                "--password",
                PASSWORD,
            ])
            .await;
        assert!(err.contains("--name"), "{err}");

        let err = app
            .cli_refused(&[
                "admin",
                "create-customer",
                "--partner",
                "424242",
                "--mode",
                "resale",
                "--name",
                "C",
                "--login",
                "c1c",
                "--password",
                PASSWORD,
            ])
            .await;
        assert!(err.contains("partner does not exist"), "{err}");

        let err = app
            .cli_refused(&[
                "admin",
                "create-customer",
                "--partner",
                "1",
                "--mode",
                "barter",
                "--name",
                "C",
                "--login",
                "c1c",
                "--password",
                PASSWORD,
            ])
            .await;
        assert!(err.contains("--mode"), "{err}");

        // Each refused command left every table as it was (`cli_refused`); only the first
        // partner and its user exist.
        assert_eq!(app.count("SELECT COUNT(*) FROM partners").await, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_commands_leave_no_rows() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = TestApp::database(backend).await else {
            continue;
        };
        app.partner("only", "distributor", None);
        app.cli_refused(&[
            "admin",
            "create-partner",
            "--name",
            "X",
            "--kind",
            "reseller",
            "--parent",
            "777",
            "--login",
            "nope",
            "--password",
            PASSWORD,
        ])
        .await;
        app.cli_refused(&[
            "admin",
            "create-partner",
            "--name",
            "X",
            "--kind",
            "distributor",
            "--login",
            "only",
            "--password",
            PASSWORD,
        ])
        .await;
        assert_eq!(
            app.count("SELECT COUNT(*) FROM partners").await,
            1,
            "{backend:?}"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM users").await,
            1,
            "{backend:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customers_and_operators_are_created_and_can_sign_in() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(mut app) = TestApp::database(backend).await else {
            continue;
        };
        let p = app.partner("owner1", "solution-provider", None);
        let c = app.cli_ok(&[
            "admin",
            "create-customer",
            "--partner",
            &p.to_string(),
            "--mode",
            "resale",
            "--name",
            "宁波客户",
            "--login",
            "cust1",
            "--password",
            PASSWORD,
        ]);
        assert!(c["customer_id"].as_i64().is_some());
        let o = app.cli_ok(&[
            "admin",
            "create-operator",
            "--login",
            "ops1",
            "--password",
            PASSWORD,
        ]);
        assert!(o["user_id"].as_i64().is_some());
        app.start(&[]).await;
        let client = app.client();
        assert_eq!(app.login(&client, "cust1", PASSWORD).await.status(), 200);
        let me = app.me(&client).await;
        assert_eq!(me["role"], "customer");
        assert_eq!(me["customer"]["mode"], "resale");
        assert_eq!(me["customer"]["partner_name"], "owner1");
        let client = app.client();
        assert_eq!(app.login(&client, "ops1", PASSWORD).await.status(), 200);
        assert_eq!(app.me(&client).await["role"], "operator");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seed_demo_loads_once_and_serve_never_seeds() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(mut app) = TestApp::database(backend).await else {
            continue;
        };
        app.start(&[]).await;
        assert_eq!(
            app.count("SELECT COUNT(*) FROM users").await,
            0,
            "serve must not load demo data"
        );
        let first = app.cli_ok(&["seed-demo"]);
        assert_eq!(first["seeded"], true);
        // A year of history, made of real movements: the ledger is sound and in time order.
        assert_eq!(first["history"]["months"], 12, "{first}");
        assert!(
            first["history"]["actions"].as_i64().unwrap() >= 12 * 5,
            "{first}"
        );
        app.assert_ledger_sound().await;
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM fund_entries a JOIN fund_entries b \
                 ON b.account_id = a.account_id AND b.id > a.id AND b.created_at < a.created_at"
            )
            .await,
            0,
            "entries are in time order"
        );
        let provider = app.client();
        assert_eq!(
            app.login(&provider, "provider", "Demo#2026").await.status(),
            200
        );
        let sales: serde_json::Value = app
            .call(&provider, "workbench/sales", &[])
            .await
            .json()
            .await
            .unwrap();
        let busy = |key: &str, series: usize| {
            sales["charts"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["key"] == key)
                .unwrap_or_else(|| panic!("{key} in {sales}"))["points"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| p["values"][series] != "0.00")
                .count()
        };
        assert!(busy("workbench.chart.flows", 0) >= 10, "{sales}");
        assert!(busy("workbench.chart.orders", 0) >= 10, "{sales}");
        assert!(busy("workbench.chart.orders", 1) >= 10, "{sales}");
        assert!(
            app.count("SELECT COUNT(*) FROM coupons").await >= 6,
            "a coupon every other month"
        );
        let users = app.count("SELECT COUNT(*) FROM users").await;
        assert_eq!(
            users as usize,
            first["logins"].as_array().map(Vec::len).unwrap_or(0),
            "every listed demo login exists"
        );
        assert_eq!(
            users, 14,
            "eleven demo accounts, a second operator (maker–checker) and two provider members"
        );
        let second = app.cli_ok(&["seed-demo"]);
        assert_eq!(second["seeded"], false);
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, users);
        let client = app.client();
        assert_eq!(
            app.login(&client, "reseller", "Demo#2026").await.status(),
            200
        );
        let me = app.me(&client).await;
        assert_eq!(me["partner"]["kind"], "reseller");
        assert_eq!(me["partner"]["parent_name"], "华南云总经销有限公司");
    }
}

#[test]
fn a_bad_database_url_is_a_clear_error() {
    let out = std::process::Command::new(common::bin())
        .args(["migrate"])
        .env("DATABASE_URL", "mysql://nope")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("DATABASE_URL must start with"));
}

#[test]
fn sqlite_and_postgres_migrations_stay_in_step() {
    let names = |dir: &str| {
        let mut v: Vec<String> =
            std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
        v.sort();
        v
    };
    let sqlite = names("migrations/sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, names("migrations/postgres"));
}
