//! Property test of the ledger through the real funds service and the real SQL, on both
//! backends: random sequences of operator funding, 拨款/回收 (allowed and foreign pairs),
//! designations and retries with an earlier transaction id. After every step the database must
//! hold the ledger invariants (`assert_ledger_sound`), and the step's effect must be exactly what
//! the balances read from the database just before it allow: an accepted transfer moves exactly
//! its amount from its payer to its payee and nothing else; a refused one (or a retry) moves
//! nothing.

use crate::common;

use common::{Backend, TestApp};
use partner_center::accounts::model::SessionUser;
use partner_center::domain::Amount;
use partner_center::funds::model::Direction;
use partner_center::funds::service::{self, Actor, Caller, Counterparty, Origin};
use partner_center::server::db::Db;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// The accounts: 0 the distributor, 1–2 its resellers, 3 reseller 1's resale customer,
/// 4 reseller 2's resale customer.
const ACCOUNTS: usize = 5;

#[derive(Debug, Clone)]
enum Op {
    /// Operator funding of partner account `0..=2`.
    Fund(usize, i64),
    /// `actor` (0–2) moves `fen` with counterparty `other` (1–4) in a direction.
    Adjust {
        actor: usize,
        other: usize,
        reclaim: bool,
        fen: i64,
    },
    /// The operator sets partner `0..=2`'s designated funds.
    Designate(usize, i64),
    /// The n-th earlier adjustment (modulo their count) is sent again with its transaction id.
    Retry(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => (0usize..3, 1i64..50_000).prop_map(|(a, f)| Op::Fund(a, f)),
        4 => (0usize..3, 1usize..5, any::<bool>(), 1i64..60_000).prop_map(|(actor, other, reclaim, fen)| Op::Adjust { actor, other, reclaim, fen }),
        1 => (0usize..3, 0i64..40_000).prop_map(|(a, f)| Op::Designate(a, f)),
        1 => (0usize..50).prop_map(Op::Retry),
    ]
}

struct World {
    db: Db,
    /// Partner ids of accounts 0–2, customer ids of 3–4.
    ids: [i64; ACCOUNTS],
    users: [SessionUser; 3],
}

/// (balance, designated) of every account, read from the database.
async fn balances(app: &TestApp, w: &World) -> [(i64, i64); ACCOUNTS] {
    let pool = app.db().await;
    let mut out = [(0, 0); ACCOUNTS];
    for (i, id) in w.ids.iter().enumerate() {
        let column = if i < 3 { "partner_id" } else { "customer_id" };
        let row: Option<(i64, i64)> = sqlx::query_as(&format!(
            "SELECT balance_fen, designated_fen FROM fund_accounts WHERE {column} = $1"
        ))
        .bind(id)
        .fetch_optional(&pool)
        .await
        .expect("balances");
        out[i] = row.unwrap_or((0, 0));
    }
    pool.close().await;
    out
}

/// Payer, payee, and whether the balances read before allow the transfer: `actor` moves money
/// only with its own reseller or resale customer, and the payer's available funds (balance −
/// designated) must cover it.
fn decide(
    before: &[(i64, i64); ACCOUNTS],
    actor: usize,
    other: usize,
    reclaim: bool,
    fen: i64,
) -> (usize, usize, bool) {
    let related = matches!((actor, other), (0, 1) | (0, 2) | (1, 3) | (2, 4));
    let (payer, payee) = if reclaim {
        (other, actor)
    } else {
        (actor, other)
    };
    (
        payer,
        payee,
        related && before[payer].0 - before[payer].1 >= fen,
    )
}

async fn world(app: &TestApp) -> World {
    let dist = app.partner("p-dist", "distributor", None);
    let r1 = app.partner("p-res1", "reseller", Some(dist));
    let r2 = app.partner("p-res2", "reseller", Some(dist));
    let c1 = app.customer(r1, "p-cust1", "resale");
    let c2 = app.customer(r2, "p-cust2", "resale");
    let db = Db::connect_with_key_file(&app.db_url, &app.master_key_file())
        .await
        .expect("connect");
    let mut users = Vec::new();
    for login in ["p-dist", "p-res1", "p-res2"] {
        let pool = app.db().await;
        let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE login = $1")
            .bind(login)
            .fetch_one(&pool)
            .await
            .expect("user");
        pool.close().await;
        users.push(
            partner_center::accounts::service::session_user(&db, id)
                .await
                .expect("session user")
                .expect("user exists"),
        );
    }
    World {
        db,
        ids: [dist, r1, r2, c1, c2],
        users: users.try_into().map_err(|_| ()).expect("three users"),
    }
}

async fn run_case(backend: Backend, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let Some(app) = TestApp::database(backend).await else {
        return Ok(());
    };
    let w = world(&app).await;
    let operator = Actor::cli();
    // Earlier adjustments: (actor, counterparty, direction, amount, trans_id, accepted).
    let mut sent: Vec<(usize, usize, bool, i64, String, bool)> = Vec::new();
    for (step, op) in ops.into_iter().enumerate() {
        let before = balances(&app, &w).await;
        let mut expected = before;
        match op {
            Op::Fund(a, fen) => {
                let r = service::fund_partner(
                    &w.db,
                    &operator,
                    w.ids[a],
                    Amount::from_fen(fen).unwrap(),
                    None,
                )
                .await;
                prop_assert!(r.is_ok(), "step {step}: funding refused: {r:?}");
                expected[a].0 += fen;
            }
            Op::Designate(a, fen) => {
                let r = service::set_designated(
                    &w.db,
                    &operator,
                    w.ids[a],
                    partner_center::domain::Money::from_fen(fen).unwrap(),
                )
                .await;
                let fits = fen <= before[a].0;
                prop_assert_eq!(
                    r.is_ok(),
                    fits,
                    "step {}: designate {} of {:?}: {:?}",
                    step,
                    fen,
                    before[a],
                    r
                );
                if fits {
                    expected[a].1 = fen;
                }
            }
            Op::Adjust {
                actor,
                other,
                reclaim,
                fen,
            } => {
                let trans_id = format!("s{step}");
                let accepted = adjust(&w, actor, other, reclaim, fen, &trans_id).await;
                let (payer, payee, allowed) = decide(&before, actor, other, reclaim, fen);
                prop_assert_eq!(
                    accepted.is_ok(),
                    allowed,
                    "step {}: {} → {} {} {} with {:?}: {:?}",
                    step,
                    actor,
                    other,
                    if reclaim { "reclaim" } else { "allocate" },
                    fen,
                    before,
                    accepted
                );
                if let Ok(replayed) = accepted {
                    prop_assert!(!replayed, "step {step}: a new transaction id was replayed");
                    expected[payer].0 -= fen;
                    expected[payee].0 += fen;
                }
                sent.push((actor, other, reclaim, fen, trans_id, accepted.is_ok()));
            }
            Op::Retry(n) => {
                if sent.is_empty() {
                    continue;
                }
                let (actor, other, reclaim, fen, trans_id, was_accepted) =
                    sent[n % sent.len()].clone();
                let again = adjust(&w, actor, other, reclaim, fen, &trans_id).await;
                // An accepted transfer answers again as a replay and moves nothing; a refused one
                // consumed nothing, so its retry is decided afresh on today's balances.
                if was_accepted {
                    prop_assert_eq!(
                        again.clone().ok(),
                        Some(true),
                        "step {}: retry of {}: {:?}",
                        step,
                        trans_id,
                        again
                    );
                } else {
                    let (payer, payee, allowed) = decide(&before, actor, other, reclaim, fen);
                    prop_assert_eq!(
                        again.is_ok(),
                        allowed,
                        "step {}: retry of refused {}: {:?}",
                        step,
                        trans_id,
                        again
                    );
                    if again.is_ok() {
                        expected[payer].0 -= fen;
                        expected[payee].0 += fen;
                        if let Some(s) = sent.iter_mut().find(|s| s.4 == trans_id) {
                            s.5 = true;
                        }
                    }
                }
            }
        }
        let after = balances(&app, &w).await;
        prop_assert_eq!(after, expected, "step {}: balances", step);
        app.assert_ledger_sound().await;
    }
    w.db.pool.close().await;
    Ok(())
}

/// One 拨款/回收 through the service; `Ok(replayed)` or the refusal.
async fn adjust(
    w: &World,
    actor: usize,
    other: usize,
    reclaim: bool,
    fen: i64,
    trans_id: &str,
) -> Result<bool, String> {
    let cp = if other < 3 {
        Counterparty::Reseller(w.ids[other])
    } else {
        Counterparty::Customer(w.ids[other])
    };
    let direction = if reclaim {
        Direction::Reclaim
    } else {
        Direction::Allocate
    };
    let cx = Caller::new(
        w.db.clone(),
        w.users[actor].clone(),
        &Origin::web("127.0.0.1"),
    );
    service::adjust(
        &cx,
        cp,
        direction,
        Amount::from_fen(fen).unwrap(),
        Some(trans_id.to_string()),
    )
    .await
    .map(|r| r.replayed)
    .map_err(|e| e.key().to_string())
}

fn property(backend: Backend) {
    if backend == Backend::Postgres && common::postgres_url().is_none() {
        common::skip("postgres", "TEST_POSTGRES_URL is not set");
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut runner = TestRunner::new(Config {
        cases: 8,
        max_shrink_iters: 64,
        ..Config::default()
    });
    let result = runner.run(&proptest::collection::vec(op(), 1..40), |ops| {
        rt.block_on(run_case(backend, ops))
    });
    if let Err(e) = result {
        panic!("{backend:?}: {e}");
    }
}

#[test]
fn random_operations_keep_the_ledger_exact_on_sqlite() {
    property(Backend::Sqlite);
}

#[test]
fn random_operations_keep_the_ledger_exact_on_postgres() {
    property(Backend::Postgres);
}
