//! The scheduler: the product's periodic work, run inside `serve` by every server process and
//! once by `partner-center jobs run-once` (for cron, and for tests that choose the instant).
//!
//! Invariants:
//! - A job runs only while its process holds the job's lease: a conditional update of its row
//!   in `job_leases` (free, or lapsed), through the one write path. N processes on one database
//!   never run the same job at once; a killed process's lease lapses after [`LEASE_MS`] and the
//!   next process takes the job over.
//! - Each job is idempotent besides: every piece of work is a conditional write on the state it
//!   read (an HO still pending, a certification still active, a notice not yet recorded), so
//!   running it twice, or after a lapsed lease, does nothing twice.
//! - "Now" is passed in: `serve` uses the clock, `jobs run-once --at` any instant, and every job
//!   decides only from that instant, so tests move the clock instead of sleeping.
//! - Work is done in batches of [`BATCH`] items per transaction, so a backlog never holds the
//!   SQLite writer for long.
//! - What a job does is audited as the `system` actor (channel `system`).

use super::db::{Db, Tx, WriteFuture, now_ms};
use crate::accounts::audit::Actor;
use crate::error::AppError;
use crate::notify::service::{Delivery, dispatch_forever};
use crate::paths::service as paths;
use crate::query_fn;
use serde_json::{Value, json};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// Items one transaction of a job handles at most.
pub const BATCH: i64 = 100;
/// How long a claimed job stays claimed if its process dies.
pub const LEASE_MS: i64 = 5 * 60 * 1000;
/// How long an order may wait for payment before it is cancelled, by default.
pub const UNPAID_ORDER_DAYS: i64 = 7;

/// What the jobs may be told by the operator of the server.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Unpaid orders (待支付, 待伙伴支付) are cancelled this long after they were placed.
    pub unpaid_order_ms: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            unpaid_order_ms: UNPAID_ORDER_DAYS * crate::domain::DAY_MS,
        }
    }
}

/// What one job run gets: the database, the instant, the settings and who acts.
pub struct Run {
    pub db: Db,
    pub now: i64,
    pub settings: Settings,
    pub actor: Actor,
}

type Work = for<'r> fn(&'r Run) -> Pin<Box<dyn Future<Output = Result<u64, AppError>> + Send + 'r>>;

/// One periodic job.
struct Job {
    name: &'static str,
    every: Duration,
    work: Work,
}

/// The periodic jobs, in the order `run-once` runs them.
const JOBS: &[Job] = &[
    // Expired sessions, old sign-in failures, used or expired account links, and the tokens of
    // offline invitation links at their end.
    Job {
        name: "housekeeping",
        every: Duration::from_secs(300),
        work: |r| Box::pin(housekeeping(&r.db, r.now)),
    },
    // Coupon holders are told 3 days before expiry; coupons expire (过期回收: the balance
    // returns to its quota) and quotas lapse at their end.
    Job {
        name: "vouchers",
        every: Duration::from_secs(60),
        work: |r| Box::pin(vouchers(r)),
    },
    // Path certifications end at their validity (a role takes its differentiation with it).
    Job {
        name: "certifications",
        every: Duration::from_secs(300),
        work: |r| Box::pin(paths::expire_certifications(&r.db, &r.actor, r.now)),
    },
    // Annual review windows: notices when one opens, 7 days and 1 day before it closes, and
    // the stages of partners that never submitted withdrawn after it closes.
    Job {
        name: "review-windows",
        every: Duration::from_secs(300),
        work: |r| Box::pin(paths::review_windows(&r.db, &r.actor, r.now)),
    },
    // HOs: a reminder one business day before the deadline; at the deadline taken back.
    Job {
        name: "opportunities",
        every: Duration::from_secs(60),
        work: |r| Box::pin(opportunities(r)),
    },
    // Orders left unpaid are cancelled.
    Job {
        name: "orders",
        every: Duration::from_secs(300),
        work: |r| {
            Box::pin(crate::orders::service::cancel_unpaid(
                &r.db,
                &r.actor,
                r.now,
                r.settings.unpaid_order_ms,
            ))
        },
    },
];

/// The jobs' names.
pub fn names() -> Vec<&'static str> {
    JOBS.iter().map(|j| j.name).collect()
}

query_fn! {
    fn ensure(conn, name: &str) -> done =
        query("INSERT INTO job_leases (name) VALUES ($1) ON CONFLICT (name) DO NOTHING");

    /// Takes the lease when it is free or lapsed (and, with `due_only`, the job is due).
    fn claim(conn, name: &str, holder: &str, now: i64, until: i64, due_only: i64) -> changed =
        query("UPDATE job_leases SET holder = $2, lease_until = $4 \
             WHERE name = $1 AND lease_until <= $3 AND ($5 = 0 OR next_at <= $3)");

    /// Gives the lease back, if it is still ours, with the outcome and when the job is due again.
    fn finish(conn, name: &str, holder: &str, now: i64, next_at: i64, error: &str) -> changed =
        query("UPDATE job_leases SET holder = '', lease_until = 0, last_run_at = $3, next_at = $4, \
               last_error = $5 WHERE name = $1 AND holder = $2");
}

/// A name for this process in the leases it holds.
fn holder() -> String {
    format!("{}-{:08x}", std::process::id(), rand::random::<u32>())
}

async fn take(
    db: &Db,
    job: &Job,
    holder: &str,
    now: i64,
    due_only: bool,
) -> Result<bool, AppError> {
    let name = job.name;
    db.write(|tx: &mut Tx<'_>| {
        Box::pin(async move {
            ensure(&mut *tx, name).await?;
            Ok(claim(
                &mut *tx,
                name,
                holder,
                now,
                now + LEASE_MS,
                i64::from(due_only),
            )
            .await?)
        })
    })
    .await
}

async fn give_back(
    db: &Db,
    job: &Job,
    holder: &str,
    now: i64,
    error: &str,
) -> Result<bool, AppError> {
    // Due again a little before the next tick, so a tick never just misses it.
    let (name, next) = (job.name, now + job.every.as_millis() as i64 * 9 / 10);
    db.write(|tx| {
        Box::pin(async move { Ok(finish(&mut *tx, name, holder, now, next, error).await?) })
    })
    .await
}

/// Runs `step` in write transactions until a batch finds fewer than [`BATCH`] items: what a job
/// does with a backlog. Returns how many items were changed.
pub async fn drain<'a, F>(db: &'a Db, mut step: F) -> Result<u64, AppError>
where
    F: for<'t> FnMut(&'t mut Tx<'a>) -> WriteFuture<'t, Batch> + Send,
{
    let mut total = 0;
    loop {
        let batch = db.write(&mut step).await?;
        total += batch.done;
        if batch.found < BATCH as usize {
            return Ok(total);
        }
    }
}

/// What one batch of a job found due and how many of those it changed (another process may
/// have changed the rest first).
#[derive(Debug, Clone, Copy, Default)]
pub struct Batch {
    pub found: usize,
    pub done: u64,
}

impl Batch {
    pub fn new(found: usize, done: u64) -> Batch {
        Batch { found, done }
    }
}

/// How `jobs run-once` runs.
#[derive(Debug, Clone, Default)]
pub struct Once {
    /// The instant the jobs run at (default: now).
    pub at: Option<i64>,
    /// Only these jobs (default: all).
    pub only: Vec<String>,
    /// Holds each lease this long before working (to test what other processes see).
    pub hold: Option<Duration>,
    pub settings: Settings,
}

/// Runs every job (or the chosen ones) once at `once.at`, each under its lease: a job whose
/// lease another process holds is skipped. The report: what each job changed, which were
/// skipped, which failed and why.
pub async fn run_once(db: &Db, once: &Once) -> Result<Value, AppError> {
    for name in &once.only {
        if !JOBS.iter().any(|j| j.name == name) {
            return Err(AppError::invalid("error.jobs.unknown"));
        }
    }
    let now = once.at.unwrap_or_else(now_ms);
    let holder = holder();
    let run = Run {
        db: db.clone(),
        now,
        settings: once.settings,
        actor: Actor::system(),
    };
    let (mut ran, mut skipped, mut failed) = (json!({}), Vec::new(), json!({}));
    for job in JOBS
        .iter()
        .filter(|j| once.only.is_empty() || once.only.iter().any(|o| o == j.name))
    {
        if !take(db, job, &holder, now, false).await? {
            skipped.push(job.name);
            continue;
        }
        if let Some(hold) = once.hold {
            tokio::time::sleep(hold).await;
        }
        let outcome = (job.work)(&run).await;
        let error = outcome
            .as_ref()
            .err()
            .map(|e| format!("{e:?}"))
            .unwrap_or_default();
        give_back(db, job, &holder, now, &error).await?;
        match outcome {
            Ok(n) => ran[job.name] = json!(n),
            Err(_) => failed[job.name] = json!(error),
        }
    }
    Ok(json!({
        "at": crate::domain::format_time(now),
        "at_ms": now,
        "ran": ran,
        "skipped": skipped,
        "failed": failed,
    }))
}

/// Starts every periodic job (unless `jobs` is `None`: this process runs none) and the outbox's
/// dispatcher (email and SMS, each through its gateway when configured; otherwise they wait in
/// the outbox).
pub fn start(db: &Db, delivery: Delivery, jobs: Option<Settings>) {
    if let Some(settings) = jobs {
        let holder: Arc<str> = holder().into();
        for job in JOBS {
            tokio::spawn(every(db.clone(), job, settings, holder.clone()));
        }
    }
    tokio::spawn(dispatch_forever(db.clone(), delivery));
}

async fn every(db: Db, job: &'static Job, settings: Settings, holder: Arc<str>) {
    let mut tick = tokio::time::interval(job.every);
    loop {
        tick.tick().await;
        let now = now_ms();
        match take(&db, job, &holder, now, true).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => {
                tracing::warn!(job = job.name, error = ?e, "could not claim a job");
                continue;
            }
        }
        let run = Run {
            db: db.clone(),
            now,
            settings,
            actor: Actor::system(),
        };
        let outcome = (job.work)(&run).await;
        let error = match &outcome {
            Ok(n) => {
                if *n > 0 {
                    tracing::info!(job = job.name, changed = n, "job ran");
                }
                String::new()
            }
            Err(e) => {
                tracing::warn!(job = job.name, error = ?e, "job failed");
                format!("{e:?}")
            }
        };
        if let Err(e) = give_back(&db, job, &holder, now, &error).await {
            tracing::warn!(job = job.name, error = ?e, "could not give a job's lease back");
        }
    }
}

async fn vouchers(r: &Run) -> Result<u64, AppError> {
    use crate::vouchers::service as v;
    let told = v::notice_expiring(&r.db, r.now).await?;
    let coupons = v::expire_due(&r.db, r.now).await?;
    Ok(told + coupons + v::lapse_quotas(&r.db, &r.actor, r.now).await?)
}

async fn opportunities(r: &Run) -> Result<u64, AppError> {
    use crate::pce::service as pce;
    let reminded = pce::remind_due(&r.db, &r.actor, r.now).await?;
    Ok(reminded + pce::expire_due(&r.db, &r.actor, None, r.now).await?)
}

async fn housekeeping(db: &Db, now: i64) -> Result<u64, AppError> {
    let store = super::session::DbSessionStore::new(db.clone());
    let sessions = store.delete_expired().await?;
    crate::accounts::service::prune_failures(db).await?;
    let links = crate::accounts::links::purge(db, now).await?;
    let invitations = crate::customers::service::forget_dead_links(db, now).await?;
    Ok(sessions + links + invitations)
}
