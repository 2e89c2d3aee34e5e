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
    // Two per core: a render also waits for its thread to be scheduled beside the async
    // workers, and one per core left the cores idle part of the time (fewer PDFs/s than without
    // a limit); two per core measured the same as no limit.
    Semaphore::new(2 * std::thread::available_parallelism().map_or(2, |n| n.get()))
});

/// Runs `f` on the blocking pool once `pool` gives it a turn.
pub async fn run<T: Send + 'static>(
    pool: &'static Semaphore,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    run_within(pool, WAIT, f).await
}

async fn run_within<T: Send + 'static>(
    pool: &Semaphore,
    wait: std::time::Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let _permit = match tokio::time::timeout(wait, pool.acquire()).await {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn work_is_bounded_and_a_full_pool_refuses_fast() {
        let pool: &'static Semaphore = Box::leak(Box::new(Semaphore::new(2)));
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..6 {
            let (running, peak) = (running.clone(), peak.clone());
            tasks.push(tokio::spawn(run_within(
                pool,
                Duration::from_secs(5),
                move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(30));
                    running.fetch_sub(1, Ordering::SeqCst);
                },
            )));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        assert_eq!(
            peak.load(Ordering::SeqCst),
            2,
            "never more than the permits at once"
        );
        // Both permits held: the next caller is refused after its wait, with a 503.
        let (a, b) = (pool.acquire().await.unwrap(), pool.acquire().await.unwrap());
        let t = std::time::Instant::now();
        let refused = run_within(pool, Duration::from_millis(50), || ()).await;
        assert_eq!(refused.unwrap_err().status(), 503);
        assert!(t.elapsed() < Duration::from_secs(1));
        drop((a, b));
        assert!(
            run_within(pool, Duration::from_millis(50), || ())
                .await
                .is_ok()
        );
    }
}
