//! The ledger under load and under failure: many concurrent 拨款/回收 on the same accounts (also
//! through two server processes sharing PostgreSQL), and a server killed with SIGKILL in the
//! middle of a stream of transfers.

use crate::common;

use common::{Backend, TestApp};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

const TASKS: usize = 32;
const RUN_FOR: Duration = Duration::from_secs(4);
/// The run goes on past `RUN_FOR` (up to `RUN_AT_MOST`) until this many transfers moved money,
/// so a slow machine still tests a real load instead of failing a count.
const MIN_MOVED: usize = 200;
const RUN_AT_MOST: Duration = Duration::from_secs(90);

/// One distributor, four resellers, one resale customer per reseller.
struct Setup {
    dist: i64,
    resellers: Vec<(i64, i64)>,
}

fn setup(app: &TestApp) -> Setup {
    let dist = app.partner("load-dist", "distributor", None);
    let resellers = (0..4)
        .map(|i| {
            let r = app.partner(&format!("load-res{i}"), "reseller", Some(dist));
            let c = app.customer(r, &format!("load-cust{i}"), "resale");
            (r, c)
        })
        .collect();
    app.fund(dist, "10000");
    Setup { dist, resellers }
}

/// Net effect of the acknowledged transfers on each account, keyed by ("p"|"c", id), in fen.
type Expected = Arc<Mutex<HashMap<(char, i64), i64>>>;

async fn hammer(app: &TestApp, bases: &[String]) {
    let s = setup(app);
    let dist_client = app.signed_in("load-dist").await;
    let mut reseller_clients = Vec::new();
    for i in 0..4 {
        reseller_clients.push(app.signed_in(&format!("load-res{i}")).await);
    }
    let expected: Expected = Arc::new(Mutex::new(HashMap::new()));
    expected.lock().await.insert(('p', s.dist), 1_000_000);
    let counts = Arc::new(Mutex::new(HashMap::<u16, usize>::new()));
    let started = Instant::now();
    let moved = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut handles = Vec::new();
    for task in 0..TASKS {
        let app_dist = dist_client.clone();
        let resellers = s.resellers.clone();
        let reseller_clients = reseller_clients.clone();
        let expected = expected.clone();
        let counts = counts.clone();
        let base = bases[task % bases.len()].clone();
        let dist = s.dist;
        let moved = moved.clone();
        handles.push(tokio::spawn(async move {
            let mut n = 0u64;
            let go_on = || {
                let t = started.elapsed();
                t < RUN_FOR
                    || (moved.load(std::sync::atomic::Ordering::Relaxed) < MIN_MOVED
                        && t < RUN_AT_MOST)
            };
            while go_on() {
                n += 1;
                let pick: usize = rand::random::<u32>() as usize % 4;
                let (r, c) = resellers[pick];
                let fen: i64 = 1 + i64::from(rand::random::<u32>() % 5_000);
                let amount = format!("{}.{:02}", fen / 100, fen % 100);
                let kind = rand::random::<u32>() % 4;
                // Every fourth request is sent twice with the same transaction id.
                let trans_id = format!("t{task}-{n}");
                let (client, target, id, direction, payer, payee) = match kind {
                    0 => (&app_dist, "Reseller", r, "Allocate", ('p', dist), ('p', r)),
                    1 => (&app_dist, "Reseller", r, "Reclaim", ('p', r), ('p', dist)),
                    2 => (
                        &reseller_clients[pick],
                        "Customer",
                        c,
                        "Allocate",
                        ('p', r),
                        ('c', c),
                    ),
                    _ => (
                        &reseller_clients[pick],
                        "Customer",
                        c,
                        "Reclaim",
                        ('c', c),
                        ('p', r),
                    ),
                };
                let send = || {
                    let id_s = id.to_string();
                    client
                        .post(format!("{base}/api/funds/adjust"))
                        .header("origin", base.clone())
                        .form(&[
                            ("target", target),
                            ("id", id_s.as_str()),
                            ("direction", direction),
                            ("amount", amount.as_str()),
                            ("trans_id", trans_id.as_str()),
                        ])
                        .send()
                };
                let res = send().await.expect("request");
                let status = res.status().as_u16();
                *counts.lock().await.entry(status).or_default() += 1;
                if status == 200 {
                    moved.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let mut e = expected.lock().await;
                    *e.entry(payer).or_default() -= fen;
                    *e.entry(payee).or_default() += fen;
                } else {
                    assert!(
                        status == 409 || status == 503,
                        "unexpected status {status}: {}",
                        res.text().await.unwrap_or_default()
                    );
                }
                if n.is_multiple_of(4) {
                    let again = send().await.expect("request");
                    let st = again.status().as_u16();
                    // A retry repeats an acknowledged transfer's answer (or is refused as busy) and never
                    // moves money again; a refused first attempt consumed nothing, so its retry may
                    // succeed, or be refused for the same reasons (409 insufficient, 503 busy).
                    if status == 200 {
                        assert!(
                            st == 200 || st == 503,
                            "retry of an acknowledged transfer gave {st}"
                        );
                    } else {
                        assert!(
                            matches!(st, 200 | 409 | 503),
                            "retry of a refused transfer gave {st}: {}",
                            again.text().await.unwrap_or_default()
                        );
                    }
                    if status != 200 && st == 200 {
                        let mut e = expected.lock().await;
                        *e.entry(payer).or_default() -= fen;
                        *e.entry(payee).or_default() += fen;
                    }
                }
            }
        }));
    }
    for h in handles {
        h.await.expect("task panicked");
    }
    let counts = counts.lock().await.clone();
    eprintln!("{:?} statuses: {counts:?}", app.backend);
    assert!(
        counts.get(&200).copied().unwrap_or(0) >= MIN_MOVED,
        "the load test must actually move money: {counts:?} in {:?}",
        started.elapsed()
    );

    app.assert_ledger_sound().await;
    for ((kind, id), fen) in expected.lock().await.iter() {
        let column = if *kind == 'p' {
            "partner_id"
        } else {
            "customer_id"
        };
        assert_eq!(
            app.balance_fen(column, *id).await,
            *fen,
            "{column} {id}: acknowledged transfers and stored balance differ"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_transfers_never_double_spend_or_lose_updates_on_sqlite() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("sqlite");
    hammer(&app, std::slice::from_ref(&app.base)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_transfers_never_double_spend_or_lose_updates_on_postgres() {
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    hammer(&app, std::slice::from_ref(&app.base)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_server_processes_sharing_postgres_keep_the_ledger_exact() {
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    let (second, _child) = app.another_server().await;
    hammer(&app, &[app.base.clone(), second]).await;
}

/// Streams transfers one after another, kills the server with SIGKILL mid-stream, restarts it
/// on the same database, and checks that every acknowledged transfer is there and no transfer is
/// half-written.
async fn crash_mid_stream(backend: Backend) {
    let Some(mut app) = TestApp::spawn(backend).await else {
        return;
    };
    let s = setup(&app);
    let client = app.signed_in("load-dist").await;
    let (r, _) = s.resellers[0];
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let base = app.base.clone();
    let stream = {
        let acked = acked.clone();
        let client = client.clone();
        let app_base = base.clone();
        tokio::spawn(async move {
            for n in 0.. {
                let trans_id = format!("crash-{n}");
                let direction = if n % 2 == 0 { "Allocate" } else { "Reclaim" };
                let res = client
                    .post(format!("{app_base}/api/funds/adjust"))
                    .header("origin", app_base.clone())
                    .form(&[
                        ("target", "Reseller"),
                        ("id", &r.to_string()),
                        ("direction", direction),
                        ("amount", "1.23"),
                        ("trans_id", &trans_id),
                    ])
                    .send()
                    .await;
                match res {
                    // Each transfer follows an acknowledged one that made it possible: the only
                    // answer a live server may give is 200.
                    Ok(r) => {
                        let status = r.status().as_u16();
                        if status != 200 {
                            let body = r.text().await.unwrap_or_default();
                            return Err(format!("{trans_id}: {status} {body}"));
                        }
                        acked.lock().await.push(trans_id);
                    }
                    // The kill: the connection is gone (the one request in flight may or may
                    // not have committed; it was not acknowledged).
                    Err(_) => return Ok(()),
                }
            }
            Ok(())
        })
    };
    // Kill once a good stream has been acknowledged (a condition, not a fixed delay).
    common::wait_for("40 acknowledged transfers", Duration::from_secs(60), || {
        let acked = acked.clone();
        async move { acked.lock().await.len() >= 40 }
    })
    .await;
    app.kill().await;
    let outcome = tokio::time::timeout(Duration::from_secs(10), stream)
        .await
        .expect("the stream ends when the server is killed")
        .expect("stream task");
    assert_eq!(outcome, Ok(()), "the stream got an answer other than 200");
    let acked = acked.lock().await.clone();

    app.start(&[]).await;
    let pool = app.db().await;
    for id in &acked {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM fund_transfers WHERE trans_id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(n, 1, "acknowledged transfer {id} was lost");
    }
    pool.close().await;
    app.assert_ledger_sound().await;
    // The restarted server works on the same ledger.
    let client = app.signed_in("load-dist").await;
    assert_eq!(
        app.adjust(&client, "Reseller", r, "Allocate", "1", "after-restart")
            .await
            .status(),
        200
    );
    app.assert_ledger_sound().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_loses_no_acknowledged_transfer_on_sqlite() {
    crash_mid_stream(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_loses_no_acknowledged_transfer_on_postgres() {
    crash_mid_stream(Backend::Postgres).await;
}
