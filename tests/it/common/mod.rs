//! Test harness: starts the real `partner-center` binary on port 0 with a fresh database
//! (a SQLite file in a temporary directory, or a new PostgreSQL database when
//! `TEST_POSTGRES_URL` is set) and talks to it over HTTP like a browser would.
#![allow(dead_code)]

pub mod sms;
pub mod smtp;

use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};

pub const PASSWORD: &str = "Test#2026pw";

/// A response's status and JSON body (`null` when the body is not JSON).
pub async fn json(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// A server function called as a form posts it: its status and JSON answer; a redirect (what a
/// plain form post gets when the function succeeds) counts as 200 with no answer.
pub async fn form_call(
    app: &TestApp,
    c: &reqwest::Client,
    f: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let res = app.call(c, f, form).await;
    let status = res.status().as_u16();
    if (300..400).contains(&status) {
        return (200, Value::Null);
    }
    json(res).await
}

/// A refusal's status and message key.
pub fn refusal(answer: &(u16, Value)) -> (u16, Option<&str>) {
    (answer.0, answer.1["key"].as_str())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub db_url: String,
    pub backend: Backend,
    child: Option<tokio::process::Child>,
    dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_partner-center")
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The admin URL of the PostgreSQL server to test against, if any.
pub fn postgres_url() -> Option<String> {
    std::env::var("TEST_POSTGRES_URL")
        .ok()
        .filter(|s| !s.is_empty())
}

/// A test that cannot run for want of `what` (a backend or a tool) says so where the runner
/// counts it: a line in `PC_TEST_SKIP_LOG` (which `scripts/test` sums up). When `what` is listed
/// in `PC_TEST_REQUIRE` (comma-separated; CI requires `postgres,sdk`) the test fails instead.
pub fn skip(what: &str, why: &str) {
    let required = std::env::var("PC_TEST_REQUIRE").unwrap_or_default();
    if required.split(',').any(|r| r.trim() == what) {
        panic!("{what} is required (PC_TEST_REQUIRE={required}) but missing: {why}");
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("unknown test")
        .to_string();
    eprintln!("skipped ({what}): {test}: {why}");
    if let Ok(log) = std::env::var("PC_TEST_SKIP_LOG") {
        use std::io::Write;
        let line = format!("{}\t{what}\t{test}\t{why}\n", env!("CARGO_CRATE_NAME"));
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
        {
            let _ = f.write_all(line.as_bytes());
        }
    }
}

/// The official SDK's Python (`SDK_PYTHON`, set by `scripts/test`), or `None` after recording
/// the skip.
pub fn sdk_python() -> Option<String> {
    match std::env::var("SDK_PYTHON") {
        Ok(p) if !p.is_empty() => Some(p),
        _ => {
            skip(
                "sdk",
                "SDK_PYTHON is not set (scripts/test installs the SDK and sets it)",
            );
            None
        }
    }
}

/// Runs `a` and `b` at the same moment: both are spawned and wait at a barrier before their
/// request leaves, so the two really overlap (clients should already be connected: sign in or
/// call once before, so that no connection set-up staggers them).
pub async fn race<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: std::future::Future<Output = RA> + Send + 'static,
    B: std::future::Future<Output = RB> + Send + 'static,
    RA: Send + 'static,
    RB: Send + 'static,
{
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(2));
    let (ba, bb) = (barrier.clone(), barrier);
    let ta = tokio::spawn(async move {
        ba.wait().await;
        a.await
    });
    let tb = tokio::spawn(async move {
        bb.wait().await;
        b.await
    });
    (
        ta.await.expect("first racer"),
        tb.await.expect("second racer"),
    )
}

/// Runs every future at the same moment (see [`race`]); answers in the given order.
pub async fn race_all<F, R>(futures: Vec<F>) -> Vec<R>
where
    F: std::future::Future<Output = R> + Send + 'static,
    R: Send + 'static,
{
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(futures.len()));
    let tasks: Vec<_> = futures
        .into_iter()
        .map(|f| {
            let b = barrier.clone();
            tokio::spawn(async move {
                b.wait().await;
                f.await
            })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("racer"));
    }
    out
}

/// Waits until `check` holds (polling every 20 ms), failing with `what` after `limit`.
pub async fn wait_for<F, Fut>(what: &str, limit: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let until = std::time::Instant::now() + limit;
    while !check().await {
        assert!(
            std::time::Instant::now() < until,
            "timed out after {limit:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Replaces the database name of a PostgreSQL URL.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{db}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

impl TestApp {
    /// A fresh database for `backend` without a server (for CLI tests). `None` when the backend
    /// is not available (PostgreSQL without `TEST_POSTGRES_URL`).
    pub async fn database(backend: Backend) -> Option<TestApp> {
        let dir = tempfile::tempdir().expect("temp dir");
        let (db_url, pg) = match backend {
            Backend::Sqlite => (format!("sqlite://{}/pc.db", dir.path().display()), None),
            Backend::Postgres => {
                let Some(admin) = postgres_url() else {
                    skip("postgres", "TEST_POSTGRES_URL is not set");
                    return None;
                };
                let name = format!("pc_test_{}_{}", std::process::id(), rand_suffix());
                let mut conn = sqlx_pg_connect(&admin).await;
                sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE \"{name}\"").as_str())
                    .await
                    .expect("create test database");
                (with_database(&admin, &name), Some((admin, name)))
            }
        };
        Some(TestApp {
            base: String::new(),
            db_url,
            backend,
            child: None,
            dir,
            pg,
        })
    }

    /// A running server on a fresh database.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        let mut app = Self::database(backend).await?;
        app.start(&[]).await;
        Some(app)
    }

    pub async fn start(&mut self, extra_args: &[&str]) {
        let (base, child) = launch(
            &self.db_url,
            &self.dir.path().join("server.log"),
            extra_args,
        )
        .await;
        self.base = base;
        self.child = Some(child);
    }

    /// Another server process on the same database (the scale-out setup). It stops when the
    /// returned child is dropped.
    pub async fn another_server(&self) -> (String, tokio::process::Child) {
        let n = rand_suffix();
        launch(
            &self.db_url,
            &self.dir.path().join(format!("server-{n}.log")),
            &[],
        )
        .await
    }

    pub fn server_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A browser-like client: keeps cookies, does not follow redirects, sends this site's Origin.
    pub fn client(&self) -> reqwest::Client {
        let mut headers = HeaderMap::new();
        headers.insert("origin", HeaderValue::from_str(&self.base).expect("origin"));
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .expect("client")
    }

    /// Opens a page as a browser navigation does (`Accept: text/html`).
    pub async fn page(&self, client: &reqwest::Client, path: &str) -> reqwest::Response {
        client
            .get(self.url(path))
            .header("accept", "text/html,application/xhtml+xml")
            .send()
            .await
            .expect("request")
    }

    /// Calls a server function with form fields.
    pub async fn call(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .form(form)
            .send()
            .await
            .expect("request")
    }

    pub async fn login(
        &self,
        client: &reqwest::Client,
        account: &str,
        password: &str,
    ) -> reqwest::Response {
        self.call(
            client,
            "login",
            &[("account", account), ("password", password)],
        )
        .await
    }

    /// The signed-in user as `/api/me` reports it (JSON `null` when signed out).
    pub async fn me(&self, client: &reqwest::Client) -> Value {
        let res = self.call(client, "me", &[]).await;
        assert_eq!(res.status(), 200);
        res.json().await.expect("json")
    }

    /// This app's master key file (the server's and the command line's).
    pub fn master_key_file(&self) -> PathBuf {
        self.dir.path().join("master.key")
    }

    /// Runs the command line against this app's database. Returns (exit code, stdout, stderr).
    pub fn cli(&self, args: &[&str]) -> (i32, String, String) {
        let out = std::process::Command::new(bin())
            .args(args)
            .env("DATABASE_URL", &self.db_url)
            .env("PC_MASTER_KEY_FILE", self.master_key_file())
            .env_remove("PC_MASTER_KEY")
            .env("RUST_LOG", "warn")
            .output()
            .expect("run cli");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Runs the command line and parses its JSON output; panics with stderr on failure.
    pub fn cli_ok(&self, args: &[&str]) -> Value {
        let (code, out, err) = self.cli(args);
        assert_eq!(code, 0, "cli {args:?} failed: {err}");
        serde_json::from_str(out.trim())
            .unwrap_or_else(|e| panic!("cli output {out:?} is not JSON: {e}"))
    }

    /// Creates a partner with a user `login` and returns the partner id.
    pub fn partner(&self, login: &str, kind: &str, parent: Option<i64>) -> i64 {
        let parent = parent.map(|p| p.to_string());
        let mut args = vec![
            "admin",
            "create-partner",
            "--name",
            login,
            "--kind",
            kind,
            "--login",
            login,
            "--password",
            PASSWORD,
        ];
        if let Some(p) = &parent {
            args.extend(["--parent", p.as_str()]);
        }
        self.cli_ok(&args)["partner_id"]
            .as_i64()
            .expect("partner_id")
    }

    pub fn customer(&self, partner: i64, login: &str, mode: &str) -> i64 {
        let p = partner.to_string();
        self.cli_ok(&[
            "admin",
            "create-customer",
            "--partner",
            &p,
            "--mode",
            mode,
            "--name",
            login,
            "--login",
            login,
            "--password",
            PASSWORD,
        ])["customer_id"]
            .as_i64()
            .expect("customer_id")
    }

    pub fn operator(&self, login: &str) {
        self.cli_ok(&[
            "admin",
            "create-operator",
            "--login",
            login,
            "--password",
            PASSWORD,
        ]);
    }

    /// A direct connection to the app's database, for checking what changed.
    pub async fn db(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::AnyPool::connect(&self.db_url)
            .await
            .expect("connect to test database")
    }

    /// Runs one statement on the app's database (test set-up the product has no way to make).
    pub async fn exec(&self, sql: &str) {
        let pool = self.db().await;
        sqlx::query(sql).execute(&pool).await.expect("statement");
        pool.close().await;
    }

    /// The server process's id (to read its memory).
    pub fn pid(&self) -> u32 {
        self.child
            .as_ref()
            .and_then(tokio::process::Child::id)
            .expect("a running server")
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let pool = self.db().await;
        let n: i64 = sqlx::query_scalar(sql)
            .fetch_one(&pool)
            .await
            .expect("count query");
        pool.close().await;
        n
    }

    /// Every table's content (each row as text, sorted), to check that a refused request or
    /// command changed nothing. Tables in `except` are left out (e.g. `sessions`).
    pub async fn snapshot(&self, except: &[&str]) -> std::collections::BTreeMap<String, String> {
        let pool = self.db().await;
        let (tables_sql, columns_sql) = match self.backend {
            Backend::Sqlite => (
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
                "SELECT name FROM pragma_table_info($1) ORDER BY cid",
            ),
            Backend::Postgres => (
                "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
                 WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
                 AND table_name <> '_sqlx_migrations' ORDER BY 1",
                "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
            ),
        };
        let tables: Vec<String> = sqlx::query_scalar(tables_sql)
            .fetch_all(&pool)
            .await
            .expect("tables");
        let mut out = std::collections::BTreeMap::new();
        // The scheduler's leases change whenever a server's periodic job runs: bookkeeping, not
        // what a request did.
        for t in tables
            .into_iter()
            .filter(|t| !except.contains(&t.as_str()) && t != "job_leases")
        {
            let columns: Vec<String> = sqlx::query_scalar(columns_sql)
                .bind(&t)
                .fetch_all(&pool)
                .await
                .expect("columns");
            let row = columns
                .iter()
                .map(|c| format!("COALESCE(CAST(\"{c}\" AS TEXT), '~')"))
                .collect::<Vec<_>>()
                .join(" || ',' || ");
            let sql = match self.backend {
                Backend::Sqlite => format!(
                    "SELECT COALESCE(group_concat(r, '|'), '') FROM \
                     (SELECT {row} AS r FROM \"{t}\" ORDER BY 1)"
                ),
                Backend::Postgres => format!(
                    "SELECT COALESCE(string_agg(r, '|' ORDER BY r), '') FROM \
                     (SELECT {row} AS r FROM \"{t}\") s"
                ),
            };
            let content: String = sqlx::query_scalar(&sql)
                .fetch_one(&pool)
                .await
                .unwrap_or_else(|e| panic!("snapshot of {t}: {e}"));
            out.insert(t, content);
        }
        pool.close().await;
        out
    }

    /// Asserts two snapshots are equal, naming the tables that differ.
    pub fn assert_unchanged(
        before: &std::collections::BTreeMap<String, String>,
        after: &std::collections::BTreeMap<String, String>,
        what: &str,
    ) {
        let changed: Vec<&String> = before
            .keys()
            .chain(after.keys())
            .filter(|t| before.get(*t) != after.get(*t))
            .collect();
        assert!(changed.is_empty(), "{what} changed tables {changed:?}");
    }

    /// Runs a command that must be refused: exit code 1, nothing on stdout, and no change in
    /// any table. Returns stderr (the message).
    pub async fn cli_refused(&self, args: &[&str]) -> String {
        let before = self.snapshot(&[]).await;
        let (code, out, err) = self.cli(args);
        assert_ne!(code, 0, "cli {args:?} was accepted: {out}");
        assert!(out.is_empty(), "a refused command printed {out:?}");
        let after = self.snapshot(&[]).await;
        Self::assert_unchanged(&before, &after, &format!("refused cli {args:?}"));
        err
    }

    /// Runs `sql` directly and asserts the database refuses it with the named rule: the error
    /// message must contain `sqlite` or `postgres` (a trigger's message or a constraint's name),
    /// so that a refusal for another reason (a typo, a missing table) does not pass.
    pub async fn assert_refused(&self, sql: &str, sqlite: &str, postgres: &str) {
        let pool = self.db().await;
        let res = sqlx::query(sql).execute(&pool).await;
        pool.close().await;
        let needle = match self.backend {
            Backend::Sqlite => sqlite,
            Backend::Postgres => postgres,
        };
        match res {
            Ok(r) => panic!("{sql:?} was accepted ({} rows)", r.rows_affected()),
            Err(e) => assert!(
                e.to_string().contains(needle),
                "{sql:?} was refused for another reason than {needle:?}: {e}"
            ),
        }
    }

    /// Stops the server with SIGKILL (no graceful shutdown).
    pub async fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill().await;
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(c) = self.child.as_mut() {
            let _ = c.start_kill();
        }
        if std::thread::panicking() && !self.base.is_empty() {
            eprintln!("--- server log ---\n{}", self.server_log());
        }
        if let Some((admin, name)) = self.pg.take() {
            // Drop runs inside the test's runtime; the database is dropped from a fresh one.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    let mut conn = sqlx_pg_connect(&admin).await;
                    let _ = sqlx::Executor::execute(
                        &mut conn,
                        format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)").as_str(),
                    )
                    .await;
                });
            })
            .join();
        }
    }
}

async fn launch(
    db_url: &str,
    log: &std::path::Path,
    extra_args: &[&str],
) -> (String, tokio::process::Child) {
    let log_file = std::fs::File::create(log).expect("log file");
    let mut child = tokio::process::Command::new(bin())
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(extra_args)
        .env("DATABASE_URL", db_url)
        .env("PC_MASTER_KEY_FILE", master_key_file(log))
        .env_remove("PC_MASTER_KEY")
        .env("LEPTOS_SITE_ROOT", repo_root().join("target/site"))
        .env("RUST_LOG", "info,sqlx=warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log_file))
        .kill_on_drop(true)
        .spawn()
        .expect("start server");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
        .await
        .expect("server did not start within 60 s")
        .expect("read stdout")
        .unwrap_or_else(|| {
            panic!(
                "server exited: {}",
                std::fs::read_to_string(log).unwrap_or_default()
            )
        });
    let v: Value = serde_json::from_str(&line).expect("startup line is JSON");
    (
        v["listening"]
            .as_str()
            .expect("listening address")
            .to_string(),
        child,
    )
}

/// Each test app has its own master key file, in its temporary directory (beside its log).
fn master_key_file(log: &std::path::Path) -> PathBuf {
    log.parent()
        .map_or_else(|| PathBuf::from("master.key"), |d| d.join("master.key"))
}

async fn sqlx_pg_connect(url: &str) -> sqlx::PgConnection {
    use sqlx::Connection;
    sqlx::PgConnection::connect(url)
        .await
        .expect("connect to TEST_POSTGRES_URL")
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{nanos}_{}", N.fetch_add(1, Ordering::Relaxed))
}

/// Runs each listed async test function once per backend: `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    if let Some(app) = $crate::common::TestApp::spawn($crate::common::Backend::Sqlite).await {
                        super::$name(app).await;
                    }
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::common::TestApp::spawn($crate::common::Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            }
        )*
    };
}

#[test]
fn postgres_urls_get_the_test_database() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
        "postgres://postgres@127.0.0.1:5432/t1"
    );
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432", "t1"),
        "postgres://postgres@127.0.0.1:5432/t1"
    );
    assert_eq!(
        with_database("postgres://u@h/db?sslmode=disable", "t1"),
        "postgres://u@h/t1?sslmode=disable"
    );
}

impl TestApp {
    /// Operator funding through the command line; returns the transaction id.
    pub fn fund(&self, partner: i64, amount: &str) -> String {
        let p = partner.to_string();
        self.cli_ok(&["admin", "fund", "--partner", &p, "--amount", amount])["trans_id"]
            .as_str()
            .expect("trans_id")
            .to_string()
    }

    /// A coupon quota (代金券额度) of `amount` yuan for a partner; returns its id.
    pub fn grant_quota(&self, partner: i64, amount: &str) -> i64 {
        let p = partner.to_string();
        self.cli_ok(&["admin", "grant-quota", "--partner", &p, "--amount", amount])["quota_id"]
            .as_i64()
            .expect("quota_id")
    }

    /// An access key (AK/SK) for `login`, made with the command line.
    pub fn access_key(&self, login: &str) -> (String, String) {
        let key = self.cli_ok(&["admin", "create-access-key", "--login", login]);
        (
            key["ak"].as_str().unwrap().to_string(),
            key["sk"].as_str().unwrap().to_string(),
        )
    }

    /// The OpenAPI document the server publishes (`/openapi.json`).
    pub async fn openapi_document(&self) -> Value {
        reqwest::get(self.url("/openapi.json"))
            .await
            .expect("openapi.json")
            .json()
            .await
            .expect("openapi.json is JSON")
    }

    /// `POST /v3/auth/tokens` with IAM's password body, as the SDK's clients send it.
    pub async fn api_token(&self, login: &str, password: &str) -> reqwest::Response {
        reqwest::Client::new()
            .post(self.url("/v3/auth/tokens"))
            .json(
                &serde_json::json!({ "auth": { "identity": { "methods": ["password"],
                "password": { "user": { "name": login, "password": password } } } } }),
            )
            .send()
            .await
            .expect("token request")
    }

    /// A signed-in client for `login`.
    pub async fn signed_in(&self, login: &str) -> reqwest::Client {
        let c = self.client();
        let res = self.login(&c, login, PASSWORD).await;
        assert_eq!(res.status(), 200, "login {login}");
        c
    }

    /// 拨款/回收 through the confirmation server function.
    pub async fn adjust(
        &self,
        c: &reqwest::Client,
        target: &str,
        id: i64,
        direction: &str,
        amount: &str,
        trans_id: &str,
    ) -> reqwest::Response {
        self.adjust_at(&self.base, c, target, id, direction, amount, trans_id)
            .await
            .expect("request")
    }

    /// The same against a given server process (which must share this app's database).
    #[allow(clippy::too_many_arguments)]
    pub async fn adjust_at(
        &self,
        base: &str,
        c: &reqwest::Client,
        target: &str,
        id: i64,
        direction: &str,
        amount: &str,
        trans_id: &str,
    ) -> reqwest::Result<reqwest::Response> {
        let id = id.to_string();
        c.post(format!("{base}/api/funds/adjust"))
            .header("origin", base)
            .form(&[
                ("target", target),
                ("id", &id),
                ("direction", direction),
                ("amount", amount),
                ("trans_id", trans_id),
            ])
            .send()
            .await
    }

    /// The balance (fen) of a voucher quota.
    pub async fn quota_balance(&self, quota: i64) -> i64 {
        self.count(&format!(
            "SELECT balance_fen FROM coupon_quotas WHERE id = {quota}"
        ))
        .await
    }

    /// The balance (fen) of a partner or customer account, 0 when it has none.
    pub async fn balance_fen(&self, column: &str, id: i64) -> i64 {
        let pool = self.db().await;
        let v: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT balance_fen FROM fund_accounts WHERE {column} = $1"
        ))
        .bind(id)
        .fetch_optional(&pool)
        .await
        .expect("balance query");
        pool.close().await;
        v.unwrap_or(0)
    }

    /// The audit trail names a real actor and channel for every entry: web and API entries
    /// carry the user who acted (id and login) and the client's address; only the command line
    /// and the server's own jobs act without a user, as `cli` / `system` at `local`.
    pub async fn assert_audit_sound(&self) {
        let pool = self.db().await;
        let rows: Vec<(Option<i64>, String, String, String, String)> = sqlx::query_as(
            "SELECT a.actor_user_id, a.actor, a.ip, a.channel, a.action FROM audit_log a",
        )
        .fetch_all(&pool)
        .await
        .expect("audit rows");
        let logins: Vec<(i64, String)> = sqlx::query_as("SELECT id, login FROM users")
            .fetch_all(&pool)
            .await
            .expect("users");
        pool.close().await;
        for (user, actor, ip, channel, action) in &rows {
            let what = format!("{action} by {actor} from {ip} via {channel}");
            match channel.as_str() {
                "web" | "api" => {
                    // Sign-in attempts name the account tried, which may not exist.
                    if !action.starts_with("login.") {
                        let id = user.unwrap_or_else(|| panic!("{what}: no user"));
                        assert!(
                            logins.iter().any(|(i, l)| *i == id && l == actor),
                            "{what}: actor is not user {id}'s login"
                        );
                    }
                    assert!(
                        !["local", "api", "cli", "unknown", ""].contains(&ip.as_str()),
                        "{what}: no client address"
                    );
                }
                "cli" | "system" => {
                    assert!(user.is_none(), "{what}: a user on the {channel} channel");
                    assert_eq!(ip, "local", "{what}");
                }
                other => panic!("{what}: channel {other}"),
            }
        }
    }

    /// The ledger invariants: Σ balances = Σ funding, no negative balance, entries replay to
    /// every stored balance, every transfer has exactly two entries, −amount on its `from_account`
    /// and +amount on its `to_account`, and each entry's `balance_after` is its account's running
    /// balance.
    pub async fn assert_ledger_sound(&self) {
        let pool = self.db().await;
        let (held, funded, external, mismatched, negative, bad_transfers, bad_running): (i64, i64, i64, i64, i64, i64, i64) = sqlx::query_as(
            "SELECT \
               CAST(COALESCE((SELECT SUM(balance_fen) FROM fund_accounts WHERE owner <> 'external'), 0) AS BIGINT), \
               CAST(COALESCE((SELECT SUM(CASE operation WHEN 'FUND' THEN amount_fen WHEN 'PAY' THEN -amount_fen \
                   WHEN 'REFUND' THEN amount_fen ELSE 0 END) FROM fund_transfers), 0) AS BIGINT), \
               CAST((SELECT balance_fen FROM fund_accounts WHERE owner = 'external') AS BIGINT), \
               (SELECT COUNT(*) FROM fund_accounts a WHERE a.balance_fen <> \
                   CAST(COALESCE((SELECT SUM(e.amount_fen) FROM fund_entries e WHERE e.account_id = a.id), 0) AS BIGINT)), \
               (SELECT COUNT(*) FROM fund_accounts WHERE owner <> 'external' AND (balance_fen < 0 OR designated_fen > balance_fen)), \
               (SELECT COUNT(*) FROM fund_transfers t WHERE \
                   (SELECT COUNT(*) FROM fund_entries e WHERE e.transfer_id = t.id) <> 2 OR \
                   (SELECT COUNT(*) FROM fund_entries e WHERE e.transfer_id = t.id \
                       AND e.account_id = t.from_account AND e.amount_fen = -t.amount_fen) <> 1 OR \
                   (SELECT COUNT(*) FROM fund_entries e WHERE e.transfer_id = t.id \
                       AND e.account_id = t.to_account AND e.amount_fen = t.amount_fen) <> 1), \
               (SELECT COUNT(*) FROM fund_entries e WHERE e.balance_after_fen <> \
                   CAST((SELECT SUM(p.amount_fen) FROM fund_entries p \
                       WHERE p.account_id = e.account_id AND p.id <= e.id) AS BIGINT))",
        )
        .fetch_one(&pool)
        .await
        .expect("ledger invariants query");
        pool.close().await;
        assert_eq!(
            held + external,
            0,
            "all balances, the external account's included, sum to 0"
        );
        assert_eq!(
            held, funded,
            "Σ balances must equal Σ funding − Σ payments + Σ refunds"
        );
        assert_eq!(
            mismatched, 0,
            "replaying entries must give the stored balances"
        );
        assert_eq!(
            negative, 0,
            "no balance below zero or below designated funds"
        );
        assert_eq!(
            bad_transfers, 0,
            "every transfer has exactly two entries: −amount on its payer, +amount on its payee"
        );
        assert_eq!(
            bad_running, 0,
            "each entry's balance_after is the running sum of its account's entries"
        );
    }
}

/// A figure of a process's memory in KiB, from `/proc/<pid>/status` (`VmRSS`, `VmHWM`: the peak).
pub fn memory_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("process status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in the status of {pid}"))
}

/// Starts a process's peak memory (`VmHWM`) again from its current size.
pub fn reset_peak_memory(pid: u32) {
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").expect("reset the peak memory");
}

/// The first worksheet of an XLSX file, as rows of cell texts (numbers as written, shared and
/// inline strings resolved, XML entities decoded).
pub fn xlsx_rows(file: &[u8]) -> Vec<Vec<String>> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(file)).expect("an XLSX is a zip");
    let mut read = |name: &str| -> Option<String> {
        let mut entry = zip.by_name(name).ok()?;
        let mut s = String::new();
        entry.read_to_string(&mut s).expect("utf-8 xml");
        Some(s)
    };
    let shared: Vec<String> = read("xl/sharedStrings.xml")
        .map(|x| x.split("<si>").skip(1).map(texts).collect())
        .unwrap_or_default();
    let sheet = read("xl/worksheets/sheet1.xml").expect("a first worksheet");
    let body = sheet.split("<sheetData>").nth(1).unwrap_or("");
    body.split("<row ")
        .skip(1)
        .map(|row| {
            row.split("<c ")
                .skip(1)
                .map(|cell| {
                    let (attrs, inner) = cell.split_once('>').unwrap_or((cell, ""));
                    if attrs.contains("t=\"s\"") {
                        let i: usize = between(inner, "<v>", "</v>").parse().expect("index");
                        shared[i].clone()
                    } else if attrs.contains("t=\"inlineStr\"") {
                        texts(inner)
                    } else {
                        between(inner, "<v>", "</v>").to_string()
                    }
                })
                .collect()
        })
        .collect()
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> &'a str {
    s.split_once(open)
        .and_then(|(_, rest)| rest.split_once(close))
        .map_or("", |(v, _)| v)
}

/// The text of the `<t>` elements in `xml`, entities decoded.
fn texts(xml: &str) -> String {
    xml.split("<t")
        .skip(1)
        .filter_map(|t| {
            t.split_once('>')
                .map(|(_, r)| r.split("</t>").next().unwrap_or(""))
        })
        .collect::<String>()
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}
