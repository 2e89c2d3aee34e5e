//! The lists: quotas, issued coupons, the operation log, uses, a customer's coupons.

use super::*;

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
            .map(|r| quota_view(r, now).ok_or(AppError::Internal))
            .collect::<Result<_, _>>()?,
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
        return Err(crate::funds::FundsError::DistributorOnly.conflict());
    }
    let now = now_ms();
    let (rows, total) = repo::issued_quotas(&db.pool, partner, page.offset(), page.limit()).await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(|r| quota_view(r, now).ok_or(AppError::Internal))
            .collect::<Result<_, _>>()?,
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
            .map(|r| coupon_view(r, now).ok_or(AppError::Internal))
            .collect::<Result<_, _>>()?,
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
        .map(|r| {
            Ok(Record {
                id: r.id,
                kind: Kind::parse(&r.kind).ok_or(AppError::Internal)?,
                operation: Operation::from_code(r.operation).ok_or(AppError::Internal)?,
                quota_id: r.quota_id,
                parent_quota_id: r.parent_quota_id,
                coupon_number: r.coupon_number,
                customer_name: r.customer_name,
                reseller_name: r.reseller_name,
                reseller_id: r.reseller_id,
                amount: m(r.amount_fen)?,
                remark: r.remark,
                actor: r.actor,
                created_at: r.created_at,
            })
        })
        .collect::<Result<_, AppError>>()?;
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
            .map(|r| {
                Ok(Use {
                    coupon_number: r.coupon_number,
                    customer_name: r.customer_name,
                    order_number: r.order_number,
                    amount: m(r.amount_fen)?,
                    created_at: r.created_at,
                })
            })
            .collect::<Result<_, AppError>>()?,
        number: page.number(),
        size: page.size(),
        total,
    })
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
            .map(|r| coupon_view(r, now).ok_or(AppError::Internal))
            .collect::<Result<_, _>>()?,
        pickups: pickups
            .into_iter()
            .map(|r| coupon_view(r, now).ok_or(AppError::Internal))
            .collect::<Result<_, _>>()?,
    })
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
