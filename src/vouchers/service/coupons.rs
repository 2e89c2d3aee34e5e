//! Coupons and pickup vouchers: issued from a quota, reclaimed, expired, spent on an order and
//! returned on its refund.

use super::*;
use crate::accounts::audit::Caller;
use crate::messages::service::{To, params, send};
use crate::vouchers::VoucherError;
use crate::vouchers::repo::Holder;

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
    // The holder is told (a refund's return is part of the refund it asked for).
    if op != Operation::RefundReclaim {
        let (balance, number) = (fen_text(c.balance_fen), c.number.as_str());
        let p = params([
            ("number", number),
            ("balance", &balance),
            ("how", op.label_key()),
        ]);
        send(
            tx,
            To::Customer(c.customer_id),
            "voucher.coupon_reclaimed",
            &p,
            Some("/customer/coupons"),
            now,
        )
        .await?;
    }
    Ok(c.balance_fen)
}

fn fen_text(fen: i64) -> String {
    Money::from_fen(fen).unwrap_or(Money::ZERO).to_string()
}

/// How long before its expiry the holder of a usable coupon is told.
pub const EXPIRY_NOTICE_MS: i64 = 3 * crate::domain::DAY_MS;

/// Tells the holders of usable coupons expiring within 3 days of `now`, once per coupon.
pub async fn notice_expiring(db: &Db, now: i64) -> Result<u64, AppError> {
    use crate::server::jobs::{BATCH, Batch, drain};
    drain(db, |tx| {
        Box::pin(async move {
            let due = repo::expiring_coupons(&mut *tx, now, now + EXPIRY_NOTICE_MS, BATCH).await?;
            let mut done = 0;
            for (id, number, customer, balance, expires) in &due {
                if !repo::mark_expiry_noticed(&mut *tx, *id, now).await? {
                    continue;
                }
                done += 1;
                let (balance, expires) = (fen_text(*balance), crate::domain::format_time(*expires));
                let p = params([
                    ("number", number.as_str()),
                    ("balance", &balance),
                    ("expires", &expires),
                ]);
                send(
                    tx,
                    To::Customer(*customer),
                    "voucher.coupon_expiring",
                    &p,
                    Some("/customer/coupons"),
                    now,
                )
                .await?;
            }
            Ok(Batch::new(due.len(), done))
        })
    })
    .await
}

/// Records the expiry of every usable coupon whose time has come at `now` (过期回收): its balance
/// goes back to its quota. Runs before voucher reads and writes, and in the scheduler.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn expire_due(db: &Db, now: i64) -> Result<u64, AppError> {
    use crate::server::jobs::{BATCH, Batch, drain};
    let system = &Actor::system();
    drain(db, |tx| {
        Box::pin(async move {
            let due = repo::due_coupons(&mut **tx, now, BATCH).await?;
            for c in &due {
                take_back(&mut *tx, c, Operation::ExpiryReclaim, system, now).await?;
            }
            Ok(Batch {
                found: due.len(),
                done: due.len() as u64,
            })
        })
    })
    .await
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
            .ok_or_else(|| VoucherError::NotYourCustomer.conflict())?;
        match kind {
            Kind::Coupon if mode != "resale" => {
                return Err(VoucherError::NotResale.conflict());
            }
            Kind::Pickup if !repo::whitelisted(&mut **tx, partner, c).await? => {
                return Err(VoucherError::NotWhitelisted.conflict());
            }
            _ => {}
        }
        names.push(name);
    }
    Ok(names)
}

pub(super) async fn issuing_quota(
    tx: &mut Tx<'_>,
    partner: i64,
    kind: Kind,
    id: i64,
) -> Result<QuotaRow, AppError> {
    repo::quota(&mut **tx, partner, id)
        .await?
        .filter(|q| q.kind == kind.as_str())
        .ok_or_else(|| VoucherError::QuotaNotFound.conflict())
}

/// What issuing would do, for the confirmation step. Moves nothing.
pub async fn preview_issue(
    cx: &Caller,
    kind: Kind,
    req: &IssueRequest,
) -> Result<IssuePreview, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    let q = issuing_quota(&mut tx, partner, kind, req.quota).await?;
    let terms = model::check_issue(&facts(&q)?, req, now).map_err(VoucherError::conflict)?;
    let names = recipients(&mut tx, partner, kind, &req.customers).await?;
    tx.rollback().await?;
    Ok(IssuePreview {
        quota_id: q.id,
        kind,
        face: req.face.money(),
        customers: req.customers.iter().copied().zip(names).collect(),
        total: m(terms.total_fen)?,
        quota_before: m(q.balance_fen)?,
        quota_after: m(q.balance_fen - terms.total_fen)?,
        effective_at: terms.effective_at,
        expires_at: terms.expires_at,
        trans_id: trans_id(None)?,
    })
}

/// Issues one coupon (or pickup voucher) per customer from a quota.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn issue(
    cx: &Caller,
    kind: Kind,
    req: &IssueRequest,
    trans: Option<&str>,
) -> Result<Outcome, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
    let op = &Op::new(cx, partner, trans, issue_hash(kind, req))?;
    expire_due(db, now_ms()).await?;
    op.run(db, &|tx, now| Box::pin(try_issue(tx, op, kind, req, now)))
        .await
}

async fn try_issue(
    tx: &mut Tx<'_>,
    op: &Op,
    kind: Kind,
    req: &IssueRequest,
    now: i64,
) -> Result<Outcome, AppError> {
    let (actor, partner) = (&op.actor, op.partner);
    let q = issuing_quota(&mut *tx, partner, kind, req.quota).await?;
    let terms = model::check_issue(&facts(&q)?, req, now).map_err(VoucherError::conflict)?;
    let names = recipients(&mut *tx, partner, kind, &req.customers).await?;
    let after = repo::debit_quota(&mut *tx, q.id, terms.total_fen, now)
        .await?
        .ok_or_else(|| VoucherError::QuotaInsufficient.conflict())?;
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
        let (face, expires) = (
            req.face.to_string(),
            crate::domain::format_time(terms.expires_at),
        );
        let p = params([
            ("number", number.as_str()),
            ("face", &face),
            ("expires", &expires),
        ]);
        send(
            tx,
            To::Customer(customer),
            "voucher.coupon_issued",
            &p,
            Some("/customer/coupons"),
            now,
        )
        .await?;
        items.push(OutcomeItem {
            id,
            number,
            customer_name: name,
            amount: req.face.money(),
        });
    }
    let outcome = outcome(items, terms.total_fen, Some(after))?;
    let action = format!("vouchers.issue.{}", kind.as_str());
    op.conclude(tx, &action, &format!("quota={}", q.id), outcome, now)
        .await
}

/// What a reclaim would take back, for the confirmation (确定回收以下提货券吗?). Moves nothing.
pub async fn preview_reclaim(
    cx: &Caller,
    kind: Kind,
    ids: &[i64],
) -> Result<Vec<Coupon>, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
    let now = now_ms();
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let c = repo::coupon_of(&db.pool, Holder::Partner(partner), id)
            .await?
            .filter(|c| c.kind == kind.as_str())
            .ok_or_else(|| VoucherError::CouponNotFound.conflict())?;
        let c = coupon_view(c, now).ok_or(AppError::Internal)?;
        if c.status != CouponStatus::Usable {
            return Err(VoucherError::CouponNotUsable.conflict());
        }
        out.push(c);
    }
    Ok(out)
}

/// Reclaims usable coupons (手动回收), all or nothing: each one's whole balance returns to its
/// quota. The outcome lists the amount actually reclaimed per coupon.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn reclaim(
    cx: &Caller,
    kind: Kind,
    ids: &[i64],
    trans: Option<&str>,
) -> Result<Outcome, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
    let hash = format!("reclaim|{}|{ids:?}", kind.as_str());
    let op = &Op::new(cx, partner, trans, hash)?;
    let actor = &op.actor;
    expire_due(db, now_ms()).await?;
    op.run(db, &|tx, now| {
        Box::pin(async move {
            let mut items = Vec::with_capacity(ids.len());
            let mut total = 0;
            for &id in ids {
                let c = repo::coupon_of(&mut **tx, Holder::Partner(partner), id)
                    .await?
                    .filter(|c| c.kind == kind.as_str())
                    .ok_or_else(|| VoucherError::CouponNotFound.conflict())?;
                let status = CouponStatus::from_code(c.status).ok_or(AppError::Internal)?;
                if status.at(c.expires_at, now) != CouponStatus::Usable {
                    return Err(VoucherError::CouponNotUsable.conflict());
                }
                let fen = take_back(&mut *tx, &c, Operation::Reclaim, actor, now).await?;
                total += fen;
                items.push(OutcomeItem {
                    id: c.id,
                    number: c.number.clone(),
                    customer_name: c.customer_name.clone(),
                    amount: m(fen)?,
                });
            }
            let outcome = outcome(items, total, None)?;
            let action = format!("vouchers.reclaim.{}", kind.as_str());
            op.conclude(tx, &action, &format!("coupons={ids:?}"), outcome, now)
                .await
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
    let c = repo::coupon_of(&mut **tx, Holder::Customer(customer), coupon)
        .await?
        .ok_or_else(|| VoucherError::CouponNotFound.conflict())?;
    let status = CouponStatus::from_code(c.status).ok_or(AppError::Internal)?;
    if status.at(c.expires_at, now) != CouponStatus::Usable || now < c.effective_at {
        return Err(VoucherError::CouponNotUsable.conflict());
    }
    if !Limits::stored(&c.products).allows(product.code)
        || !Limits::stored(&c.service_types).allows(product.service_type)
    {
        return Err(VoucherError::CouponNotApplicable.conflict());
    }
    if order_fen < c.min_order_fen {
        return Err(VoucherError::BelowMinimum.conflict());
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
    expire_due(db, now_ms()).await?;
    let now = now_ms();
    let usable = CouponSearch {
        status: Some(CouponStatus::Usable),
        ..CouponSearch::default()
    };
    let filter = CouponFilter {
        partner: None,
        customer: Some(customer),
        kind: None,
        search: &usable,
        now,
    };
    let first_100 = PageRequest::new(Some(1), Some(100));
    let (rows, _) = repo::list_coupons(&db.pool, &filter, first_100).await?;
    rows.into_iter()
        .filter(|c| {
            c.effective_at <= now
                && c.min_order_fen <= order_fen
                && Limits::stored(&c.products).allows(product.code)
                && Limits::stored(&c.service_types).allows(product.service_type)
        })
        .map(|r| coupon_view(r, now).ok_or(AppError::Internal))
        .collect::<Result<_, _>>()
}
