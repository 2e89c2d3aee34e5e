//! The lists: quotas, issued coupons, the operation log, uses, a customer's coupons.

use super::*;
use crate::accounts::audit::Caller;

pub async fn quotas(cx: &Caller, kind: Kind, page: PageRequest) -> Result<Page<Quota>, AppError> {
    search_quotas(cx, kind, &QuotaSearch::default(), page).await
}

/// 已发放代金券额度 (distributors only).
pub async fn issued_quotas(cx: &Caller, page: PageRequest) -> Result<Page<Quota>, AppError> {
    let search = QuotaSearch {
        issued: true,
        ..QuotaSearch::default()
    };
    search_quotas(cx, Kind::Coupon, &search, page).await
}

/// The partner's quotas of a kind (or, `issued`, those a distributor gave its resellers)
/// matching `search`, filtered and paged in SQL.
pub async fn search_quotas(
    cx: &Caller,
    kind: Kind,
    search: &QuotaSearch,
    page: PageRequest,
) -> Result<Page<Quota>, AppError> {
    let Caller { db, user, .. } = cx;
    let (partner, partner_kind) = user.as_partner().map(|p| (p.id, p.kind))?;
    if search.issued && partner_kind != PartnerKind::Distributor {
        return Err(crate::funds::FundsError::DistributorOnly.conflict());
    }
    let now = now_ms();
    let (rows, total) =
        repo::list_quotas(&db.pool, partner, kind.as_str(), search, now, page).await?;
    let items = rows
        .into_iter()
        .map(|r| quota_view(r, now).ok_or(AppError::Internal))
        .collect::<Result<_, _>>()?;
    Ok(page.answer(items, total))
}

/// The partner's issued coupons or pickup vouchers as its list filters them (see
/// [`super::super::model::CouponQuery`]).
pub async fn coupons(
    cx: &Caller,
    kind: Kind,
    q: &super::super::model::CouponQuery,
    page: PageRequest,
) -> Result<Page<Coupon>, AppError> {
    search_coupons(cx, kind, &q.search()?, page).await
}

/// The partner's issued coupons or pickup vouchers matching `search`, filtered and paged in SQL.
pub async fn search_coupons(
    cx: &Caller,
    kind: Kind,
    search: &CouponSearch,
    page: PageRequest,
) -> Result<Page<Coupon>, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
    expire_due(db, now_ms()).await?;
    let now = now_ms();
    let filter = CouponFilter {
        partner: Some(partner),
        customer: None,
        kind: Some(kind.as_str()),
        search,
        now,
    };
    let (rows, total) = repo::list_coupons(&db.pool, &filter, page).await?;
    let items = rows
        .into_iter()
        .map(|r| coupon_view(r, now).ok_or(AppError::Internal))
        .collect::<Result<_, _>>()?;
    Ok(page.answer(items, total))
}

/// Filters of the operation log.
#[derive(Clone)]
pub struct RecordSearch {
    /// Only these operations, or all.
    pub operations: Option<Vec<Operation>>,
    /// From (inclusive) and to (exclusive), unix ms.
    pub from_ms: i64,
    pub to_ms: i64,
    pub reseller: Option<i64>,
    pub quota: Option<i64>,
    pub parent_quota: Option<i64>,
}

impl Default for RecordSearch {
    fn default() -> Self {
        RecordSearch {
            operations: None,
            from_ms: 0,
            to_ms: i64::MAX,
            reseller: None,
            quota: None,
            parent_quota: None,
        }
    }
}

pub async fn records(
    cx: &Caller,
    kind: Kind,
    search: &RecordSearch,
    page: PageRequest,
) -> Result<Page<Record>, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
    expire_due(db, now_ms()).await?;
    let codes: Option<Vec<i64>> = search
        .operations
        .as_ref()
        .map(|ops| ops.iter().map(|o| o.code()).collect());
    let filter = repo::RecordFilter {
        partner,
        kind: kind.as_str(),
        operations: codes.as_deref(),
        from_ms: search.from_ms,
        to_ms: search.to_ms,
        reseller: search.reseller,
        quota: search.quota,
        parent_quota: search.parent_quota,
    };
    let (items, total) = repo::list_records(&db.pool, &filter, page).await?;
    Ok(page.answer(items, total))
}

/// 提货券使用记录 (or coupon uses).
pub async fn uses(cx: &Caller, kind: Kind, page: PageRequest) -> Result<Page<Use>, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
    let (items, total) = repo::list_uses(&db.pool, partner, kind.as_str(), page).await?;
    Ok(page.answer(items, total))
}

/// 我的优惠券: the customer's coupons and pickup vouchers.
pub async fn customer_coupons(cx: &Caller) -> Result<CustomerCoupons, AppError> {
    let Caller { db, user, .. } = cx;
    let customer = user.as_customer()?.id;
    expire_due(db, now_ms()).await?;
    let now = now_ms();
    let any = CouponSearch::default();
    let list = |kind: &'static str| CouponFilter {
        partner: None,
        customer: Some(customer),
        kind: Some(kind),
        search: &any,
        now,
    };
    let first_100 = PageRequest::new(Some(1), Some(100));
    let (coupons, _) = repo::list_coupons(&db.pool, &list("coupon"), first_100).await?;
    let (pickups, _) = repo::list_coupons(&db.pool, &list("pickup"), first_100).await?;
    Ok(CustomerCoupons {
        coupons: coupons
            .into_iter()
            .map(|r| coupon_view(r, now).ok_or(AppError::Internal))
            .collect::<Result<_, _>>()?,
        pickups: pickups
            .into_iter()
            .map(|r| coupon_view(r, now).ok_or(AppError::Internal))
            .collect::<Result<_, _>>()?,
    })
}

pub async fn eligible_customers(
    cx: &Caller,
    which: &str,
) -> Result<Vec<(i64, String, String)>, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
    if !matches!(which, "coupon" | "pickup") {
        return Err(AppError::BadRequest);
    }
    Ok(repo::customers_for(&db.pool, partner, which).await?)
}
