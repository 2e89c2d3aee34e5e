//! The server's background work: each job runs on its own interval for as long as the server
//! does, logs a failure and tries again on its next tick. Every job is safe to run in several
//! processes at once (they share the database): each is a set of conditional writes through
//! the one write path, so a second process finds nothing left to do.

use super::db::Db;
use crate::notify::service::{Mailer, OutboxOnly, dispatch_forever};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

type Run = fn(Db) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

/// One periodic job.
struct Job {
    name: &'static str,
    every: Duration,
    run: Run,
}

/// The periodic jobs.
const JOBS: &[Job] = &[
    // Expired sessions and old sign-in failures.
    Job {
        name: "housekeeping",
        every: Duration::from_secs(300),
        run: |db| Box::pin(housekeeping(db)),
    },
    // Coupon expiries (过期回收), so balances return to their quotas even while nobody looks
    // at the vouchers.
    Job {
        name: "expire-vouchers",
        every: Duration::from_secs(60),
        run: |db| {
            Box::pin(async move {
                crate::vouchers::service::expire_due(&db)
                    .await
                    .map(|_| ())
                    .map_err(|e| format!("{e:?}"))
            })
        },
    },
];

/// Starts every periodic job and the outbox's dispatcher (email through `mailer` when one is
/// configured; otherwise messages stay in the outbox).
pub fn start(db: &Db, mailer: Option<Mailer>) {
    for job in JOBS {
        tokio::spawn(every(db.clone(), job));
    }
    tokio::spawn(dispatch_forever(db.clone(), mailer, Arc::new(OutboxOnly)));
}

async fn every(db: Db, job: &'static Job) {
    let mut tick = tokio::time::interval(job.every);
    loop {
        tick.tick().await;
        if let Err(e) = (job.run)(db.clone()).await {
            tracing::warn!(job = job.name, error = %e, "background job failed");
        }
    }
}

async fn housekeeping(db: Db) -> Result<(), String> {
    let store = super::session::DbSessionStore::new(db.clone());
    store
        .delete_expired()
        .await
        .map_err(|e| format!("expired sessions: {e}"))?;
    crate::accounts::service::prune_failures(&db)
        .await
        .map_err(|e| format!("sign-in failures: {e:?}"))
}
