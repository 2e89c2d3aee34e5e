//! The readers' pool: sqlx's pool, with the connections of finished statements kept at hand.
//!
//! Invariants:
//! - A statement run on `&Pool` takes a kept connection (the most recently used first) or one
//!   from sqlx's pool, and keeps it again only when the statement ran to its end; a statement
//!   that failed or was cancelled gives its connection back to sqlx, which tests it (and drops
//!   it when broken). sqlx tests every connection it gets back — a round trip per statement,
//!   to the SQLite connection's worker thread or to PostgreSQL — which is what keeping them
//!   saves.
//! - At most `kept` statements hold kept connections at once (a semaphore), fewer than sqlx's
//!   pool holds: `acquire` and `begin` (several statements, a transaction) take a kept
//!   connection or one of the rest, and give it back to sqlx when done, so they never wait for
//!   a kept one that no statement will give back.
//! - A connection kept longer than [`MAX_IDLE`] unused, or older than [`MAX_AGE`], goes back to
//!   sqlx instead of running a statement (sqlx tests it, closes it past its lifetime).

use futures_util::{StreamExt, TryStreamExt};
use sqlx::any::{AnyQueryResult, AnyRow};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Either, Executor, Transaction};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a kept connection may stay unused before it goes back to sqlx to be tested.
pub const MAX_IDLE: Duration = Duration::from_secs(60);
/// How old a kept connection may grow before it goes back to sqlx (which renews it).
pub const MAX_AGE: Duration = Duration::from_secs(30 * 60);

#[derive(Clone)]
pub struct Pool(Arc<Inner>);

struct Inner {
    pool: AnyPool,
    /// Whether finished statements keep their connections (`false` only to measure what
    /// keeping saves: every statement then gives its connection back to sqlx, as before).
    keep: bool,
    kept: Mutex<Vec<Kept>>,
    permits: Arc<Semaphore>,
    wait: Duration,
}

struct Kept {
    conn: PoolConnection<Any>,
    born: Instant,
    since: Instant,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("pool", &self.0.pool)
            .field("kept", &self.kept_now())
            .finish()
    }
}

impl Pool {
    /// Keeps up to `kept` connections of `pool` between statements (fewer than its maximum);
    /// a statement waits at most `wait` for one.
    pub fn new(pool: AnyPool, kept: usize, wait: Duration) -> Pool {
        Self::with(pool, true, kept, wait)
    }

    /// Keeps no connection: each statement takes one from sqlx's pool and gives it back (up to
    /// `connections` at once), as sqlx's own pool does.
    pub fn without_keeping(pool: AnyPool, connections: usize, wait: Duration) -> Pool {
        Self::with(pool, false, connections, wait)
    }

    fn with(pool: AnyPool, keep: bool, permits: usize, wait: Duration) -> Pool {
        Pool(Arc::new(Inner {
            pool,
            keep,
            kept: Mutex::new(Vec::new()),
            permits: Arc::new(Semaphore::new(permits)),
            wait,
        }))
    }

    /// sqlx's pool underneath (migrations take their connection from it).
    pub fn sqlx(&self) -> &AnyPool {
        &self.0.pool
    }

    /// How many connections are kept unused right now.
    pub fn kept_now(&self) -> usize {
        self.0.kept.lock().map(|k| k.len()).unwrap_or(0)
    }

    /// A connection for several statements; it goes back to sqlx (tested) when dropped.
    pub async fn acquire(&self) -> Result<PoolConnection<Any>, sqlx::Error> {
        match self.take_kept() {
            Some(k) => Ok(k.conn),
            None => self.0.pool.acquire().await,
        }
    }

    /// A transaction on a connection that goes back to sqlx when it ends.
    pub async fn begin(&self) -> Result<super::db::Tx<'static>, sqlx::Error> {
        Ok(Transaction::begin(self.acquire().await?, None)
            .await?
            .into())
    }

    /// A transaction opened with `statement` (`BEGIN IMMEDIATE`).
    pub async fn begin_with(
        &self,
        statement: &'static str,
    ) -> Result<super::db::Tx<'static>, sqlx::Error> {
        Ok(
            Transaction::begin(self.acquire().await?, Some(statement.into()))
                .await?
                .into(),
        )
    }

    /// Closes the pool: the kept connections and sqlx's.
    pub async fn close(&self) {
        if let Ok(mut kept) = self.0.kept.lock() {
            kept.clear();
        }
        self.0.pool.close().await;
    }

    /// The most recently used kept connection still fit to run a statement; the unfit ones go
    /// back to sqlx.
    fn take_kept(&self) -> Option<Kept> {
        let mut kept = self.0.kept.lock().ok()?;
        while let Some(k) = kept.pop() {
            if k.since.elapsed() < MAX_IDLE && k.born.elapsed() < MAX_AGE {
                return Some(k);
            }
        }
        None
    }

    async fn lease(&self) -> Result<Lease, sqlx::Error> {
        let permit = tokio::time::timeout(self.0.wait, self.0.permits.clone().acquire_owned())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)?
            .map_err(|_| sqlx::Error::PoolClosed)?;
        let (conn, born) = match self.take_kept() {
            Some(k) => (k.conn, k.born),
            None => {
                let conn = tokio::time::timeout(self.0.wait, self.0.pool.acquire())
                    .await
                    .map_err(|_| sqlx::Error::PoolTimedOut)??;
                (conn, Instant::now())
            }
        };
        Ok(Lease {
            conn: Some(conn),
            born,
            finished: false,
            home: self.0.clone(),
            _permit: permit,
        })
    }
}

/// One statement's connection: kept again when the statement ran to its end, else given back
/// to sqlx (dropped).
struct Lease {
    conn: Option<PoolConnection<Any>>,
    born: Instant,
    finished: bool,
    home: Arc<Inner>,
    _permit: OwnedSemaphorePermit,
}

impl Lease {
    fn conn(&mut self) -> &mut AnyConnection {
        self.conn
            .as_mut()
            .expect("a lease holds its connection until dropped")
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else { return };
        if self.finished
            && self.home.keep
            && let Ok(mut kept) = self.home.kept.lock()
        {
            kept.push(Kept {
                conn,
                born: self.born,
                since: Instant::now(),
            });
        }
        // Otherwise `conn` drops here: sqlx tests it and keeps or closes it. The permit goes
        // after the connection is back.
    }
}

impl<'p> Executor<'p> for &'_ Pool {
    type Database = Any;

    /// The statement's results, read to the end before the first is handed on (every
    /// repository reads whole results: `fetch_all`, `fetch_one`, `execute`).
    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> futures_util::stream::BoxStream<'e, Result<Either<AnyQueryResult, AnyRow>, sqlx::Error>>
    where
        E: 'q + sqlx::Execute<'q, Any>,
    {
        let pool = self.clone();
        futures_util::stream::once(async move {
            let mut lease = pool.lease().await?;
            let all: Vec<_> = lease.conn().fetch_many(query).try_collect().await?;
            lease.finished = true;
            Ok::<_, sqlx::Error>(futures_util::stream::iter(
                all.into_iter().map(Ok::<_, sqlx::Error>),
            ))
        })
        .try_flatten()
        .boxed()
    }

    fn fetch_optional<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> futures_util::future::BoxFuture<'e, Result<Option<AnyRow>, sqlx::Error>>
    where
        E: 'q + sqlx::Execute<'q, Any>,
    {
        let pool = self.clone();
        Box::pin(async move {
            let mut lease = pool.lease().await?;
            let row = lease.conn().fetch_optional(query).await?;
            lease.finished = true;
            Ok(row)
        })
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [sqlx::any::AnyTypeInfo],
    ) -> futures_util::future::BoxFuture<'e, Result<sqlx::any::AnyStatement<'q>, sqlx::Error>> {
        let pool = self.clone();
        Box::pin(async move {
            let mut lease = pool.lease().await?;
            let statement = lease.conn().prepare_with(sql, parameters).await?;
            lease.finished = true;
            Ok(statement)
        })
    }

    fn describe<'e, 'q: 'e>(
        self,
        sql: &'q str,
    ) -> futures_util::future::BoxFuture<'e, Result<sqlx::Describe<Any>, sqlx::Error>> {
        let pool = self.clone();
        Box::pin(async move {
            let mut lease = pool.lease().await?;
            let described = lease.conn().describe(sql).await?;
            lease.finished = true;
            Ok(described)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::any::AnyPoolOptions;

    async fn pool(dir: &tempfile::TempDir, max: u32, kept: usize) -> Pool {
        sqlx::any::install_default_drivers();
        let url = format!("sqlite://{}/p.db?mode=rwc", dir.path().display());
        let raw = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(5))
            .connect(&url)
            .await
            .unwrap();
        Pool::new(raw, kept, Duration::from_secs(5))
    }

    async fn one(pool: &Pool) -> i64 {
        sqlx::query_scalar("SELECT 1")
            .fetch_one(pool)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_finished_statement_keeps_its_connection_and_a_failed_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let pool = pool(&dir, 4, 2).await;
        assert_eq!(pool.kept_now(), 0);
        assert_eq!(one(&pool).await, 1);
        assert_eq!(pool.kept_now(), 1, "the statement's connection is kept");
        assert_eq!(one(&pool).await, 1);
        assert_eq!(
            pool.kept_now(),
            1,
            "the kept connection ran the next statement"
        );
        let rows: Vec<i64> = sqlx::query_scalar("SELECT 1 UNION ALL SELECT 2")
            .fetch_all(&pool)
            .await
            .unwrap();
        assert_eq!(rows, vec![1, 2]);
        assert!(sqlx::query("SELEC nonsense").execute(&pool).await.is_err());
        assert_eq!(
            pool.kept_now(),
            0,
            "a failed statement's connection goes back to sqlx"
        );
        assert_eq!(one(&pool).await, 1);
        assert_eq!(pool.kept_now(), 1);
    }

    #[tokio::test]
    async fn without_keeping_every_statement_gives_its_connection_back() {
        let dir = tempfile::tempdir().unwrap();
        let raw = pool(&dir, 4, 2).await.sqlx().clone();
        let pool = Pool::without_keeping(raw, 4, Duration::from_secs(5));
        assert_eq!(one(&pool).await, 1);
        assert_eq!(one(&pool).await, 1);
        assert_eq!(pool.kept_now(), 0);
    }

    #[tokio::test]
    async fn a_cancelled_statement_does_not_keep_its_connection() {
        let dir = tempfile::tempdir().unwrap();
        let pool = pool(&dir, 4, 2).await;
        one(&pool).await;
        // A statement that takes a while, dropped before it ends.
        let slow = sqlx::query_scalar::<_, i64>(
            "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3000000) \
             SELECT MAX(n) FROM c",
        )
        .fetch_one(&pool);
        assert!(
            tokio::time::timeout(Duration::from_millis(5), slow)
                .await
                .is_err()
        );
        assert_eq!(
            pool.kept_now(),
            0,
            "the cancelled statement's connection was not kept"
        );
        assert_eq!(one(&pool).await, 1);
    }

    #[tokio::test]
    async fn many_statements_at_once_neither_wait_for_kept_connections_nor_keep_more() {
        let dir = tempfile::tempdir().unwrap();
        let pool = pool(&dir, 3, 2).await;
        // Every kept connection idle, then held by statements: a transaction and a connection
        // for several statements still get one of the rest.
        let many = (0..64).map(|_| {
            let pool = pool.clone();
            tokio::spawn(async move { one(&pool).await })
        });
        for r in futures_util::future::join_all(many).await {
            assert_eq!(r.unwrap(), 1);
        }
        assert!(pool.kept_now() <= 2, "kept {}", pool.kept_now());
        let mut tx = pool.begin().await.unwrap();
        let mut conn = pool.acquire().await.unwrap();
        let n: i64 = sqlx::query_scalar("SELECT 2")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        let m: i64 = sqlx::query_scalar("SELECT 3")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!((n, m), (2, 3));
        assert_eq!(one(&pool).await, 1, "a statement runs beside them");
        tx.commit().await.unwrap();
        drop(conn);
        let again = (0..16).map(|_| {
            let pool = pool.clone();
            tokio::spawn(async move { one(&pool).await })
        });
        for r in futures_util::future::join_all(again).await {
            assert_eq!(r.unwrap(), 1);
        }
    }
}
