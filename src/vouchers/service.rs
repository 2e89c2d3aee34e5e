//! Issuing, reclaiming, expiring and spending vouchers: each a set of conditional balance
//! changes and their operation records in one transaction, idempotent per transaction id and
//! retried on conflicts.

use super::model::{
    self, Coupon, CouponStatus, CustomerCoupons, IssuePreview, IssueRequest, Kind, Limits,
    Operation, Outcome, OutcomeItem, Quota, QuotaFacts, QuotaStatus, Record, Use, WhitelistConsole,
    WhitelistEntry,
};
use super::repo::{self, CouponFilter, CouponRow, NewCoupon, NewQuota, NewRecord, QuotaRow};
use crate::accounts::audit::{AuditEntry, audit};
use crate::accounts::model::SessionUser;
use crate::domain::{Amount, Money, Page, PageRequest, PartnerKind, Role};
use crate::error::AppError;
use crate::funds::service::{Actor, Origin};
use crate::idempotency::{self, Request, Scope};
use crate::server::db::{Db, Tx, WriteFuture, now_ms};

fn m(fen: i64) -> Money {
    Money::from_fen(fen).unwrap_or(Money::ZERO)
}

fn partner_of(user: &SessionUser) -> Result<(i64, PartnerKind), AppError> {
    match (&user.role, &user.partner) {
        (Role::Partner, Some(p)) => Ok((p.id, p.kind)),
        _ => Err(AppError::Forbidden),
    }
}

fn scope(partner: i64) -> String {
    Scope::Partner(partner).to_string()
}

/// A fresh transaction id for a confirmation form.
pub fn new_trans_id() -> String {
    idempotency::new_key()
}

fn trans_id(raw: Option<&str>) -> Result<String, AppError> {
    idempotency::key_or_new(raw).map_err(AppError::invalid)
}

impl idempotency::Answer for Outcome {
    fn replayed(mut self) -> Self {
        self.replayed = true;
        self
    }
}

fn request<'a>(scope: &'a str, key: &'a str, hash: &'a str) -> Request<'a> {
    Request { scope, key, hash }
}

/// The stored result of an earlier request with this id: replayed if it was the same request,
/// refused if the id was used for another.
async fn replay(
    tx: &mut Tx<'_>,
    scope: &str,
    trans_id: &str,
    hash: &str,
) -> Result<Option<Outcome>, AppError> {
    idempotency::replay(tx, request(scope, trans_id, hash)).await
}

/// Runs an idempotent operation through the one write path (see [`idempotency::settle`]).
async fn idempotent<'a, F>(
    db: &'a Db,
    scope: &str,
    trans_id: &str,
    hash: &str,
    work: F,
) -> Result<Outcome, AppError>
where
    F: for<'t> FnMut(&'t mut Tx<'a>) -> WriteFuture<'t, Outcome> + Send,
{
    idempotency::settle(db, request(scope, trans_id, hash), work).await
}

async fn remember(
    tx: &mut Tx<'_>,
    scope: &str,
    trans_id: &str,
    hash: &str,
    outcome: &Outcome,
    now: i64,
) -> Result<(), AppError> {
    idempotency::remember(tx, request(scope, trans_id, hash), outcome, now).await
}

async fn log(
    tx: &mut Tx<'_>,
    actor: &Actor,
    action: &str,
    target: &str,
    detail: &str,
    now: i64,
) -> Result<(), AppError> {
    let entry = AuditEntry {
        actor,
        action,
        target,
        detail,
    };
    audit(&mut **tx, entry, now).await?;
    Ok(())
}

fn coupon_number(kind: Kind) -> String {
    let prefix = match kind {
        Kind::Coupon => "CP",
        Kind::Pickup => "PV",
    };
    format!("{prefix}{:016X}", rand::random::<u64>())
}

fn facts(q: &QuotaRow) -> Result<QuotaFacts, AppError> {
    Ok(QuotaFacts {
        kind: Kind::parse(&q.kind).ok_or(AppError::Internal)?,
        status: QuotaStatus::from_code(q.status).ok_or(AppError::Internal)?,
        balance_fen: q.balance_fen,
        max_face_fen: q.max_face_fen,
        effective_at: q.effective_at,
        expires_at: q.expires_at,
        service_types: Limits::stored(&q.service_types),
        products: Limits::stored(&q.products),
    })
}

fn quota_view(q: QuotaRow, now: i64) -> Option<Quota> {
    let status = QuotaStatus::from_code(q.status)?.at(q.expires_at, now);
    Some(Quota {
        id: q.id,
        kind: Kind::parse(&q.kind)?,
        quota_type: q.quota_type,
        status,
        value: m(q.value_fen),
        balance: m(q.balance_fen),
        used: m(q.value_fen - q.balance_fen),
        max_face: q.max_face_fen.map(m),
        service_types: Limits::stored(&q.service_types).items().to_vec(),
        products: Limits::stored(&q.products).items().to_vec(),
        effective_at: q.effective_at,
        expires_at: q.expires_at,
        created_at: q.created_at,
        updated_at: q.updated_at,
        parent_id: q.parent_id,
        reseller_id: q.parent_id.map(|_| q.partner_id),
        reseller_name: q.reseller_name,
    })
}

fn coupon_view(c: CouponRow, now: i64) -> Option<Coupon> {
    Some(Coupon {
        id: c.id,
        number: c.number,
        kind: Kind::parse(&c.kind)?,
        quota_id: c.quota_id,
        partner_name: c.partner_name,
        customer_id: c.customer_id,
        customer_name: c.customer_name,
        face: m(c.face_fen),
        balance: m(c.balance_fen),
        min_order: m(c.min_order_fen),
        service_types: Limits::stored(&c.service_types).items().to_vec(),
        products: Limits::stored(&c.products).items().to_vec(),
        effective_at: c.effective_at,
        expires_at: c.expires_at,
        status: CouponStatus::from_code(c.status)?.at(c.expires_at, now),
        remark: c.remark,
        created_at: c.created_at,
    })
}

/// Takes a usable coupon's whole balance back to its quota with an operation record, inside
/// the caller's transaction. `status` is what the coupon becomes (已回收 or 已过期).
async fn take_back(
    tx: &mut Tx<'_>,
    c: &CouponRow,
    op: Operation,
    actor: &Actor,
    now: i64,
) -> Result<i64, AppError> {
    let status = if op == Operation::ExpiryReclaim {
        CouponStatus::Expired
    } else {
        CouponStatus::Reclaimed
    };
    if !repo::empty_coupon(tx, c.id, c.balance_fen, status.code(), now).await? {
        // Spent or reclaimed by someone else meanwhile: read again and decide again.
        return Err(AppError::Busy);
    }
    if c.balance_fen > 0 {
        repo::credit_quota(tx, c.quota_id, c.balance_fen, now).await?;
    }
    let record = NewRecord {
        partner: c.partner_id,
        kind: &c.kind,
        operation: op.code(),
        quota: c.quota_id,
        parent_quota: None,
        coupon: Some(c.id),
        customer: Some(c.customer_id),
        reseller: None,
        amount_fen: c.balance_fen,
        remark: "",
        actor_user_id: actor.user_id,
        actor: &actor.name,
        now,
    };
    repo::insert_record(tx, &record).await?;
    Ok(c.balance_fen)
}

/// Records the expiry of every usable coupon whose time has come (过期回收): its balance goes
/// back to its quota. Runs before voucher reads and writes and periodically in the server.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn expire_due(db: &Db) -> Result<u64, AppError> {
    const BATCH: i64 = 100;
    let system = Actor::system();
    let mut done = 0;
    loop {
        let now = now_ms();
        let due = repo::due_coupons(&db.pool, now, BATCH).await?;
        if due.is_empty() {
            return Ok(done);
        }
        let n = due.len() as i64;
        let system = &system;
        let expired = db
            .write(|tx| {
                Box::pin(async move {
                    let mut count = 0;
                    for c in repo::due_coupons(&mut **tx, now, BATCH).await? {
                        take_back(&mut *tx, &c, Operation::ExpiryReclaim, &system, now).await?;
                        count += 1;
                    }
                    Ok(count)
                })
            })
            .await?;
        done += expired;
        if n < BATCH {
            return Ok(done);
        }
    }
}

fn issue_hash(kind: Kind, r: &IssueRequest) -> String {
    format!(
        "issue|{}|{}|{}|{}|{:?}|{:?}|{}|{}|{:?}|{}",
        kind.as_str(),
        r.quota,
        r.face.fen(),
        r.min_order.fen(),
        r.valid_from,
        r.expires_at,
        r.service_types.to_stored(),
        r.products.to_stored(),
        r.customers,
        r.remark
    )
}

/// Checks the customers of an issue: the partner's own; resale ones for coupons, whitelisted
/// ones for pickup vouchers. Their names, in order.
async fn recipients(
    tx: &mut Tx<'_>,
    partner: i64,
    kind: Kind,
    customers: &[i64],
) -> Result<Vec<String>, AppError> {
    let mut names = Vec::with_capacity(customers.len());
    for &c in customers {
        let (name, mode) = crate::funds::service::customer_of_in(tx, partner, c)
            .await?
            .ok_or_else(|| AppError::conflict("error.vouchers.not_your_customer"))?;
        match kind {
            Kind::Coupon if mode != "resale" => {
                return Err(AppError::conflict("error.vouchers.not_resale"));
            }
            Kind::Pickup if !repo::whitelisted(&mut **tx, partner, c).await? => {
                return Err(AppError::conflict("error.vouchers.not_whitelisted"));
            }
            _ => {}
        }
        names.push(name);
    }
    Ok(names)
}

async fn issuing_quota(
    tx: &mut Tx<'_>,
    partner: i64,
    kind: Kind,
    id: i64,
) -> Result<QuotaRow, AppError> {
    repo::quota(&mut **tx, partner, id)
        .await?
        .filter(|q| q.kind == kind.as_str())
        .ok_or_else(|| AppError::conflict("error.vouchers.quota_not_found"))
}

/// What issuing would do, for the confirmation step. Moves nothing.
pub async fn preview_issue(
    db: &Db,
    user: &SessionUser,
    kind: Kind,
    req: &IssueRequest,
) -> Result<IssuePreview, AppError> {
    let (partner, _) = partner_of(user)?;
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    let q = issuing_quota(&mut tx, partner, kind, req.quota).await?;
    let terms = model::check_issue(&facts(&q)?, req, now).map_err(AppError::conflict)?;
    let names = recipients(&mut tx, partner, kind, &req.customers).await?;
    tx.rollback().await?;
    Ok(IssuePreview {
        quota_id: q.id,
        kind,
        face: req.face.money(),
        customers: req.customers.iter().copied().zip(names).collect(),
        total: m(terms.total_fen),
        quota_before: m(q.balance_fen),
        quota_after: m(q.balance_fen - terms.total_fen),
        effective_at: terms.effective_at,
        expires_at: terms.expires_at,
        trans_id: trans_id(None)?,
    })
}

/// Issues one coupon (or pickup voucher) per customer from a quota.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn issue(
    db: &Db,
    user: &SessionUser,
    origin: &Origin,
    kind: Kind,
    req: &IssueRequest,
    trans: Option<&str>,
) -> Result<Outcome, AppError> {
    let (partner, _) = partner_of(user)?;
    let trans = trans_id(trans)?;
    let hash = issue_hash(kind, req);
    let actor = Actor::user(user, origin);
    expire_due(db).await?;
    let (actor, trans, hash) = (&actor, &trans, &hash);
    idempotent(db, &scope(partner), trans, hash, |tx| {
        Box::pin(try_issue(tx, actor, partner, kind, req, trans, hash))
    })
    .await
}

async fn try_issue(
    tx: &mut Tx<'_>,
    actor: &Actor,
    partner: i64,
    kind: Kind,
    req: &IssueRequest,
    trans: &str,
    hash: &str,
) -> Result<Outcome, AppError> {
    let scope = scope(partner);
    if let Some(prev) = replay(&mut *tx, &scope, trans, hash).await? {
        return Ok(prev);
    }
    let now = now_ms();
    let q = issuing_quota(&mut *tx, partner, kind, req.quota).await?;
    let terms = model::check_issue(&facts(&q)?, req, now).map_err(AppError::conflict)?;
    let names = recipients(&mut *tx, partner, kind, &req.customers).await?;
    let after = repo::debit_quota(&mut *tx, q.id, terms.total_fen, now)
        .await?
        .ok_or_else(|| AppError::conflict("error.vouchers.quota_insufficient"))?;
    let mut items = Vec::with_capacity(req.customers.len());
    for (&customer, name) in req.customers.iter().zip(names) {
        let number = coupon_number(kind);
        let coupon = NewCoupon {
            number: &number,
            kind: kind.as_str(),
            quota: q.id,
            partner,
            customer,
            face_fen: req.face.fen(),
            min_order_fen: req.min_order.fen(),
            service_types: &terms.service_types.to_stored(),
            products: &terms.products.to_stored(),
            effective_at: terms.effective_at,
            expires_at: terms.expires_at,
            remark: &req.remark,
            now,
        };
        let id = repo::insert_coupon(&mut *tx, &coupon).await?;
        let record = NewRecord {
            partner,
            kind: kind.as_str(),
            operation: Operation::Issue.code(),
            quota: q.id,
            parent_quota: None,
            coupon: Some(id),
            customer: Some(customer),
            reseller: None,
            amount_fen: req.face.fen(),
            remark: &req.remark,
            actor_user_id: actor.user_id,
            actor: &actor.name,
            now,
        };
        repo::insert_record(&mut *tx, &record).await?;
        items.push(OutcomeItem {
            id,
            number,
            customer_name: name,
            amount: req.face.money(),
        });
    }
    let outcome = Outcome {
        items,
        total: m(terms.total_fen),
        quota_balance_after: Some(m(after)),
        replayed: false,
    };
    let detail = format!("quota={} total={} trans_id={trans}", q.id, outcome.total);
    log(
        &mut *tx,
        actor,
        &format!("vouchers.issue.{}", kind.as_str()),
        &format!("partner:{partner}"),
        &detail,
        now,
    )
    .await?;
    remember(&mut *tx, &scope, trans, hash, &outcome, now).await?;
    Ok(outcome)
}

/// What a reclaim would take back, for the confirmation (确定回收以下提货券吗?). Moves nothing.
pub async fn preview_reclaim(
    db: &Db,
    user: &SessionUser,
    kind: Kind,
    ids: &[i64],
) -> Result<Vec<Coupon>, AppError> {
    let (partner, _) = partner_of(user)?;
    let now = now_ms();
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let c = repo::coupon_of_partner(&db.pool, partner, id)
            .await?
            .filter(|c| c.kind == kind.as_str())
            .ok_or_else(|| AppError::conflict("error.vouchers.coupon_not_found"))?;
        let c = coupon_view(c, now).ok_or(AppError::Internal)?;
        if c.status != CouponStatus::Usable {
            return Err(AppError::conflict("error.vouchers.coupon_not_usable"));
        }
        out.push(c);
    }
    Ok(out)
}

/// Reclaims usable coupons (手动回收), all or nothing: each one's whole balance returns to its
/// quota. The outcome lists the amount actually reclaimed per coupon.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn reclaim(
    db: &Db,
    user: &SessionUser,
    origin: &Origin,
    kind: Kind,
    ids: &[i64],
    trans: Option<&str>,
) -> Result<Outcome, AppError> {
    let (partner, _) = partner_of(user)?;
    let trans = trans_id(trans)?;
    let hash = format!("reclaim|{}|{ids:?}", kind.as_str());
    let actor = Actor::user(user, origin);
    expire_due(db).await?;
    let scope = scope(partner);
    let (actor, hash, scope, trans) = (&actor, &hash, &scope, &trans);
    idempotent(db, scope, trans, hash, |tx| {
        Box::pin(async move {
            if let Some(prev) = replay(&mut *tx, &scope, &trans, &hash).await? {
                return Ok(prev);
            }
            let now = now_ms();
            let mut items = Vec::with_capacity(ids.len());
            let mut total = 0;
            for &id in ids {
                let c = repo::coupon_of_partner(&mut **tx, partner, id)
                    .await?
                    .filter(|c| c.kind == kind.as_str())
                    .ok_or_else(|| AppError::conflict("error.vouchers.coupon_not_found"))?;
                let status = CouponStatus::from_code(c.status).ok_or(AppError::Internal)?;
                if status.at(c.expires_at, now) != CouponStatus::Usable {
                    return Err(AppError::conflict("error.vouchers.coupon_not_usable"));
                }
                let fen = take_back(&mut *tx, &c, Operation::Reclaim, &actor, now).await?;
                total += fen;
                items.push(OutcomeItem {
                    id: c.id,
                    number: c.number.clone(),
                    customer_name: c.customer_name.clone(),
                    amount: m(fen),
                });
            }
            let outcome = Outcome {
                items,
                total: m(total),
                quota_balance_after: None,
                replayed: false,
            };
            let detail = format!("coupons={ids:?} total={} trans_id={trans}", outcome.total);
            log(
                &mut *tx,
                &actor,
                &format!("vouchers.reclaim.{}", kind.as_str()),
                &format!("partner:{partner}"),
                &detail,
                now,
            )
            .await?;
            remember(&mut *tx, &scope, &trans, &hash, &outcome, now).await?;
            Ok(outcome)
        })
    })
    .await
}

/// On disassociation, inside its transaction: reclaims every usable coupon and pickup voucher
/// the partner gave the customer (解绑自动回收); ones already past expiry are recorded as
/// 过期回收 instead. Returns (count, fen).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn reclaim_for_unbind(
    tx: &mut Tx<'_>,
    partner: i64,
    customer: i64,
    actor: &Actor,
    now: i64,
) -> Result<(i64, i64), AppError> {
    let mut count = 0;
    let mut fen = 0;
    for c in repo::usable_of_customer(&mut **tx, partner, customer).await? {
        let op = if c.expires_at <= now {
            Operation::ExpiryReclaim
        } else {
            count += 1;
            Operation::UnbindReclaim
        };
        let taken = take_back(tx, &c, op, actor, now).await?;
        if op == Operation::UnbindReclaim {
            fen += taken;
        }
    }
    Ok((count, fen))
}

/// Spends a customer's coupon on its order, inside the payment's transaction: the deduction in
/// fen. The coupon must be its own, usable now, allow the product, and the order reach its
/// minimum amount.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn spend_in(
    tx: &mut Tx<'_>,
    customer: i64,
    coupon: i64,
    order: i64,
    product: &crate::orders::model::Product,
    order_fen: i64,
    now: i64,
) -> Result<i64, AppError> {
    let c = repo::coupon_of_customer(&mut **tx, customer, coupon)
        .await?
        .ok_or_else(|| AppError::conflict("error.vouchers.coupon_not_found"))?;
    let status = CouponStatus::from_code(c.status).ok_or(AppError::Internal)?;
    if status.at(c.expires_at, now) != CouponStatus::Usable || now < c.effective_at {
        return Err(AppError::conflict("error.vouchers.coupon_not_usable"));
    }
    if !Limits::stored(&c.products).allows(product.code)
        || !Limits::stored(&c.service_types).allows(product.service_type)
    {
        return Err(AppError::conflict("error.vouchers.coupon_not_applicable"));
    }
    if order_fen < c.min_order_fen {
        return Err(AppError::conflict("error.vouchers.below_minimum"));
    }
    let fen = model::deduction(c.balance_fen, order_fen);
    if fen == 0 || !repo::spend(tx, c.id, order, fen, now).await? {
        return Err(AppError::Busy);
    }
    Ok(fen)
}

/// On the refund of an order paid partly with a coupon, inside the refund's transaction: the
/// coupon's part is refunded to nobody; it returns to the quota (退订回收). Its fen, or 0.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn refund_in(
    tx: &mut Tx<'_>,
    order: i64,
    actor: &Actor,
    now: i64,
) -> Result<i64, AppError> {
    let Some(u) = repo::use_of_order(&mut **tx, order).await? else {
        return Ok(0);
    };
    repo::credit_quota(tx, u.quota_id, u.amount_fen, now).await?;
    let record = NewRecord {
        partner: u.partner_id,
        kind: &u.kind,
        operation: Operation::RefundReclaim.code(),
        quota: u.quota_id,
        parent_quota: None,
        coupon: Some(u.coupon_id),
        customer: Some(u.customer_id),
        reseller: None,
        amount_fen: u.amount_fen,
        remark: "",
        actor_user_id: actor.user_id,
        actor: &actor.name,
        now,
    };
    repo::insert_record(tx, &record).await?;
    Ok(u.amount_fen)
}

/// The customer's coupons and pickup vouchers usable on an order of this product and amount.
pub async fn usable_for_order(
    db: &Db,
    customer: i64,
    product: &crate::orders::model::Product,
    order_fen: i64,
) -> Result<Vec<Coupon>, AppError> {
    expire_due(db).await?;
    let now = now_ms();
    let filter = CouponFilter {
        partner: None,
        customer: Some(customer),
        kind: None,
        status: Some(CouponStatus::Usable.code()),
        now,
        offset: 0,
        limit: 100,
    };
    let (rows, _) = repo::list_coupons(&db.pool, &filter).await?;
    Ok(rows
        .into_iter()
        .filter(|c| {
            c.effective_at <= now
                && c.min_order_fen <= order_fen
                && Limits::stored(&c.products).allows(product.code)
                && Limits::stored(&c.service_types).allows(product.service_type)
        })
        .filter_map(|r| coupon_view(r, now))
        .collect())
}

/// 向云经销商发放代金券额度: a distributor gives each reseller a quota of `amount` from one of
/// its own.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn issue_quota(
    db: &Db,
    user: &SessionUser,
    origin: &Origin,
    parent: i64,
    resellers: &[i64],
    amount: Amount,
    trans: Option<&str>,
) -> Result<Outcome, AppError> {
    let (partner, kind) = partner_of(user)?;
    if kind != PartnerKind::Distributor {
        return Err(AppError::conflict("error.funds.distributor_only"));
    }
    let trans = trans_id(trans)?;
    let hash = format!("quota-issue|{parent}|{resellers:?}|{}", amount.fen());
    let actor = Actor::user(user, origin);
    let scope = scope(partner);
    let (actor, hash, scope, trans) = (&actor, &hash, &scope, &trans);
    idempotent(db, scope, trans, hash, |tx| {
        Box::pin(async move {
            if let Some(prev) = replay(&mut *tx, &scope, &trans, &hash).await? {
                return Ok(prev);
            }
            let now = now_ms();
            let q = issuing_quota(&mut *tx, partner, Kind::Coupon, parent).await?;
            let f = facts(&q)?;
            let n = i64::try_from(resellers.len()).map_err(|_| AppError::BadRequest)?;
            let total = amount
                .fen()
                .checked_mul(n)
                .ok_or_else(|| AppError::conflict("error.vouchers.quota_insufficient"))?;
            // The same rules as a coupon of `total`, without a face-value limit.
            let as_issue = IssueRequest {
                quota: q.id,
                face: Amount::from_fen(total).ok_or(AppError::BadRequest)?,
                min_order: Money::ZERO,
                valid_from: None,
                expires_at: None,
                service_types: Limits::default(),
                products: Limits::default(),
                customers: vec![0],
                remark: String::new(),
            };
            let unlimited = QuotaFacts {
                max_face_fen: None,
                ..f.clone()
            };
            model::check_issue(&unlimited, &as_issue, now).map_err(AppError::conflict)?;
            let names = repo::reseller_names(&mut **tx, partner, resellers).await?;
            if names.len() != resellers.len() {
                return Err(AppError::conflict("error.funds.not_your_reseller"));
            }
            let after = repo::debit_quota(&mut *tx, q.id, total, now)
                .await?
                .ok_or_else(|| AppError::conflict("error.vouchers.quota_insufficient"))?;
            let mut items = Vec::with_capacity(names.len());
            for (reseller, name) in names {
                let child = NewQuota {
                    partner: reseller,
                    kind: Kind::Coupon.as_str(),
                    parent: Some(q.id),
                    value_fen: amount.fen(),
                    max_face_fen: q.max_face_fen,
                    service_types: &q.service_types,
                    products: &q.products,
                    effective_at: q.effective_at,
                    expires_at: q.expires_at,
                    now,
                };
                let id = repo::insert_quota(&mut *tx, &child).await?;
                let record = NewRecord {
                    partner,
                    kind: Kind::Coupon.as_str(),
                    operation: Operation::QuotaIssue.code(),
                    quota: id,
                    parent_quota: Some(q.id),
                    coupon: None,
                    customer: None,
                    reseller: Some(reseller),
                    amount_fen: amount.fen(),
                    remark: "",
                    actor_user_id: actor.user_id,
                    actor: &actor.name,
                    now,
                };
                repo::insert_record(&mut *tx, &record).await?;
                // For a reseller quota: its id, and the reseller's id as its "number".
                items.push(OutcomeItem {
                    id,
                    number: reseller.to_string(),
                    customer_name: name,
                    amount: amount.money(),
                });
            }
            let outcome = Outcome {
                items,
                total: m(total),
                quota_balance_after: Some(m(after)),
                replayed: false,
            };
            let detail = format!("parent={} total={} trans_id={trans}", q.id, outcome.total);
            log(
                &mut *tx,
                &actor,
                "vouchers.quota_issue",
                &format!("partner:{partner}"),
                &detail,
                now,
            )
            .await?;
            remember(&mut *tx, &scope, &trans, &hash, &outcome, now).await?;
            Ok(outcome)
        })
    })
    .await
}

/// 回收云经销商的代金券额度: takes back the whole remaining balance of quotas this distributor
/// gave its resellers; each ends (失效).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn reclaim_quotas(
    db: &Db,
    user: &SessionUser,
    origin: &Origin,
    ids: &[i64],
    remark: &str,
    trans: Option<&str>,
) -> Result<Outcome, AppError> {
    let (partner, kind) = partner_of(user)?;
    if kind != PartnerKind::Distributor {
        return Err(AppError::conflict("error.funds.distributor_only"));
    }
    let trans = trans_id(trans)?;
    let hash = format!("quota-reclaim|{ids:?}|{remark}");
    let actor = Actor::user(user, origin);
    let scope = scope(partner);
    let (actor, hash, scope, trans) = (&actor, &hash, &scope, &trans);
    idempotent(db, scope, trans, hash, |tx| {
        Box::pin(async move {
            if let Some(prev) = replay(&mut *tx, &scope, &trans, &hash).await? {
                return Ok(prev);
            }
            let now = now_ms();
            let mut items = Vec::with_capacity(ids.len());
            let mut total = 0;
            for &id in ids {
                let q = repo::child_quota(&mut **tx, partner, id)
                    .await?
                    .ok_or_else(|| AppError::conflict("error.vouchers.quota_not_found"))?;
                if q.status != QuotaStatus::Normal.code() {
                    return Err(AppError::conflict("error.vouchers.quota_not_reclaimable"));
                }
                let parent = q.parent_id.ok_or(AppError::Internal)?;
                if !repo::empty_quota(&mut *tx, q.id, q.balance_fen, now).await? {
                    return Err(AppError::Busy);
                }
                if q.balance_fen > 0 {
                    repo::credit_quota(&mut *tx, parent, q.balance_fen, now).await?;
                }
                let record = NewRecord {
                    partner,
                    kind: Kind::Coupon.as_str(),
                    operation: Operation::QuotaReclaim.code(),
                    quota: q.id,
                    parent_quota: Some(parent),
                    coupon: None,
                    customer: None,
                    reseller: Some(q.partner_id),
                    amount_fen: q.balance_fen,
                    remark,
                    actor_user_id: actor.user_id,
                    actor: &actor.name,
                    now,
                };
                repo::insert_record(&mut *tx, &record).await?;
                total += q.balance_fen;
                items.push(OutcomeItem {
                    id: q.id,
                    number: format!("{}", q.id),
                    customer_name: q.reseller_name.clone().unwrap_or_default(),
                    amount: m(q.balance_fen),
                });
            }
            let outcome = Outcome {
                items,
                total: m(total),
                quota_balance_after: None,
                replayed: false,
            };
            let detail = format!("quotas={ids:?} total={} trans_id={trans}", outcome.total);
            log(
                &mut *tx,
                &actor,
                "vouchers.quota_reclaim",
                &format!("partner:{partner}"),
                &detail,
                now,
            )
            .await?;
            remember(&mut *tx, &scope, &trans, &hash, &outcome, now).await?;
            Ok(outcome)
        })
    })
    .await
}

/// A quota granted by the operator (command line or operator page).
pub struct Grant {
    pub partner: i64,
    pub kind: Kind,
    pub value: Amount,
    pub days: i64,
    pub max_face: Option<Amount>,
    pub service_types: Limits,
    pub products: Limits,
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn grant_quota(db: &Db, actor: &Actor, g: &Grant) -> Result<i64, AppError> {
    if !(1..=3650).contains(&g.days) {
        return Err(AppError::invalid("error.vouchers.days"));
    }
    let now = now_ms();
    db.write(|tx| {
        Box::pin(async move {
            if !crate::funds::service::partner_exists_in(tx, g.partner).await? {
                return Err(AppError::invalid("error.partner.not_found"));
            }
            let q = NewQuota {
                partner: g.partner,
                kind: g.kind.as_str(),
                parent: None,
                value_fen: g.value.fen(),
                max_face_fen: g.max_face.map(Amount::fen),
                service_types: &g.service_types.to_stored(),
                products: &g.products.to_stored(),
                effective_at: now,
                expires_at: now + g.days * 86_400_000,
                now,
            };
            let id = repo::insert_quota(&mut *tx, &q).await?;
            let detail = format!(
                "quota={id} kind={} value={}",
                g.kind.as_str(),
                g.value.money()
            );
            log(
                &mut *tx,
                actor,
                "vouchers.grant",
                &format!("partner:{}", g.partner),
                &detail,
                now,
            )
            .await?;
            Ok(id)
        })
    })
    .await
}

/// The operator sets a quota's status (正常 / 失效 / 额度调整中 / 冻结).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_quota_status(
    db: &Db,
    actor: &Actor,
    quota: i64,
    status: QuotaStatus,
) -> Result<(), AppError> {
    let now = now_ms();
    db.write(|tx| {
        Box::pin(async move {
            if !repo::set_quota_status(&mut *tx, quota, status.code(), now).await? {
                return Err(AppError::NotFound);
            }
            log(
                &mut *tx,
                actor,
                "vouchers.quota_status",
                &format!("quota:{quota}"),
                &format!("status={}", status.code()),
                now,
            )
            .await?;
            Ok(())
        })
    })
    .await
}

pub async fn quotas(
    db: &Db,
    user: &SessionUser,
    kind: Kind,
    page: PageRequest,
) -> Result<Page<Quota>, AppError> {
    let (partner, _) = partner_of(user)?;
    let now = now_ms();
    let (rows, total) = repo::list_quotas(
        &db.pool,
        partner,
        kind.as_str(),
        page.offset(),
        page.limit(),
    )
    .await?;
    Ok(Page {
        items: rows
            .into_iter()
            .filter_map(|r| quota_view(r, now))
            .collect(),
        number: page.number(),
        size: page.size(),
        total,
    })
}

/// 已发放代金券额度 (distributors only).
pub async fn issued_quotas(
    db: &Db,
    user: &SessionUser,
    page: PageRequest,
) -> Result<Page<Quota>, AppError> {
    let (partner, kind) = partner_of(user)?;
    if kind != PartnerKind::Distributor {
        return Err(AppError::conflict("error.funds.distributor_only"));
    }
    let now = now_ms();
    let (rows, total) = repo::issued_quotas(&db.pool, partner, page.offset(), page.limit()).await?;
    Ok(Page {
        items: rows
            .into_iter()
            .filter_map(|r| quota_view(r, now))
            .collect(),
        number: page.number(),
        size: page.size(),
        total,
    })
}

/// The partner's issued coupons or pickup vouchers, optionally of one status.
pub async fn coupons(
    db: &Db,
    user: &SessionUser,
    kind: Kind,
    status: Option<CouponStatus>,
    page: PageRequest,
) -> Result<Page<Coupon>, AppError> {
    let (partner, _) = partner_of(user)?;
    expire_due(db).await?;
    let now = now_ms();
    let filter = CouponFilter {
        partner: Some(partner),
        customer: None,
        kind: Some(kind.as_str()),
        status: status.map(CouponStatus::code),
        now,
        offset: page.offset(),
        limit: page.limit(),
    };
    let (rows, total) = repo::list_coupons(&db.pool, &filter).await?;
    Ok(Page {
        items: rows
            .into_iter()
            .filter_map(|r| coupon_view(r, now))
            .collect(),
        number: page.number(),
        size: page.size(),
        total,
    })
}

/// Filters of the operation log.
pub struct RecordSearch {
    pub operation: Option<Operation>,
    pub from_ms: i64,
    pub to_ms: i64,
}

pub async fn records(
    db: &Db,
    user: &SessionUser,
    kind: Kind,
    search: &RecordSearch,
    page: PageRequest,
) -> Result<Page<Record>, AppError> {
    let (partner, _) = partner_of(user)?;
    expire_due(db).await?;
    let filter = repo::RecordFilter {
        partner,
        kind: kind.as_str(),
        operation: search.operation.map(Operation::code).unwrap_or(-1),
        from_ms: search.from_ms,
        to_ms: search.to_ms,
        offset: page.offset(),
        limit: page.limit(),
    };
    let (rows, total) = repo::list_records(&db.pool, &filter).await?;
    let items = rows
        .into_iter()
        .filter_map(|r| {
            Some(Record {
                id: r.id,
                kind: Kind::parse(&r.kind)?,
                operation: Operation::from_code(r.operation)?,
                quota_id: r.quota_id,
                parent_quota_id: r.parent_quota_id,
                coupon_number: r.coupon_number,
                customer_name: r.customer_name,
                reseller_name: r.reseller_name,
                reseller_id: r.reseller_id,
                amount: m(r.amount_fen),
                remark: r.remark,
                actor: r.actor,
                created_at: r.created_at,
            })
        })
        .collect();
    Ok(Page {
        items,
        number: page.number(),
        size: page.size(),
        total,
    })
}

/// 提货券使用记录 (or coupon uses).
pub async fn uses(
    db: &Db,
    user: &SessionUser,
    kind: Kind,
    page: PageRequest,
) -> Result<Page<Use>, AppError> {
    let (partner, _) = partner_of(user)?;
    let (rows, total) = repo::list_uses(
        &db.pool,
        partner,
        kind.as_str(),
        page.offset(),
        page.limit(),
    )
    .await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(|r| Use {
                coupon_number: r.coupon_number,
                customer_name: r.customer_name,
                order_number: r.order_number,
                amount: m(r.amount_fen),
                created_at: r.created_at,
            })
            .collect(),
        number: page.number(),
        size: page.size(),
        total,
    })
}

pub async fn whitelist(db: &Db, user: &SessionUser) -> Result<Vec<WhitelistEntry>, AppError> {
    let (partner, _) = partner_of(user)?;
    entries(&db.pool, partner).await
}

async fn entries(pool: &sqlx::AnyPool, partner: i64) -> Result<Vec<WhitelistEntry>, AppError> {
    Ok(repo::list_whitelist(pool, partner)
        .await?
        .into_iter()
        .map(|r| WhitelistEntry {
            customer_id: r.customer_id,
            customer_name: r.customer_name,
            login: r.login.unwrap_or_default(),
            created_at: r.created_at,
        })
        .collect())
}

/// The operator's whitelist console, for `partner` when one is chosen.
pub async fn whitelist_console(
    db: &Db,
    partner: Option<i64>,
) -> Result<WhitelistConsole, AppError> {
    let partners = repo::partners_with_resale_customers(&db.pool).await?;
    let partner = partner.filter(|p| partners.iter().any(|(id, _)| id == p));
    let (entries, candidates) = match partner {
        None => (vec![], vec![]),
        Some(p) => (
            entries(&db.pool, p).await?,
            repo::customers_for(&db.pool, p, "whitelist")
                .await?
                .into_iter()
                .map(|(id, name, _)| (id, name))
                .collect(),
        ),
    };
    Ok(WhitelistConsole {
        partners,
        partner,
        entries,
        candidates,
    })
}

/// An operator adds (`add` = true) or removes one of a partner's resale customers on that
/// partner's pickup whitelist. The partner only reads its whitelist.
pub async fn set_whitelisted(
    db: &Db,
    actor: &Actor,
    partner: i64,
    customer: i64,
    add: bool,
) -> Result<(), AppError> {
    let now = now_ms();
    db.write(|tx| {
        Box::pin(async move {
            let (_, mode) = crate::funds::service::customer_of_in(tx, partner, customer)
                .await?
                .ok_or_else(|| AppError::conflict("error.vouchers.not_your_customer"))?;
            if add {
                if mode != "resale" {
                    return Err(AppError::conflict("error.vouchers.not_resale"));
                }
                repo::whitelist_add(&mut *tx, partner, customer, now).await?;
            } else {
                repo::whitelist_remove(&mut *tx, partner, customer).await?;
            }
            let action = if add {
                "vouchers.whitelist_add"
            } else {
                "vouchers.whitelist_remove"
            };
            log(
                &mut *tx,
                actor,
                action,
                &format!("partner:{partner}"),
                &format!("customer={customer}"),
                now,
            )
            .await?;
            Ok(())
        })
    })
    .await
}

/// 我的优惠券: the customer's coupons and pickup vouchers.
pub async fn customer_coupons(db: &Db, user: &SessionUser) -> Result<CustomerCoupons, AppError> {
    let customer = match (&user.role, &user.customer) {
        (Role::Customer, Some(c)) => c.id,
        _ => return Err(AppError::Forbidden),
    };
    expire_due(db).await?;
    let now = now_ms();
    let list = |kind: &'static str| CouponFilter {
        partner: None,
        customer: Some(customer),
        kind: Some(kind),
        status: None,
        now,
        offset: 0,
        limit: 100,
    };
    let (coupons, _) = repo::list_coupons(&db.pool, &list("coupon")).await?;
    let (pickups, _) = repo::list_coupons(&db.pool, &list("pickup")).await?;
    Ok(CustomerCoupons {
        coupons: coupons
            .into_iter()
            .filter_map(|r| coupon_view(r, now))
            .collect(),
        pickups: pickups
            .into_iter()
            .filter_map(|r| coupon_view(r, now))
            .collect(),
    })
}

/// What giving resellers a quota would do (the request's `face` is the amount per reseller and
/// its `customers` the resellers). Moves nothing.
pub async fn preview_quota_issue(
    db: &Db,
    user: &SessionUser,
    req: &IssueRequest,
) -> Result<IssuePreview, AppError> {
    let (partner, kind) = partner_of(user)?;
    if kind != PartnerKind::Distributor {
        return Err(AppError::conflict("error.funds.distributor_only"));
    }
    let now = now_ms();
    let q = repo::quota(&db.pool, partner, req.quota)
        .await?
        .filter(|q| q.kind == Kind::Coupon.as_str())
        .ok_or_else(|| AppError::conflict("error.vouchers.quota_not_found"))?;
    let unlimited = QuotaFacts {
        max_face_fen: None,
        ..facts(&q)?
    };
    let terms = model::check_issue(&unlimited, req, now).map_err(AppError::conflict)?;
    let names = repo::reseller_names(&db.pool, partner, &req.customers).await?;
    if names.len() != req.customers.len() {
        return Err(AppError::conflict("error.funds.not_your_reseller"));
    }
    Ok(IssuePreview {
        quota_id: q.id,
        kind: Kind::Coupon,
        face: req.face.money(),
        customers: names,
        total: m(terms.total_fen),
        quota_before: m(q.balance_fen),
        quota_after: m(q.balance_fen - terms.total_fen),
        effective_at: q.effective_at,
        expires_at: q.expires_at,
        trans_id: trans_id(None)?,
    })
}

/// The resellers' quotas a distributor would take back, with what each holds. Moves nothing.
pub async fn preview_quota_reclaim(
    db: &Db,
    user: &SessionUser,
    ids: &[i64],
) -> Result<Vec<Quota>, AppError> {
    let (partner, kind) = partner_of(user)?;
    if kind != PartnerKind::Distributor {
        return Err(AppError::conflict("error.funds.distributor_only"));
    }
    let now = now_ms();
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let q = repo::child_quota(&db.pool, partner, id)
            .await?
            .ok_or_else(|| AppError::conflict("error.vouchers.quota_not_found"))?;
        if q.status != QuotaStatus::Normal.code() {
            return Err(AppError::conflict("error.vouchers.quota_not_reclaimable"));
        }
        out.push(quota_view(q, now).ok_or(AppError::Internal)?);
    }
    Ok(out)
}

pub async fn eligible_customers(
    db: &Db,
    user: &SessionUser,
    which: &str,
) -> Result<Vec<(i64, String, String)>, AppError> {
    let (partner, _) = partner_of(user)?;
    if !matches!(which, "coupon" | "pickup") {
        return Err(AppError::BadRequest);
    }
    Ok(repo::customers_for(&db.pool, partner, which).await?)
}
