//! Quotas: a distributor's quotas for its resellers (issued from its own, reclaimed whole), and
//! the operator's grants and status changes.

use super::*;
use crate::accounts::audit::Caller;
use crate::accounts::audit::Target;
use crate::messages::service::tell_partner;
use crate::vouchers::VoucherError;

/// Where a partner sees its quotas: the link of the notices about them.
const QUOTAS_PAGE: &str = "/center/sales/vouchers";

/// The signed-in distributor; any other partner is refused.
fn distributor_of(user: &SessionUser) -> Result<i64, AppError> {
    match user.as_partner()? {
        p if p.kind == PartnerKind::Distributor => Ok(p.id),
        _ => Err(crate::funds::FundsError::DistributorOnly.conflict()),
    }
}

/// 向云经销商发放代金券额度: a distributor gives each reseller a quota of `amount` from one of
/// its own.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn issue_quota(
    cx: &Caller,
    parent: i64,
    resellers: &[i64],
    amount: Amount,
    trans: Option<&str>,
) -> Result<Outcome, AppError> {
    let (db, partner) = (&cx.db, distributor_of(&cx.user)?);
    let hash = format!("quota-issue|{parent}|{resellers:?}|{}", amount.fen());
    let op = &Op::new(cx, partner, trans, hash)?;
    let actor = &op.actor;
    op.run(db, &|tx, now| {
        Box::pin(async move {
            let q = issuing_quota(&mut *tx, partner, Kind::Coupon, parent).await?;
            let f = facts(&q)?;
            let n = i64::try_from(resellers.len()).map_err(|_| AppError::BadRequest)?;
            let total = amount
                .fen()
                .checked_mul(n)
                .ok_or_else(|| VoucherError::QuotaInsufficient.conflict())?;
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
            model::check_issue(&unlimited, &as_issue, now).map_err(VoucherError::conflict)?;
            let names = repo::reseller_names(&mut **tx, partner, resellers).await?;
            if names.len() != resellers.len() {
                return Err(crate::funds::FundsError::NotYourReseller.conflict());
            }
            let after = repo::debit_quota(&mut *tx, q.id, total, now)
                .await?
                .ok_or_else(|| VoucherError::QuotaInsufficient.conflict())?;
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
            let outcome = outcome(items, total, Some(after))?;
            let detail = format!("parent={}", q.id);
            op.conclude(tx, "vouchers.quota_issue", &detail, outcome, now)
                .await
        })
    })
    .await
}

/// 回收云经销商的代金券额度: takes back the whole remaining balance of quotas this distributor
/// gave its resellers; each ends (失效).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn reclaim_quotas(
    cx: &Caller,
    ids: &[i64],
    remark: &str,
    trans: Option<&str>,
) -> Result<Outcome, AppError> {
    let (db, partner) = (&cx.db, distributor_of(&cx.user)?);
    let hash = format!("quota-reclaim|{ids:?}|{remark}");
    let op = &Op::new(cx, partner, trans, hash)?;
    let actor = &op.actor;
    op.run(db, &|tx, now| {
        Box::pin(async move {
            let mut items = Vec::with_capacity(ids.len());
            let mut total = 0;
            for &id in ids {
                let q = repo::child_quota(&mut **tx, partner, id)
                    .await?
                    .ok_or_else(|| VoucherError::QuotaNotFound.conflict())?;
                if q.status != QuotaStatus::Normal.code() {
                    return Err(VoucherError::QuotaNotReclaimable.conflict());
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
                    amount: m(q.balance_fen)?,
                });
            }
            let outcome = outcome(items, total, None)?;
            let detail = format!("quotas={ids:?}");
            op.conclude(tx, "vouchers.quota_reclaim", &detail, outcome, now)
                .await
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
        return Err(VoucherError::Days.invalid());
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
            let (quota, value) = (id.to_string(), g.value.to_string());
            let expires = crate::domain::format_time(q.expires_at);
            let p = [
                ("quota", quota.as_str()),
                ("value", value.as_str()),
                ("expires", &expires[..10]),
            ];
            tell_partner(tx, g.partner, "voucher.quota_granted", p, QUOTAS_PAGE, now).await?;
            let detail = format!(
                "quota={id} kind={} value={}",
                g.kind.as_str(),
                g.value.money()
            );
            actor
                .record(
                    tx,
                    "vouchers.grant",
                    Target::Partner(g.partner),
                    &detail,
                    now,
                )
                .await?;
            Ok(id)
        })
    })
    .await
}

/// 额度管理: every partner's quotas, by partner, kind and status, newest first.
pub async fn operator_quotas(
    db: &Db,
    partner: Option<i64>,
    kind: Option<Kind>,
    status: Option<QuotaStatus>,
    page: PageRequest,
) -> Result<Page<super::model::OperatorQuota>, AppError> {
    let now = now_ms();
    let (rows, total) = repo::operator_quotas(
        &db.pool,
        partner,
        kind.map(Kind::as_str),
        status.map(QuotaStatus::code),
        page,
    )
    .await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let partner_id = r.quota.partner_id;
            Ok(super::model::OperatorQuota {
                partner_id,
                partner_name: r.partner_name,
                quota: quota_view(r.quota, now).ok_or(AppError::Internal)?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(page.answer(items, total))
}

/// The operator sets a quota's status (正常 / 失效 / 额度调整中 / 冻结), with the reason when
/// given (the console requires one); the partner is told and sees it at once.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_quota_status(
    db: &Db,
    actor: &Actor,
    quota: i64,
    status: QuotaStatus,
    reason: Option<&str>,
) -> Result<(), AppError> {
    let now = now_ms();
    db.write(|tx| {
        Box::pin(async move {
            if !repo::set_quota_status(&mut *tx, quota, status.code(), now).await? {
                return Err(AppError::NotFound);
            }
            let partner = repo::quota_owner(&mut *tx, quota)
                .await?
                .ok_or(AppError::NotFound)?;
            let id = quota.to_string();
            let p = [("quota", id.as_str()), ("status", status.label_key())];
            tell_partner(tx, partner, "voucher.quota_status", p, QUOTAS_PAGE, now).await?;
            actor
                .record(
                    tx,
                    "vouchers.quota_status",
                    Target::Quota(quota),
                    &match reason {
                        Some(r) => format!("status={} reason={r}", status.code()),
                        None => format!("status={}", status.code()),
                    },
                    now,
                )
                .await?;
            Ok(())
        })
    })
    .await
}

/// Every 正常 quota whose end has come at `now` becomes 失效 (it could no longer issue anyway;
/// now its status says so everywhere), and its partner is told what was left unissued. The
/// scheduler's work.
pub async fn lapse_quotas(db: &Db, actor: &Actor, now: i64) -> Result<u64, AppError> {
    use crate::server::jobs::{BATCH, Batch, drain};
    drain(db, |tx| {
        Box::pin(async move {
            let due = repo::lapsing_quotas(&mut *tx, now, BATCH).await?;
            let mut done = 0;
            for &(id, partner, balance, ends) in &due {
                if !repo::lapse_quota(&mut *tx, id, now).await? {
                    continue;
                }
                done += 1;
                let balance = Money::from_fen(balance).unwrap_or(Money::ZERO).to_string();
                let quota = id.to_string();
                let date = crate::domain::format_time(ends);
                let p = [
                    ("quota", quota.as_str()),
                    ("balance", balance.as_str()),
                    ("date", &date[..10]),
                ];
                tell_partner(tx, partner, "voucher.quota_lapsed", p, QUOTAS_PAGE, now).await?;
                actor
                    .record(tx, "vouchers.quota_lapse", Target::Quota(id), &balance, now)
                    .await?;
            }
            Ok(Batch::new(due.len(), done))
        })
    })
    .await
}

/// What giving resellers a quota would do (the request's `face` is the amount per reseller and
/// its `customers` the resellers). Moves nothing.
pub async fn preview_quota_issue(
    cx: &Caller,
    req: &IssueRequest,
) -> Result<IssuePreview, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = distributor_of(user)?;
    let now = now_ms();
    let q = repo::quota(&db.pool, partner, req.quota)
        .await?
        .filter(|q| q.kind == Kind::Coupon.as_str())
        .ok_or_else(|| VoucherError::QuotaNotFound.conflict())?;
    let unlimited = QuotaFacts {
        max_face_fen: None,
        ..facts(&q)?
    };
    let terms = model::check_issue(&unlimited, req, now).map_err(VoucherError::conflict)?;
    let names = repo::reseller_names(&db.pool, partner, &req.customers).await?;
    if names.len() != req.customers.len() {
        return Err(crate::funds::FundsError::NotYourReseller.conflict());
    }
    Ok(IssuePreview {
        quota_id: q.id,
        kind: Kind::Coupon,
        face: req.face.money(),
        customers: names,
        total: m(terms.total_fen)?,
        quota_before: m(q.balance_fen)?,
        quota_after: m(q.balance_fen - terms.total_fen)?,
        effective_at: q.effective_at,
        expires_at: q.expires_at,
        trans_id: trans_id(None)?,
    })
}

/// The resellers' quotas a distributor would take back, with what each holds. Moves nothing.
pub async fn preview_quota_reclaim(cx: &Caller, ids: &[i64]) -> Result<Vec<Quota>, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = distributor_of(user)?;
    let now = now_ms();
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let q = repo::child_quota(&db.pool, partner, id)
            .await?
            .ok_or_else(|| VoucherError::QuotaNotFound.conflict())?;
        if q.status != QuotaStatus::Normal.code() {
            return Err(VoucherError::QuotaNotReclaimable.conflict());
        }
        out.push(quota_view(q, now).ok_or(AppError::Internal)?);
    }
    Ok(out)
}
