//! Money movements: every one goes through [`move_money`], which writes the transfer, both
//! entries and both balances in one transaction, is idempotent per transaction id, and retries
//! conflicting writes a bounded number of times.

use super::model::{
    self, AdjustRecord, Balances, Direction, FundedParty, Operation, Preview, Receipt,
};
use super::repo::{self, ListFilter, NewTransfer, Owner, RecordFilter};
use crate::accounts::model::SessionUser;
use crate::domain::{Amount, Money, Page, PageRequest, PartnerKind};
use crate::error::AppError;
use crate::idempotency::{OperatorKey, Scope};
use crate::server::db::{Db, Tx, is_busy, is_unique_violation, now_ms};

/// Who moves money, for the ledger and the audit trail.
pub use crate::accounts::audit::{Actor, Origin};

/// One movement to make.
struct Movement<'a> {
    /// Who owns the idempotency key.
    scope: String,
    trans_id: Option<String>,
    operation: Operation,
    from: Owner,
    to: Owner,
    amount: Amount,
    actor: &'a Actor,
    /// The counterparty must (still) belong to this partner: checked inside the transaction
    /// that moves the money, so a concurrent disassociation cannot slip between check and move.
    belongs_to: Option<(i64, PartnerKind, Counterparty)>,
}

fn new_trans_id() -> String {
    crate::idempotency::new_key()
}

#[tracing::instrument(level = "debug", skip_all)]
async fn move_money(db: &Db, m: Movement<'_>) -> Result<Receipt, AppError> {
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
fn raced(e: sqlx::Error) -> AppError {
    if is_busy(&e) || is_unique_violation(&e) {
        AppError::Busy
    } else {
        AppError::from(e)
    }
}

/// What makes two requests with the same transaction id the same request.
fn request_hash(m: &Movement<'_>) -> String {
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
fn balance_after(owner: Owner, fen: i64) -> Result<Money, AppError> {
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
fn replayed(
    prev: repo::StoredTransfer,
    m: &Movement<'_>,
    trans_id: &str,
    request_hash: &str,
) -> Result<Receipt, AppError> {
    if prev.request_hash != request_hash {
        return Err(AppError::conflict("error.funds.trans_id_reused"));
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

async fn apply(
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
    if m.from != Owner::External {
        let payer = repo::balances(&mut **tx, m.from).await.map_err(raced)?;
        model::check_debit(&payer, m.amount.money(), reclaim).map_err(AppError::conflict)?;
    }
    let from = repo::account_id(tx, m.from).await.map_err(raced)?;
    let to = repo::account_id(tx, m.to).await.map_err(raced)?;
    let fen = m.amount.fen();
    // Rows are locked in id order so two opposite transfers cannot deadlock.
    let (from_after, to_after) = if from < to {
        let Some(f) = repo::debit(tx, from, fen).await.map_err(raced)? else {
            return Err(AppError::conflict(if reclaim {
                model::RECLAIM_EXCEEDS
            } else {
                model::INSUFFICIENT
            }));
        };
        (f, repo::credit(tx, to, fen).await.map_err(raced)?)
    } else {
        let t = repo::credit(tx, to, fen).await.map_err(raced)?;
        let Some(f) = repo::debit(tx, from, fen).await.map_err(raced)? else {
            return Err(AppError::conflict(if reclaim {
                model::RECLAIM_EXCEEDS
            } else {
                model::INSUFFICIENT
            }));
        };
        (f, t)
    };
    let now = now_ms();
    let t = NewTransfer {
        scope: &m.scope,
        trans_id,
        request_hash,
        operation: m.operation,
        from,
        to,
        fen,
        actor_user_id: m.actor.user_id,
        actor: &m.actor.name,
        ip: m.actor.ip(),
        now,
    };
    let transfer = repo::insert_transfer(tx, &t).await.map_err(raced)?;
    repo::insert_entry(tx, transfer, from, -fen, from_after, now)
        .await
        .map_err(raced)?;
    repo::insert_entry(tx, transfer, to, fen, to_after, now)
        .await
        .map_err(raced)?;
    let action = format!("funds.{}", m.operation.code());
    let target = format!("{}->{}", m.from.key(), m.to.key());
    let detail = format!("amount={} trans_id={trans_id}", m.amount);
    let entry = crate::accounts::audit::AuditEntry {
        actor: m.actor,
        action: &action,
        target: &target,
        detail: &detail,
    };
    crate::accounts::audit::audit(&mut **tx, entry, now)
        .await
        .map_err(raced)?;
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

/// The partner a signed-in partner user acts for, and its kind.
fn partner_of(user: &SessionUser) -> Result<(i64, PartnerKind), AppError> {
    user.partner
        .as_ref()
        .map(|p| (p.id, p.kind))
        .ok_or(AppError::Forbidden)
}

fn scope(partner: i64) -> String {
    Scope::Partner(partner).to_string()
}

/// Who is on the other side of a 拨款/回收, checked to belong to the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counterparty {
    Reseller(i64),
    Customer(i64),
}

/// Resolves the counterparty for this partner: its name and owner, or why not.
async fn counterparty<'e>(
    ex: impl sqlx::Executor<'e, Database = sqlx::Any>,
    partner: i64,
    kind: PartnerKind,
    cp: Counterparty,
) -> Result<(String, Owner), AppError> {
    match cp {
        Counterparty::Reseller(id) => {
            if kind != PartnerKind::Distributor {
                return Err(AppError::conflict("error.funds.distributor_only"));
            }
            let name = repo::reseller_name(ex, partner, id)
                .await?
                .ok_or_else(|| AppError::conflict("error.funds.not_your_reseller"))?;
            Ok((name, Owner::Partner(id)))
        }
        Counterparty::Customer(id) => {
            let (name, mode) = repo::customer_of(ex, partner, id)
                .await?
                .ok_or_else(|| AppError::conflict("error.funds.not_your_customer"))?;
            if mode != "resale" {
                return Err(AppError::conflict("error.funds.consulting_customer"));
            }
            Ok((name, Owner::Customer(id)))
        }
    }
}

/// Inside the money's transaction: the counterparty still belongs to the partner, and its row
/// is locked until the transaction ends, so a disassociation either happens before (and the
/// move is refused) or waits for the move (and then takes the moved money back with the rest).
async fn hold_counterparty(
    tx: &mut Tx<'_>,
    partner: i64,
    kind: PartnerKind,
    cp: Counterparty,
) -> Result<(), AppError> {
    match cp {
        Counterparty::Reseller(id) => {
            if kind != PartnerKind::Distributor {
                return Err(AppError::conflict("error.funds.distributor_only"));
            }
            if !repo::hold_reseller(tx, partner, id).await? {
                return Err(AppError::conflict("error.funds.not_your_reseller"));
            }
        }
        Counterparty::Customer(id) => match repo::hold_customer(tx, partner, id).await? {
            None => return Err(AppError::conflict("error.funds.not_your_customer")),
            Some(mode) if mode != "resale" => {
                return Err(AppError::conflict("error.funds.consulting_customer"));
            }
            Some(_) => {}
        },
    }
    Ok(())
}

/// 拨款 or 回收 between the signed-in partner and one of its resellers or resale customers.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn adjust(
    db: &Db,
    user: &SessionUser,
    origin: &Origin,
    cp: Counterparty,
    direction: Direction,
    amount: Amount,
    trans_id: Option<String>,
) -> Result<Receipt, AppError> {
    let (partner, kind) = partner_of(user)?;
    let (_, other) = counterparty(&db.pool, partner, kind, cp).await?;
    let me = Owner::Partner(partner);
    let (from, to, operation) = match direction {
        Direction::Allocate => (me, other, Operation::Adjust),
        Direction::Reclaim => (other, me, Operation::Retrieve),
    };
    let actor = Actor::user(user, origin);
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
    db: &Db,
    user: &SessionUser,
    cp: Counterparty,
    direction: Direction,
    amount: Amount,
) -> Result<Preview, AppError> {
    let (partner, kind) = partner_of(user)?;
    let (name, other) = counterparty(&db.pool, partner, kind, cp).await?;
    let mine = repo::balances(&db.pool, Owner::Partner(partner)).await?;
    let theirs = repo::balances(&db.pool, other).await?;
    let (payer, reclaim) = match direction {
        Direction::Allocate => (&mine, false),
        Direction::Reclaim => (&theirs, true),
    };
    model::check_debit(payer, amount.money(), reclaim).map_err(AppError::conflict)?;
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
    })
}

/// Checks a 批量拨款 before anything moves: every customer is the caller's own resale customer
/// and the total fits in the available balance. Returns the customers' names and the total.
async fn check_bulk(
    db: &Db,
    user: &SessionUser,
    customers: &[i64],
    charged: usize,
    amount: Amount,
) -> Result<(Vec<(i64, String)>, Money, Balances), AppError> {
    let (partner, kind) = partner_of(user)?;
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
    model::check_debit(&mine, total, false).map_err(AppError::conflict)?;
    Ok((names, total, mine))
}

pub async fn bulk_preview(
    db: &Db,
    user: &SessionUser,
    customers: &[i64],
    amount: Amount,
) -> Result<model::BulkPreview, AppError> {
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
    db: &Db,
    user: &SessionUser,
    origin: &Origin,
    customers: &[i64],
    amount: Amount,
    trans_id: &str,
) -> Result<Vec<Receipt>, AppError> {
    let base = model::parse_trans_id(trans_id).map_err(AppError::invalid)?;
    if base.len() > 40 {
        return Err(AppError::invalid("error.funds.trans_id"));
    }
    let (partner, _) = partner_of(user)?;
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
            db,
            user,
            origin,
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

/// What operator funding would do, for the confirmation step. Moves nothing.
pub async fn fund_preview(db: &Db, partner: i64, amount: Amount) -> Result<Preview, AppError> {
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
                return Err(AppError::conflict("error.funds.designated_exceeds"));
            }
            let target = format!("partner:{partner}");
            let detail = format!("designated={amount}");
            let entry = crate::accounts::audit::AuditEntry {
                actor,
                action: "funds.designate",
                target: &target,
                detail: &detail,
            };
            crate::accounts::audit::audit(&mut **tx, entry, now_ms()).await?;
            Ok(())
        })
    })
    .await
}

/// An owner's balances, read in the caller's transaction (for another domain's write).
pub async fn balances_in(tx: &mut Tx<'_>, owner: Owner) -> Result<Balances, AppError> {
    Ok(repo::balances(&mut **tx, owner).await?)
}

/// A partner's customer, read in the caller's transaction: its name and mode (`resale` or
/// `consulting`), or `None` when it is not this partner's.
pub async fn customer_of_in(
    tx: &mut Tx<'_>,
    partner: i64,
    customer: i64,
) -> Result<Option<(String, String)>, AppError> {
    Ok(repo::customer_of(&mut **tx, partner, customer).await?)
}

/// Whether a partner exists, read in the caller's transaction.
pub async fn partner_exists_in(tx: &mut Tx<'_>, partner: i64) -> Result<bool, AppError> {
    Ok(repo::partner_name(&mut **tx, partner).await?.is_some())
}

pub async fn partner_balances(db: &Db, partner: i64) -> Result<Balances, AppError> {
    Ok(repo::balances(&db.pool, Owner::Partner(partner)).await?)
}

pub async fn customer_balances(db: &Db, customer: i64) -> Result<Balances, AppError> {
    Ok(repo::balances(&db.pool, Owner::Customer(customer)).await?)
}

/// List filters as the pages send them.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub login: String,
    /// Inclusive date bounds (unix ms); missing means open.
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
}

fn like_pattern(s: &str) -> String {
    let s = s.trim().to_ascii_lowercase();
    if s.is_empty() {
        return String::new();
    }
    let escaped: String = s
        .chars()
        .flat_map(|c| {
            if matches!(c, '%' | '_' | '\\') {
                vec!['\\', c]
            } else {
                vec![c]
            }
        })
        .collect();
    format!("%{escaped}%")
}

pub async fn resellers(
    db: &Db,
    user: &SessionUser,
    search: &Search,
    page: PageRequest,
) -> Result<Page<FundedParty>, AppError> {
    let (partner, kind) = partner_of(user)?;
    if kind != PartnerKind::Distributor {
        return Err(AppError::conflict("error.funds.distributor_only"));
    }
    let like = like_pattern(&search.login);
    let f = ListFilter {
        login_like: &like,
        from_ms: search.from_ms.unwrap_or(0),
        to_ms: search.to_ms.unwrap_or(i64::MAX),
        offset: page.offset(),
        limit: page.limit(),
    };
    let (items, total) = repo::list_resellers(&db.pool, partner, &f).await?;
    Ok(Page {
        items,
        number: page.number(),
        size: page.size(),
        total,
    })
}

pub async fn customers(
    db: &Db,
    user: &SessionUser,
    search: &Search,
    page: PageRequest,
) -> Result<Page<FundedParty>, AppError> {
    let partner = acting_partner(db, user, None).await?;
    customers_of(db, partner, search, page).await
}

/// Whose funds the caller looks at: its own partner, or (`reseller`) one of a distributor's
/// resellers. A partner naming itself is itself; naming anyone else needs to be its distributor.
pub async fn acting_partner(
    db: &Db,
    user: &SessionUser,
    reseller: Option<i64>,
) -> Result<i64, AppError> {
    let (partner, kind) = partner_of(user)?;
    match reseller {
        None => Ok(partner),
        Some(r) if r == partner => Ok(partner),
        Some(r) => {
            if kind != PartnerKind::Distributor {
                return Err(AppError::conflict("error.funds.distributor_only"));
            }
            repo::reseller_name(&db.pool, partner, r)
                .await?
                .ok_or_else(|| AppError::conflict("error.funds.not_your_reseller"))?;
            Ok(r)
        }
    }
}

/// The balances of the partner [`acting_partner`] resolves to.
pub async fn balances_of(
    db: &Db,
    user: &SessionUser,
    reseller: Option<i64>,
) -> Result<(i64, Balances), AppError> {
    let partner = acting_partner(db, user, reseller).await?;
    Ok((partner, partner_balances(db, partner).await?))
}

/// The customers of a partner already resolved by [`acting_partner`].
pub async fn customers_of(
    db: &Db,
    partner: i64,
    search: &Search,
    page: PageRequest,
) -> Result<Page<FundedParty>, AppError> {
    let like = like_pattern(&search.login);
    let f = ListFilter {
        login_like: &like,
        from_ms: search.from_ms.unwrap_or(0),
        to_ms: search.to_ms.unwrap_or(i64::MAX),
        offset: page.offset(),
        limit: page.limit(),
    };
    let (items, total) = repo::list_customers(&db.pool, partner, &f).await?;
    Ok(Page {
        items,
        number: page.number(),
        size: page.size(),
        total,
    })
}

/// Filters of 调账记录.
#[derive(Debug, Clone, Default)]
pub struct RecordSearch {
    pub operation: Option<Operation>,
    pub trans_id: String,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// Only 拨款, 回收 and 解绑回收 with customers and resellers (the open API's 调账记录).
    pub adjustments_only: bool,
    /// Only movements with this customer or reseller.
    pub counterparty: Option<i64>,
}

pub async fn records(
    db: &Db,
    user: &SessionUser,
    search: &RecordSearch,
    page: PageRequest,
) -> Result<Page<AdjustRecord>, AppError> {
    let partner = acting_partner(db, user, None).await?;
    records_of(db, partner, search, page).await
}

/// The 调账记录 of a partner already resolved by [`acting_partner`].
pub async fn records_of(
    db: &Db,
    partner: i64,
    search: &RecordSearch,
    page: PageRequest,
) -> Result<Page<AdjustRecord>, AppError> {
    let (items, total) = records_window(db, partner, search, page.offset(), page.limit()).await?;
    Ok(Page {
        items,
        number: page.number(),
        size: page.size(),
        total,
    })
}

/// The 调账记录 of a partner from `offset`, at most `limit` (capped at
/// [`PageRequest::MAX_SIZE`]) of them, and how many match in all: for callers that page by
/// offset (the open API).
pub async fn records_window(
    db: &Db,
    partner: i64,
    search: &RecordSearch,
    offset: i64,
    limit: i64,
) -> Result<(Vec<AdjustRecord>, i64), AppError> {
    let op = search.operation.map(Operation::code).unwrap_or("");
    let f = RecordFilter {
        operation: op,
        trans_id: search.trans_id.trim(),
        from_ms: search.from_ms.unwrap_or(0),
        to_ms: search.to_ms.unwrap_or(i64::MAX),
        adjustments_only: search.adjustments_only,
        counterparty: search.counterparty.unwrap_or(0),
        offset: offset.max(0),
        limit: limit.clamp(1, i64::from(PageRequest::MAX_SIZE)),
    };
    Ok(repo::adjust_records(&db.pool, Owner::Partner(partner), &f).await?)
}
