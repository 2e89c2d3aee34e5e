//! The ledger write: every movement goes through `move_money` (or `transfer_in` inside another write), which writes the transfer, both entries and both balances in one transaction, idempotent per transaction id.

use super::*;
use crate::funds::FundsError;

/// One movement to make.
pub(super) struct Movement<'a> {
    /// Who owns the idempotency key.
    pub(super) scope: String,
    pub(super) trans_id: Option<String>,
    pub(super) operation: Operation,
    pub(super) from: Owner,
    pub(super) to: Owner,
    pub(super) amount: Amount,
    pub(super) actor: &'a Actor,
    /// The counterparty must (still) belong to this partner: checked inside the transaction
    /// that moves the money, so a concurrent disassociation cannot slip between check and move.
    pub(super) belongs_to: Option<(i64, PartnerKind, Counterparty)>,
}

pub(super) fn new_trans_id() -> String {
    crate::idempotency::new_key()
}

#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn move_money(db: &Db, m: Movement<'_>) -> Result<Receipt, AppError> {
    let trans_id = match &m.trans_id {
        Some(t) => model::parse_trans_id(t).map_err(AppError::invalid)?,
        None => new_trans_id(),
    };
    let request_hash = request_hash(&m);
    let (movement, id, hash) = (&m, trans_id.as_str(), request_hash.as_str());
    match db.write(|tx| Box::pin(apply(tx, movement, id, hash))).await {
        // Refused (e.g. insufficient funds) perhaps because a concurrent copy of this very
        // request committed after this attempt looked for it: then that copy's answer is
        // this one's.
        Err(AppError::Conflict(key)) if m.trans_id.is_some() => {
            let mut conn = db.pool.acquire().await?;
            match repo::find_transfer(&mut conn, &m.scope, &trans_id).await? {
                Some(prev) if prev.request_hash == request_hash => {
                    replayed(prev, &m, &trans_id, &request_hash)
                }
                _ => Err(AppError::Conflict(key)),
            }
        }
        other => other,
    }
}

/// A database error inside a movement: a conflicting writer, or a concurrent request that
/// inserted the same transaction id first, makes the write start again (and then replay that
/// request's answer); anything else is an error.
pub(super) fn raced(e: sqlx::Error) -> AppError {
    if is_busy(&e) || is_unique_violation(&e) {
        AppError::Busy
    } else {
        AppError::from(e)
    }
}

/// What makes two requests with the same transaction id the same request.
pub(super) fn request_hash(m: &Movement<'_>) -> String {
    format!(
        "{}|{}|{}|{}",
        m.operation.code(),
        m.from.key(),
        m.to.key(),
        m.amount.fen()
    )
}

/// Moves money inside the caller's transaction, so that another change (an order's state) commits
/// or rolls back with it. Idempotent per (`scope`, `trans_id`) like every transfer. A conflicting
/// write comes back as `AppError::Busy`: the caller rolls back and tries again.
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn transfer_in(
    tx: &mut Tx<'_>,
    operation: Operation,
    from: Owner,
    to: Owner,
    amount: Amount,
    scope: &Scope,
    trans_id: &str,
    actor: &Actor,
) -> Result<Receipt, AppError> {
    let m = Movement {
        scope: scope.to_string(),
        trans_id: Some(trans_id.to_string()),
        operation,
        from,
        to,
        amount,
        actor,
        belongs_to: None,
    };
    let trans_id = model::parse_trans_id(trans_id).map_err(AppError::invalid)?;
    apply(tx, &m, &trans_id, &request_hash(&m)).await
}

/// An account's balance after a movement, as the receipt shows it. The external account (where
/// funding comes from and payments go) has no balance to show: its running sum is below zero
/// by design, so it reads 0.00. Any other account below zero breaks the ledger's invariant: an
/// error, never shown as 0.00.
pub(super) fn balance_after(owner: Owner, fen: i64) -> Result<Money, AppError> {
    match (owner, Money::from_fen(fen)) {
        (Owner::External, _) => Ok(Money::ZERO),
        (_, Some(m)) => Ok(m),
        (_, None) => {
            tracing::error!(fen, owner = %owner.key(), "negative balance in the ledger");
            Err(AppError::Internal)
        }
    }
}

/// The answer to a request whose transaction id is already in the ledger: the same request is
/// answered as it was; another one with that id is refused.
pub(super) fn replayed(
    prev: repo::StoredTransfer,
    m: &Movement<'_>,
    trans_id: &str,
    request_hash: &str,
) -> Result<Receipt, AppError> {
    if prev.request_hash != request_hash {
        return Err(FundsError::TransIdReused.conflict());
    }
    Ok(Receipt {
        trans_id: trans_id.to_string(),
        operation: Operation::parse(&prev.operation).unwrap_or(m.operation),
        amount: prev.amount,
        from_balance_after: balance_after(m.from, prev.from_after)?,
        to_balance_after: balance_after(m.to, prev.to_after)?,
        created_at: prev.created_at,
        replayed: true,
    })
}

/// Tells whoever money was allocated to (拨款, or Huawei Cloud's funding) or reclaimed from
/// (回收), in the movement's transaction, with the amount and its balance after.
async fn tell_movement(
    tx: &mut Tx<'_>,
    m: &Movement<'_>,
    from_after: i64,
    to_after: i64,
    now: i64,
) -> Result<(), AppError> {
    use crate::messages::service::{To, params, send};
    let (kind, owner, after) = match m.operation {
        Operation::Fund | Operation::Adjust => ("funds.allocated", m.to, to_after),
        Operation::Retrieve => ("funds.reclaimed", m.from, from_after),
        _ => return Ok(()),
    };
    let (to, link) = match owner {
        Owner::Partner(p) => (To::Partner(p), "/center/sales/funds"),
        Owner::Customer(c) => (To::Customer(c), "/customer/billing"),
        Owner::External => return Ok(()),
    };
    let amount = m.amount.to_string();
    let balance = balance_after(owner, after)?.to_string();
    let p = params([("amount", amount.as_str()), ("balance", balance.as_str())]);
    send(&mut *tx, to, kind, &p, Some(link), now).await
}

pub(super) async fn apply(
    tx: &mut Tx<'_>,
    m: &Movement<'_>,
    trans_id: &str,
    request_hash: &str,
) -> Result<Receipt, AppError> {
    if let Some(prev) = repo::find_transfer(tx, &m.scope, trans_id)
        .await
        .map_err(raced)?
    {
        return replayed(prev, m, trans_id, request_hash);
    }
    if let Some((partner, kind, cp)) = m.belongs_to {
        hold_counterparty(tx, partner, kind, cp).await?;
    }
    let reclaim = matches!(m.operation, Operation::Retrieve | Operation::Unbind);
    let short = || -> AppError {
        if reclaim {
            FundsError::ReclaimExceeds.into()
        } else {
            FundsError::Insufficient.into()
        }
    };
    let fen = m.amount.fen();
    // The debit refuses what the payer's available balance does not cover (as `check_debit`
    // would); both rows are locked in one order for every movement (see `Owner::lock_rank`).
    let (from, to) = if m.from.lock_rank() < m.to.lock_rank() {
        let Some(f) = repo::debit(tx, m.from, fen).await.map_err(raced)? else {
            return Err(short());
        };
        (f, repo::credit(tx, m.to, fen).await.map_err(raced)?)
    } else {
        let t = repo::credit(tx, m.to, fen).await.map_err(raced)?;
        let Some(f) = repo::debit(tx, m.from, fen).await.map_err(raced)? else {
            return Err(short());
        };
        (f, t)
    };
    let now = now_ms();
    let t = NewTransfer {
        scope: &m.scope,
        trans_id,
        request_hash,
        operation: m.operation,
        from: from.id,
        to: to.id,
        fen,
        actor_user_id: m.actor.user_id,
        actor: &m.actor.name,
        ip: m.actor.ip(),
        now,
    };
    let transfer = repo::insert_transfer(tx, &t).await.map_err(raced)?;
    repo::insert_entries(tx, transfer, &from, &to, fen, now)
        .await
        .map_err(raced)?;
    let action = format!("funds.{}", m.operation.code());
    let target = format!("{}->{}", m.from.key(), m.to.key());
    let detail = format!("amount={} trans_id={trans_id}", m.amount);
    let target = crate::accounts::audit::Target::Named(&target);
    m.actor.record(tx, &action, target, &detail, now).await?;
    let (from_after, to_after) = (from.balance_fen, to.balance_fen);
    tell_movement(tx, m, from_after, to_after, now).await?;
    for (owner, moved) in [(m.from, &from), (m.to, &to)] {
        if let Owner::Partner(partner) = owner {
            watch_moved(tx, partner, moved, now).await?;
        }
    }
    Ok(Receipt {
        trans_id: trans_id.to_string(),
        operation: m.operation,
        amount: m.amount.money(),
        from_balance_after: balance_after(m.from, from_after)?,
        to_balance_after: balance_after(m.to, to_after)?,
        created_at: now,
        replayed: false,
    })
}
