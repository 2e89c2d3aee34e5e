//! The database: SQLite (default, embedded) or PostgreSQL (scale-out), behind one `sqlx::Any`
//! pool so every repository function is written once.
//!
//! Portability rules the repositories follow: `$1` placeholders (SQLite accepts them), integer
//! money in fen as BIGINT, timestamps as BIGINT unix milliseconds, flags as BIGINT 0/1,
//! `CAST(SUM(..) AS BIGINT)` for sums (PostgreSQL's SUM of BIGINT is NUMERIC), `RETURNING id`.

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyPool, Transaction};
use std::time::Duration;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// The master key(s) that seal secrets stored in this database (access keys' SKs). They
    /// live outside the database: `PC_MASTER_KEY` or a key file (see `server::secrets`).
    pub keys: std::sync::Arc<super::secrets::Keyring>,
}

pub type Tx = Transaction<'static, Any>;

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
        let options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        let options = match backend {
            Backend::Sqlite => options
                .max_connections(8)
                .after_connect(|conn, _| Box::pin(sqlite_pragmas(conn))),
            Backend::Postgres => options.max_connections(16),
        };
        let keys = match key_file {
            Some(path) => super::secrets::Keyring::load_file(path)?,
            None => super::secrets::Keyring::load(backend, &url)?,
        };
        let pool = options
            .connect(&url)
            .await
            .map_err(|e| format!("cannot open database: {e}"))?;
        Ok(Db {
            pool,
            backend,
            keys: std::sync::Arc::new(keys),
        })
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
            .run(&self.pool)
            .await
            .map_err(|e| format!("migration failed: {e}"))
    }

    /// A write transaction. On SQLite it takes the write lock up front (`BEGIN IMMEDIATE`) so
    /// a read-then-write transaction cannot fail halfway on a lock upgrade.
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
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

/// Milliseconds since the epoch, the timestamp format of every table.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
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
}
