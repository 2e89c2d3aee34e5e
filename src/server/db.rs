//! The database: SQLite (default, embedded) or PostgreSQL (scale-out), behind one `sqlx::Any`
//! pool so every repository function is written once.
//!
//! Portability rules the repositories follow: `$1` placeholders (SQLite accepts them), integer
//! money in fen as BIGINT, timestamps as BIGINT unix milliseconds, flags as BIGINT 0/1,
//! `CAST(SUM(..) AS BIGINT)` for sums (PostgreSQL's SUM of BIGINT is NUMERIC), `RETURNING id`.

use crate::error::AppError;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Executor, Transaction};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub use super::pool::Pool;

#[derive(Clone, Debug)]
pub struct Db {
    /// The readers (and PostgreSQL's writers): sqlx's pool with finished statements'
    /// connections kept at hand (see `server::pool`).
    pub pool: Pool,
    pub backend: Backend,
    /// The master key(s) that seal secrets stored in this database (access keys' SKs). They
    /// live outside the database: `PC_MASTER_KEY` or a key file (see `server::secrets`).
    pub keys: Arc<super::secrets::Keyring>,
    /// SQLite admits one writer at a time: this process's writers queue in order for their
    /// turn (see [`Writer`]) instead of sleeping in SQLite's busy handler. PostgreSQL has none.
    writer: Option<Arc<Writer>>,
}

/// SQLite's writers: one dedicated connection, and a fair queue for it (first come, first
/// served). A writer takes the connection out of `slot`, runs `BEGIN IMMEDIATE`, its work and
/// `COMMIT` (or `ROLLBACK`) on it, and puts it back before the next writer's turn: only one
/// transaction is ever open on it, so `BEGIN IMMEDIATE` never waits in SQLite's busy handler
/// (other processes on the same file still meet the busy timeout). The connection stays open
/// with its prepared statements and its page cache, and waiting writers hold no reader's
/// connection. It is not handed back to sqlx between writes, which would test it (a round trip
/// to its worker thread) before the next writer could begin; a connection whose transaction
/// did not end cleanly is closed instead (closing rolls back) and sqlx opens another.
#[derive(Debug)]
struct Writer {
    slot: tokio::sync::Mutex<Option<PoolConnection<Any>>>,
    /// Where the connection comes from (a pool of one): the first time, and after a close.
    connections: AnyPool,
}

/// A transaction (see [`Db::write`]); it derefs to its connection, so repositories take
/// `&mut **tx` (or `tx` where they take `&mut AnyConnection`). `'c` is how long it may borrow
/// its connection (`'static` for a pooled one). Dropped before its end, it rolls back.
pub struct Tx<'c>(Open<'c>);

enum Open<'c> {
    /// sqlx's transaction: PostgreSQL's, and SQLite's reads (and writes without the queue).
    Sqlx(Transaction<'c, Any>),
    /// SQLite's writer connection inside `BEGIN IMMEDIATE` (`None` once ended).
    Writer(Option<PoolConnection<Any>>),
}

impl<'c> From<Transaction<'c, Any>> for Tx<'c> {
    fn from(tx: Transaction<'c, Any>) -> Self {
        Tx(Open::Sqlx(tx))
    }
}

impl Tx<'_> {
    /// Opens the writer's transaction on `conn`. Should it fail or be cancelled, `conn` is
    /// closed (see `Drop`): whether `BEGIN` ran is then unknown.
    async fn writer(conn: PoolConnection<Any>) -> Result<Tx<'static>, sqlx::Error> {
        let mut tx = Tx(Open::Writer(Some(conn)));
        tx.execute("BEGIN IMMEDIATE").await?;
        Ok(tx)
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.finish(true).await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.finish(false).await
    }

    async fn finish(mut self, commit: bool) -> Result<(), sqlx::Error> {
        match std::mem::replace(&mut self.0, Open::Writer(None)) {
            Open::Sqlx(tx) if commit => tx.commit().await,
            Open::Sqlx(tx) => tx.rollback().await,
            writer => {
                self.0 = writer;
                let statement = if commit { "COMMIT" } else { "ROLLBACK" };
                self.end(statement).await.map(drop)
            }
        }
    }

    /// Ends the writer's transaction with `statement` (`COMMIT` or `ROLLBACK`) and gives its
    /// connection back for the next writer. The connection stays in the transaction while the
    /// statement runs, so that if the task is cancelled meanwhile it is closed (see `Drop`);
    /// when the statement fails, the transaction is rolled back (tried once) and the connection
    /// left to be closed rather than lent again.
    async fn end(&mut self, statement: &'static str) -> Result<PoolConnection<Any>, sqlx::Error> {
        assert!(
            matches!(self.0, Open::Writer(Some(_))),
            "only an open writer's transaction ends here"
        );
        if let Err(e) = (**self).execute(statement).await {
            if statement != "ROLLBACK" {
                let _ = (**self).execute("ROLLBACK").await;
            }
            return Err(e);
        }
        match &mut self.0 {
            Open::Writer(conn) => Ok(conn.take().expect("checked above")),
            Open::Sqlx(_) => unreachable!("checked above"),
        }
    }
}

impl Drop for Tx<'_> {
    /// A writer's transaction dropped before its end (its task was cancelled, or its end
    /// failed): the connection is closed, which rolls back; sqlx's transactions roll back by
    /// themselves.
    fn drop(&mut self) {
        if let Open::Writer(Some(conn)) = &mut self.0 {
            conn.close_on_drop();
        }
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        match &self.0 {
            Open::Sqlx(tx) => tx,
            Open::Writer(conn) => conn
                .as_ref()
                .expect("an open transaction has its connection"),
        }
    }
}

impl std::ops::DerefMut for Tx<'_> {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match &mut self.0 {
            Open::Sqlx(tx) => tx,
            Open::Writer(conn) => conn
                .as_mut()
                .expect("an open transaction has its connection"),
        }
    }
}

/// What a write does inside its transaction (see [`Db::write`]).
pub type WriteFuture<'t, T> = Pin<Box<dyn Future<Output = Result<T, AppError>> + Send + 't>>;

/// Attempts before a write that keeps meeting conflicting writers is refused with
/// CBC.99007461 (`AppError::Busy`).
pub const MAX_ATTEMPTS: u32 = 8;

tokio::task_local! {
    /// Set while a task is inside [`Db::write`]: a write cannot open another (it would wait for
    /// itself on SQLite).
    static WRITING: ();
}

impl Db {
    /// Connects, creating the SQLite file (and its directory) when missing. The master key comes
    /// from the environment or the default key file (see `server::secrets`).
    pub async fn connect(url: &str) -> Result<Db, String> {
        Self::open(url, None).await
    }

    /// Connects with the master key in `key_file` (created when missing), whatever the
    /// environment says: for a program that embeds the services beside a running server.
    pub async fn connect_with_key_file(
        url: &str,
        key_file: &std::path::Path,
    ) -> Result<Db, String> {
        Self::open(url, Some(key_file)).await
    }

    async fn open(url: &str, key_file: Option<&std::path::Path>) -> Result<Db, String> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err("DATABASE_URL must start with sqlite: or postgres:".into());
        };
        let url = match backend {
            Backend::Sqlite => sqlite_url_with_create(url)?,
            Backend::Postgres => url.to_string(),
        };
        // No ping before each acquire (sqlx's default): it is a round trip per statement — to
        // the connection's worker thread on SQLite, to the server on PostgreSQL — and what it
        // guards against (a connection that died while idle) shows as that statement's error,
        // after which the pool drops the connection (and sqlx closes idle ones after 10 min).
        let options = AnyPoolOptions::new()
            .acquire_timeout(Duration::from_secs(10))
            .test_before_acquire(false);
        let sqlite = |options: AnyPoolOptions, connections| {
            options
                .max_connections(connections)
                .after_connect(|conn, _| Box::pin(sqlite_pragmas(conn)))
        };
        // Statements keep up to `kept` connections between them; the rest serve transactions
        // and connections held for several statements.
        let (options, connections, kept) = match backend {
            Backend::Sqlite => (sqlite(options, 8), 8, 6),
            Backend::Postgres => (options.max_connections(16), 16, 12),
        };
        let keys = match key_file {
            Some(path) => super::secrets::Keyring::load_file(path)?,
            None => super::secrets::Keyring::load(backend, &url)?,
        };
        let pool = options
            .connect(&url)
            .await
            .map_err(|e| format!("cannot open database: {e}"))?;
        let writer = if backend == Backend::Sqlite && !write_queue_disabled() {
            let options = AnyPoolOptions::new()
                .acquire_timeout(Duration::from_secs(60))
                .test_before_acquire(false);
            let background = !switched_off("PC_SQLITE_CHECKPOINTER");
            let connections = options
                .max_connections(1)
                .after_connect(move |conn, _| Box::pin(writer_pragmas(conn, background)))
                .connect_lazy(&url)
                .map_err(|e| format!("cannot open database: {e}"))?;
            if background {
                tokio::spawn(checkpoints(pool.clone()));
            }
            Some(Arc::new(Writer {
                slot: tokio::sync::Mutex::new(None),
                connections,
            }))
        } else {
            None
        };
        Ok(Db {
            pool: if switched_off("PC_DB_KEEP_CONNECTIONS") {
                Pool::without_keeping(pool, connections, Duration::from_secs(10))
            } else {
                Pool::new(pool, kept, Duration::from_secs(10))
            },
            backend,
            keys: Arc::new(keys),
            writer,
        })
    }

    /// The same database with other master keys (while they are being rotated).
    pub fn with_keys(self, keys: super::secrets::Keyring) -> Db {
        Db {
            keys: Arc::new(keys),
            ..self
        }
    }

    /// The database's clock, in unix milliseconds: one clock for every process sharing the
    /// database, for rules where skewed process clocks would open a hole (the replay window).
    pub async fn clock_ms(&self) -> Result<i64, sqlx::Error> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT CAST(ROUND((julianday('now') - 2440587.5) * 86400000.0) AS BIGINT)"
            }
            Backend::Postgres => {
                "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"
            }
        };
        sqlx::query_scalar(sql).fetch_one(&self.pool).await
    }

    pub async fn migrate(&self) -> Result<(), String> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(self.pool.sqlx())
            .await
            .map_err(|e| format!("migration failed: {e}"))
    }

    /// The one write path. Runs `work` in a write transaction and commits what it did, or
    /// rolls everything back when it fails. A conflicting writer (SQLite busy, PostgreSQL
    /// serialization failure or deadlock, or `work` itself answering `AppError::Busy` because
    /// what it read changed) makes it start again from a fresh transaction, a bounded number of
    /// times with a growing, jittered pause; after that it answers `AppError::Busy`. So `work`
    /// must be a function of what it reads in `tx`: it may run more than once, and only the
    /// last run's writes remain.
    ///
    /// ```ignore
    /// db.write(|tx| Box::pin(async move {
    ///     repo::change(&mut **tx, id).await?;
    ///     audit::record(tx, &entry).await
    /// })).await
    /// ```
    pub async fn write<'a, T, F>(&'a self, mut work: F) -> Result<T, AppError>
    where
        T: Send,
        F: for<'t> FnMut(&'t mut Tx<'a>) -> WriteFuture<'t, T> + Send,
    {
        if WRITING.try_with(|_| ()).is_ok() {
            tracing::error!("a write was opened inside another write");
            return Err(AppError::Internal);
        }
        WRITING
            .scope((), async move {
                for attempt in 0..MAX_ATTEMPTS {
                    match self.write_once(&mut work).await {
                        Err(AppError::Busy) => backoff(attempt).await,
                        other => return other,
                    }
                }
                tracing::warn!("write refused after {MAX_ATTEMPTS} conflicting attempts");
                Err(AppError::Busy)
            })
            .await
    }

    async fn write_once<'a, T, F>(&'a self, work: &mut F) -> Result<T, AppError>
    where
        F: for<'t> FnMut(&'t mut Tx<'a>) -> WriteFuture<'t, T>,
    {
        let writer = match (self.backend, &self.writer) {
            (Backend::Sqlite, Some(writer)) => writer,
            (Backend::Sqlite, None) => {
                return run(self.pool.begin_with("BEGIN IMMEDIATE").await?, work).await;
            }
            (Backend::Postgres, _) => return run(self.pool.begin().await?, work).await,
        };
        // The turn: waiting writers queue here, in order.
        let mut slot = tokio::time::timeout(Duration::from_secs(60), writer.slot.lock())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)?;
        let conn = match slot.take() {
            Some(conn) => conn,
            None => writer.connections.acquire().await?,
        };
        let mut tx = Tx::writer(conn).await?;
        let done = work(&mut tx).await;
        let ended = tx
            .end(if done.is_ok() { "COMMIT" } else { "ROLLBACK" })
            .await;
        match (done, ended) {
            (done, Ok(conn)) => {
                *slot = Some(conn);
                done
            }
            (Err(refused), Err(e)) => {
                tracing::warn!(error = %e, "rollback failed");
                Err(refused)
            }
            (Ok(_), Err(e)) => Err(e.into()),
        }
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

/// A write's work in a sqlx transaction: committed when it succeeds, rolled back when not.
async fn run<'a, T, F>(mut tx: Tx<'a>, work: &mut F) -> Result<T, AppError>
where
    F: for<'t> FnMut(&'t mut Tx<'a>) -> WriteFuture<'t, T>,
{
    let value = work(&mut tx).await?;
    tx.commit().await?;
    Ok(value)
}

/// WAL lets readers proceed while one writer commits; the busy timeout turns lock contention
/// into waiting instead of an immediate error; foreign keys are off by default in SQLite.
async fn sqlite_pragmas(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    use sqlx::Executor;
    conn.execute(
        "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
         PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;",
    )
    .await?;
    Ok(())
}

/// The writer's connection: the same, and when checkpoints run in the background
/// ([`checkpoints`]) no checkpoint of its own after a commit.
async fn writer_pragmas(conn: &mut AnyConnection, background: bool) -> Result<(), sqlx::Error> {
    sqlite_pragmas(conn).await?;
    if background {
        conn.execute("PRAGMA wal_autocheckpoint = 0").await?;
    }
    Ok(())
}

/// How often the background checkpointer runs.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// SQLite's checkpoints (copying committed pages from the write-ahead log into the database
/// file, with its syncs), off the writers' path: by default the transaction whose commit takes
/// the log past 1 000 pages runs one before it answers, a pause of milliseconds for it and every
/// writer queued behind it. Here a reader's connection runs a passive checkpoint (it never
/// blocks the writer or readers) every [`CHECKPOINT_EVERY`] while the process lives, and the
/// writer's connection runs none (`PRAGMA wal_autocheckpoint = 0`). Other processes on the same
/// file keep SQLite's default, and the last connection to close checkpoints what is left.
/// `PC_SQLITE_CHECKPOINTER=off` restores the default, only for measuring.
async fn checkpoints(pool: AnyPool) {
    let mut every = tokio::time::interval(CHECKPOINT_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if pool.is_closed() {
            return;
        }
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            tracing::warn!(error = %e, "checkpoint failed");
        }
    }
}

fn sqlite_url_with_create(url: &str) -> Result<String, String> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Err("an in-memory SQLite database cannot be shared; give a file path".into());
    }
    if let Some(dir) = std::path::Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    Ok(if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

/// Whether an error means "try again later" rather than a bug: SQLite busy/locked, or a
/// PostgreSQL serialization failure or deadlock.
pub fn is_busy(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            matches!(code.as_ref(), "5" | "6" | "517" | "261" | "40001" | "40P01")
        }
        sqlx::Error::PoolTimedOut => true,
        _ => false,
    }
}

/// Whether an error is a unique-constraint violation (so the caller can say what is taken).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => db.is_unique_violation(),
        _ => false,
    }
}

/// `PC_SQLITE_WRITE_QUEUE=off` leaves SQLite writers to its busy handler alone, as before the
/// queue existed: only for measuring what the queue does (`scripts/bench-transfers`).
fn write_queue_disabled() -> bool {
    switched_off("PC_SQLITE_WRITE_QUEUE")
}

/// Whether the environment variable `name` is `off`: the switches that turn an optimisation
/// off, only for measuring what it does (`PC_DB_KEEP_CONNECTIONS=off`: statements give their
/// connections back to sqlx, see `server::pool`).
fn switched_off(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "off")
}

/// A pause before attempt `attempt + 1`: growing, with jitter, so colliding writers spread out.
async fn backoff(attempt: u32) {
    let jitter: u64 = rand::random::<u64>() % 20;
    tokio::time::sleep(Duration::from_millis(5 * u64::from(attempt + 1) + jitter)).await;
}

/// How far the clock of this process reads behind the real one (ms): 0, except while
/// `seed-demo` writes its history ([`set_clock_back`]).
static CLOCK_BACK_MS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

/// Milliseconds since the epoch, the timestamp format of every table.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis() - CLOCK_BACK_MS.load(std::sync::atomic::Ordering::Relaxed)
}

/// Sets this process's clock `ms` behind the real one (0: the real one again). Only the demo
/// seeding calls it (`server::history`), in its own short-lived process before anything else
/// runs, so its rows carry the times of the history they tell; a server never does.
pub fn set_clock_back(ms: i64) {
    CLOCK_BACK_MS.store(ms.max(0), std::sync::atomic::Ordering::Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_get_create_mode() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/x/y.db", dir.path().display());
        assert!(
            sqlite_url_with_create(&url)
                .unwrap()
                .ends_with("y.db?mode=rwc")
        );
        assert!(dir.path().join("x").is_dir());
        assert!(sqlite_url_with_create("sqlite::memory:").is_err());
    }

    async fn temp_db(dir: &tempfile::TempDir) -> Db {
        let url = format!("sqlite://{}/t.db", dir.path().display());
        let db = Db::connect_with_key_file(&url, &dir.path().join("k"))
            .await
            .unwrap();
        sqlx::query("CREATE TABLE counter (n BIGINT NOT NULL)")
            .execute(&db.pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO counter (n) VALUES (0)")
            .execute(&db.pool)
            .await
            .unwrap();
        db
    }

    async fn count(db: &Db) -> i64 {
        sqlx::query_scalar("SELECT n FROM counter")
            .fetch_one(&db.pool)
            .await
            .unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_writes_all_land_once() {
        let dir = tempfile::tempdir().unwrap();
        let db = temp_db(&dir).await;
        let mut tasks = Vec::new();
        for _ in 0..32 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                db.write(|tx| {
                    Box::pin(async move {
                        // Read, then write what was read: lost updates would show in the sum.
                        let n: i64 = sqlx::query_scalar("SELECT n FROM counter")
                            .fetch_one(&mut **tx)
                            .await?;
                        sqlx::query("UPDATE counter SET n = $1")
                            .bind(n + 1)
                            .execute(&mut **tx)
                            .await?;
                        Ok(())
                    })
                })
                .await
            }));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        assert_eq!(count(&db).await, 32);
    }

    async fn add_one(db: &Db) -> Result<(), AppError> {
        db.write(|tx| {
            Box::pin(async move {
                sqlx::query("UPDATE counter SET n = n + 1")
                    .execute(&mut **tx)
                    .await?;
                tokio::task::yield_now().await;
                Ok(())
            })
        })
        .await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn writes_cancelled_anywhere_leave_the_writer_usable() {
        let dir = tempfile::tempdir().unwrap();
        let db = temp_db(&dir).await;
        let (mut done, mut cut) = (0, 0);
        // Each write is polled `steps` times (yielding in between, while SQLite's worker thread
        // answers or not) and then dropped unfinished: before the turn, during BEGIN, the work,
        // or COMMIT. Polled once, a write is always unfinished (it waits at least for BEGIN).
        for i in 0..300usize {
            let steps = i % 16;
            let mut write = Box::pin(add_one(&db));
            let mut finished = None;
            for _ in 0..=steps {
                let step =
                    std::future::poll_fn(|cx| std::task::Poll::Ready(write.as_mut().poll(cx)))
                        .await;
                if let std::task::Poll::Ready(r) = step {
                    finished = Some(r);
                    break;
                }
                tokio::task::yield_now().await;
            }
            match finished {
                Some(r) => {
                    r.unwrap();
                    done += 1;
                }
                None => cut += 1,
            }
        }
        assert!(cut > 0, "some writes were cancelled");
        for _ in 0..20 {
            add_one(&db)
                .await
                .expect("the writer is usable after cancellations");
        }
        let n = count(&db).await;
        // A write cancelled while its COMMIT ran may have committed; none counts twice.
        assert!(
            (done + 20..=done + cut + 20).contains(&n),
            "{done} {cut} {n}"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn committed_pages_reach_the_database_file_without_a_writer_checkpointing() {
        let dir = tempfile::tempdir().unwrap();
        let db = temp_db(&dir).await;
        let file = dir.path().join("t.db");
        let size = || std::fs::metadata(&file).unwrap().len();
        // Let the checkpointer copy what creating the table wrote, then measure.
        tokio::time::sleep(CHECKPOINT_EVERY * 3).await;
        let before = size();
        db.write(|tx| {
            Box::pin(async move {
                // ~400 KiB, far below the 1 000 pages after which a writer would checkpoint.
                sqlx::query("CREATE TABLE blob (b BLOB)")
                    .execute(&mut **tx)
                    .await?;
                sqlx::query("INSERT INTO blob VALUES (zeroblob(400000))")
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            })
        })
        .await
        .unwrap();
        assert!(size() < before + 400_000, "the commit went to the log only");
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while size() < before + 400_000 {
            assert!(
                std::time::Instant::now() < deadline,
                "no checkpoint within 5 s"
            );
            tokio::time::sleep(CHECKPOINT_EVERY / 5).await;
        }
        let autocheckpoint: i64 = {
            let mut slot = db.writer.as_ref().unwrap().slot.lock().await;
            let conn = slot
                .as_mut()
                .expect("the writer's connection waits in its slot");
            sqlx::query_scalar("PRAGMA wal_autocheckpoint")
                .fetch_one(&mut **conn)
                .await
                .unwrap()
        };
        assert_eq!(
            autocheckpoint, 0,
            "the writer leaves checkpoints to the background"
        );
    }

    #[tokio::test]
    async fn a_failed_write_leaves_nothing_and_a_nested_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let db = temp_db(&dir).await;
        let refused = db
            .write(|tx| {
                Box::pin(async move {
                    sqlx::query("UPDATE counter SET n = 7")
                        .execute(&mut **tx)
                        .await?;
                    Err::<(), _>(crate::funds::FundsError::Insufficient.conflict())
                })
            })
            .await;
        assert_eq!(
            refused,
            Err(crate::funds::FundsError::Insufficient.conflict())
        );
        assert_eq!(count(&db).await, 0, "a refused write changes nothing");
        let inner = &db;
        let nested = db
            .write(|tx| {
                Box::pin(async move {
                    sqlx::query("UPDATE counter SET n = 9")
                        .execute(&mut **tx)
                        .await?;
                    inner.write(|_| Box::pin(async { Ok(()) })).await
                })
            })
            .await;
        assert_eq!(nested, Err(AppError::Internal));
        assert_eq!(count(&db).await, 0, "the outer write rolled back too");
        let busy = std::sync::atomic::AtomicU32::new(0);
        let gave_up = db
            .write(|_| {
                busy.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Box::pin(async { Err::<(), _>(AppError::Busy) })
            })
            .await;
        assert_eq!(gave_up, Err(AppError::Busy));
        assert_eq!(busy.into_inner(), MAX_ATTEMPTS, "bounded retries");
    }
}
