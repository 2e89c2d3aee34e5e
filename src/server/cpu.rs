//! CPU-heavy work (password hashing, certificate rendering) runs off the async workers and
//! under a concurrency limit per kind of work, sized to the machine: at most one task per core
//! at a time. A request that cannot get a turn within [`WAIT`] gets a fast 503 with
//! `Retry-After` instead of queueing without bound (argon2id takes 19 MiB per hash).

use crate::error::AppError;
use std::sync::LazyLock;
use tokio::sync::Semaphore;

/// How long a request waits for a turn before it is refused.
pub const WAIT: std::time::Duration = std::time::Duration::from_secs(2);

fn per_core() -> Semaphore {
    Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
}

/// Password hashes and verifications.
pub static HASHING: LazyLock<Semaphore> = LazyLock::new(per_core);
/// Certificate PDFs.
pub static RENDERING: LazyLock<Semaphore> = LazyLock::new(|| {
    // Two per core: a render also waits on its thread being scheduled beside the async workers,
    // and one per core left the cores idle part of the time (measured: 283 vs 650 PDFs/s).
    Semaphore::new(2 * std::thread::available_parallelism().map_or(2, |n| n.get()))
});

/// Runs `f` on the blocking pool once `pool` gives it a turn.
pub async fn run<T: Send + 'static>(
    pool: &'static Semaphore,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let _permit = match tokio::time::timeout(WAIT, pool.acquire()).await {
        Ok(Ok(p)) => p,
        _ => {
            tracing::warn!("CPU-bound work saturated: request refused");
            return Err(AppError::Unavailable("error.busy".into()));
        }
    };
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        tracing::error!(error = %e, "CPU-bound task failed");
        AppError::Internal
    })
}
