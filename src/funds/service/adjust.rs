//! What partners and operators do with money: 拨款/回收 and their previews, 批量拨款, operator funding, designated funds.

use super::*;
use crate::accounts::audit::Caller;
use crate::funds::FundsError;

/// The idempotency scope of a partner's own operations.
pub(super) fn scope(partner: i64) -> String {
    Scope::Partner(partner).to_string()
}

/// Who is on the other side of a 拨款/回收, checked to belong to the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counterparty {
    Reseller(i64),
    Customer(i64),
}

/// Resolves the counterparty for this partner: its name and owner, or why not.
pub(super) async fn counterparty<'e>(
    ex: impl sqlx::Executor<'e, Database = sqlx::Any>,
    partner: i64,
    kind: PartnerKind,
    cp: Counterparty,
) -> Result<(String, Owner), AppError> {
    match cp {
        Counterparty::Reseller(id) => {
            if kind != PartnerKind::Distributor {
                return Err(FundsError::DistributorOnly.conflict());
            }
            let name = repo::reseller_name(ex, partner, id)
                .await?
                .ok_or_else(|| FundsError::NotYourReseller.conflict())?;
            Ok((name, Owner::Partner(id)))
        }
        Counterparty::Customer(id) => {
            let (name, mode) = repo::customer_of(ex, partner, id)
                .await?
                .ok_or_else(|| FundsError::NotYourCustomer.conflict())?;
            if mode != "resale" {
                return Err(FundsError::ConsultingCustomer.conflict());
            }
            Ok((name, Owner::Customer(id)))
        }
    }
}

/// Inside the money's transaction: the counterparty still belongs to the partner, and its row
/// is locked until the transaction ends, so a disassociation either happens before (and the
/// move is refused) or waits for the move (and then takes the moved money back with the rest).
pub(super) async fn hold_counterparty(
    tx: &mut Tx<'_>,
    partner: i64,
    kind: PartnerKind,
    cp: Counterparty,
) -> Result<(), AppError> {
    match cp {
        Counterparty::Reseller(id) => {
            if kind != PartnerKind::Distributor {
                return Err(FundsError::DistributorOnly.conflict());
            }
            if !repo::hold_reseller(tx, partner, id).await? {
                return Err(FundsError::NotYourReseller.conflict());
            }
        }
        Counterparty::Customer(id) => match repo::hold_customer(tx, partner, id).await? {
            None => return Err(FundsError::NotYourCustomer.conflict()),
            Some(mode) if mode != "resale" => {
                return Err(FundsError::ConsultingCustomer.conflict());
            }
            Some(_) => {}
        },
    }
    Ok(())
}

/// 拨款 or 回收 between the signed-in partner and one of its resellers or resale customers.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn adjust(
    cx: &Caller,
    cp: Counterparty,
    direction: Direction,
    amount: Amount,
    trans_id: Option<String>,
) -> Result<Receipt, AppError> {
    let Caller { db, user, .. } = cx;
    let (partner, kind) = user.as_partner().map(|p| (p.id, p.kind))?;
    let (_, other) = counterparty(&db.pool, partner, kind, cp).await?;
    let me = Owner::Partner(partner);
    let (from, to, operation) = match direction {
        Direction::Allocate => (me, other, Operation::Adjust),
        Direction::Reclaim => (other, me, Operation::Retrieve),
    };
    let actor = cx.actor.clone();
    let receipt = move_money(
        db,
        Movement {
            scope: scope(partner),
            trans_id,
            operation,
            from,
            to,
            amount,
            actor: &actor,
            belongs_to: Some((partner, kind, cp)),
        },
    )
    .await?;
    Ok(receipt)
}

/// What a 拨款/回收 would do, for the confirmation step (是否确定调整). Moves nothing.
pub async fn preview(
    cx: &Caller,
    cp: Counterparty,
    direction: Direction,
    amount: Amount,
) -> Result<Preview, AppError> {
    let Caller { db, user, .. } = cx;
    let (partner, kind) = user.as_partner().map(|p| (p.id, p.kind))?;
    let (name, other) = counterparty(&db.pool, partner, kind, cp).await?;
    let mine = repo::balances(&db.pool, Owner::Partner(partner)).await?;
    let theirs = repo::balances(&db.pool, other).await?;
    let (payer, reclaim) = match direction {
        Direction::Allocate => (&mine, false),
        Direction::Reclaim => (&theirs, true),
    };
    model::check_debit(payer, amount.money(), reclaim).map_err(FundsError::conflict)?;
    let a = amount.money();
    let overflow = || AppError::invalid("error.amount.too_large");
    let (my_after, their_after) = match direction {
        Direction::Allocate => (
            mine.balance.checked_sub(a).ok_or_else(overflow)?,
            theirs.balance.checked_add(a).ok_or_else(overflow)?,
        ),
        Direction::Reclaim => (
            mine.balance.checked_add(a).ok_or_else(overflow)?,
            theirs.balance.checked_sub(a).ok_or_else(overflow)?,
        ),
    };
    Ok(Preview {
        direction,
        counterparty: name,
        amount: a,
        my_before: mine.balance,
        my_after,
        their_before: theirs.balance,
        their_after,
        trans_id: new_trans_id(),
        needs_approval: false,
    })
}

/// Checks a 批量拨款 before anything moves: every customer is the caller's own resale customer
/// and the total fits in the available balance. Returns the customers' names and the total.
pub(super) async fn check_bulk(
    db: &Db,
    user: &SessionUser,
    customers: &[i64],
    charged: usize,
    amount: Amount,
) -> Result<(Vec<(i64, String)>, Money, Balances), AppError> {
    let (partner, kind) = user.as_partner().map(|p| (p.id, p.kind))?;
    let mut names = Vec::new();
    for id in customers {
        let (name, _) = counterparty(&db.pool, partner, kind, Counterparty::Customer(*id)).await?;
        names.push((*id, name));
    }
    let total_fen = i64::try_from(charged)
        .ok()
        .and_then(|n| amount.fen().checked_mul(n))
        .ok_or_else(|| AppError::invalid("error.amount.too_large"))?;
    let total =
        Money::from_fen(total_fen).ok_or_else(|| AppError::invalid("error.amount.too_large"))?;
    let mine = repo::balances(&db.pool, Owner::Partner(partner)).await?;
    model::check_debit(&mine, total, false).map_err(FundsError::conflict)?;
    Ok((names, total, mine))
}

pub async fn bulk_preview(
    cx: &Caller,
    customers: &[i64],
    amount: Amount,
) -> Result<model::BulkPreview, AppError> {
    let Caller { db, user, .. } = cx;
    let (customers, total, mine) = check_bulk(db, user, customers, customers.len(), amount).await?;
    Ok(model::BulkPreview {
        customers,
        amount: amount.money(),
        total,
        my_before: mine.balance,
        my_after: mine.balance.checked_sub(total).unwrap_or(Money::ZERO),
        trans_id: new_trans_id(),
    })
}

/// 批量拨款: the same amount to each selected resale customer. Everything is checked before the
/// first transfer; each transfer then has the id `<trans_id>-<customer>`, so if one is refused
/// (a concurrent payment used the balance) submitting the same confirmation again completes the
/// rest without paying anyone twice.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn bulk_allocate(
    cx: &Caller,
    customers: &[i64],
    amount: Amount,
    trans_id: &str,
) -> Result<Vec<Receipt>, AppError> {
    let Caller { db, user, .. } = cx;
    let base = model::parse_trans_id(trans_id).map_err(AppError::invalid)?;
    if base.len() > 40 {
        return Err(FundsError::TransId.invalid());
    }
    let partner = user.as_partner()?.id;
    // Transfers of this batch already made by an earlier submission are not charged again.
    let mut pending = 0;
    {
        let mut conn = db.pool.acquire().await?;
        for id in customers {
            let done =
                repo::find_transfer(&mut conn, &scope(partner), &format!("{base}-{id}")).await?;
            if done.is_none() {
                pending += 1;
            }
        }
    }
    check_bulk(db, user, customers, pending, amount).await?;
    let mut receipts = Vec::new();
    for id in customers {
        let r = adjust(
            cx,
            Counterparty::Customer(*id),
            Direction::Allocate,
            amount,
            Some(format!("{base}-{id}")),
        )
        .await?;
        receipts.push(r);
    }
    Ok(receipts)
}

/// Operator funding: money entering a partner's account from outside.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn fund_partner(
    db: &Db,
    actor: &Actor,
    partner: i64,
    amount: Amount,
    trans_id: Option<String>,
) -> Result<Receipt, AppError> {
    if repo::partner_name(&db.pool, partner).await?.is_none() {
        return Err(AppError::invalid("error.partner.not_found"));
    }
    move_money(
        db,
        Movement {
            // Each operator (or the CLI) has its own idempotency space: one operator's
            // transaction id can neither replay nor block another's.
            scope: Scope::Operator(match actor.user_id {
                Some(id) => OperatorKey::User(id),
                None => OperatorKey::Name(actor.name.clone()),
            })
            .to_string(),
            trans_id,
            operation: Operation::Fund,
            from: Owner::External,
            to: Owner::Partner(partner),
            amount,
            actor,
            belongs_to: None,
        },
    )
    .await
}

/// What operator funding would do, for the confirmation step (above `threshold` it will wait
/// for a second operator). Moves nothing.
pub async fn fund_preview(
    db: &Db,
    partner: i64,
    amount: Amount,
    threshold: Amount,
) -> Result<Preview, AppError> {
    let name = repo::partner_name(&db.pool, partner)
        .await?
        .ok_or_else(|| AppError::invalid("error.partner.not_found"))?;
    let theirs = repo::balances(&db.pool, Owner::Partner(partner)).await?;
    let after = theirs
        .balance
        .checked_add(amount.money())
        .ok_or_else(|| AppError::invalid("error.amount.too_large"))?;
    Ok(Preview {
        direction: Direction::Allocate,
        counterparty: name,
        amount: amount.money(),
        my_before: Money::ZERO,
        my_after: Money::ZERO,
        their_before: theirs.balance,
        their_after: after,
        trans_id: new_trans_id(),
        needs_approval: amount.fen() > threshold.fen(),
    })
}

/// Sets a partner's designated funds (专款专用); they must fit in its balance.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_designated(
    db: &Db,
    actor: &Actor,
    partner: i64,
    amount: Money,
) -> Result<(), AppError> {
    if repo::partner_name(&db.pool, partner).await?.is_none() {
        return Err(AppError::invalid("error.partner.not_found"));
    }
    db.write(|tx| {
        Box::pin(async move {
            let account = repo::account_id(&mut *tx, Owner::Partner(partner)).await?;
            if !repo::set_designated(&mut *tx, account, amount.fen()).await? {
                return Err(FundsError::DesignatedExceeds.conflict());
            }
            let detail = format!("designated={amount}");
            let target = crate::accounts::audit::Target::Partner(partner);
            let now = now_ms();
            actor
                .record(tx, "funds.designate", target, &detail, now)
                .await?;
            watch_balance(tx, partner, now).await
        })
    })
    .await
}
