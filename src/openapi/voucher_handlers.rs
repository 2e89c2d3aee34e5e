//! The BSS coupon and quota operations (优惠券, 代金券额度) over the console's vouchers service,
//! reading and answering the typed shapes of [`super::ops`].

use super::handlers::{ApiError, Change, Read, own_reseller_id};
use super::ops::*;
use super::schema::Num;
use super::wire::*;
use crate::domain::{Amount, Money};
use crate::vouchers::VoucherError;
use crate::vouchers::model::{
    Coupon, CouponSearch, CouponStatus, IssueRequest, Kind, Limits, MAX_CUSTOMERS_API, Operation,
    Quota, QuotaSearch, parse_remark,
};
use crate::vouchers::service as vouchers;
use axum::Json;
use axum::http::StatusCode;

/// A list parameter of 1 to 20 ids (`field`), in order, without duplicates.
fn one_to_twenty(raw: &[String], field: &str, what: &str) -> Result<Vec<i64>, ApiError> {
    if raw.is_empty() || raw.len() > 20 {
        return Err(ApiError::Bad(format!("{field}: 1 to 20 {what}.")));
    }
    dedup_ids(raw, field)
}

/// A limit's values, as the SDK's `LimitValue`s.
fn values(values: impl IntoIterator<Item = String>) -> Vec<LimitValue> {
    values
        .into_iter()
        .map(|value1| LimitValue {
            value1,
            value2: None,
        })
        .collect()
}

fn quota_v2(q: Quota) -> CouponQuotaV2 {
    let mut limit_infos = Vec::new();
    if !q.service_types.is_empty() {
        limit_infos.push(QuotaLimitInfo {
            limit_key: "cloud_service_types",
            limit_values: values(q.service_types),
        });
    }
    if !q.products.is_empty() {
        limit_infos.push(QuotaLimitInfo {
            limit_key: "product_ids",
            limit_values: values(q.products),
        });
    }
    if let Some(m) = q.max_face {
        limit_infos.push(QuotaLimitInfo {
            limit_key: "max_face_value",
            limit_values: values([m.to_string()]),
        });
    }
    CouponQuotaV2 {
        quota_id: q.id.to_string(),
        quota_type: q.quota_type,
        create_time: utc(q.created_at),
        last_update_time: utc(q.updated_at),
        quota_value: Num(q.value),
        quota_status: q.status.code(),
        balance: Num(q.balance),
        measure_id: 1,
        currency: "CNY",
        effective_time: utc(q.effective_at),
        expire_time: utc(q.expires_at),
        limit_infos,
    }
}

fn user_coupon(c: Coupon) -> UserCoupon {
    let limit = |limit_key: &'static str, value1: String| CouponUseLimit {
        use_limiti_info_id: None,
        limit_key,
        value1,
        value2: None,
        value_unit: None,
        limit_type: None,
        promotion_plan_id: None,
    };
    let use_limits = (c.service_types.into_iter())
        .map(|v| limit("cloud_service_types", v))
        .chain(c.products.into_iter().map(|v| limit("product_ids", v)))
        .collect();
    UserCoupon {
        coupon_id: c.id.to_string(),
        status: c.status.code(),
        customer_id: c.customer_id.to_string(),
        coupon_type: 1,
        measure_id: 1,
        face_value: Num(c.face),
        effective_time: utc(c.effective_at),
        expire_time: utc(c.expires_at),
        order_id: None,
        promotion_plan_id: None,
        promotion_plan_name: None,
        promotion_plan_desc: None,
        // 电子券, 线上发放: issued by the partner, usable at once.
        media_type: 1,
        fetch_method: 3,
        use_limits,
        active_time: utc(c.created_at),
        last_used_time: None,
        promotion_id: None,
        create_time: utc(c.created_at),
        balance: Num(c.balance),
        lock_order_id: None,
        is_frozen: "0",
    }
}

/// list_quota_coupons: 查询优惠券额度.
pub(super) async fn list_quota_coupons(
    Read { cx, req, .. }: Read<QueryCouponQuotasReqExt>,
) -> Result<Json<ListQuotaCouponsResponse>, ApiError> {
    let page = window(req.offset, req.limit)?;
    let ids = req
        .quota_ids
        .as_ref()
        .map(|ids| {
            ids.iter()
                .map(|v| id(v, "quota_ids"))
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    let search = QuotaSearch {
        // A distributor asks about one of its resellers' quotas (the ones it gave).
        issued: req.indirect_partner_id.is_some(),
        reseller: req
            .indirect_partner_id
            .as_deref()
            .map(|r| id(r, "indirect_partner_id"))
            .transpose()?,
        ids,
        statuses: req.quota_status_list,
        quota_type: req.quota_type,
        created: span(&req.create_time_begin, &req.create_time_end)?,
        effective: span(&req.effective_time_begin, &req.effective_time_end)?,
        expires: span(&req.expire_time_begin, &req.expire_time_end)?,
        parent: None,
    };
    let found = vouchers::search_quotas(&cx, Kind::Coupon, &search, page).await?;
    Ok(Json(ListQuotaCouponsResponse {
        total_count: found.total,
        quotas: found.items.into_iter().map(quota_v2).collect(),
    }))
}

/// create_partner_coupons: 发放优惠券.
pub(super) async fn create_partner_coupons(
    Change {
        cx,
        req,
        client_token,
        ..
    }: Change<CreatePartnerCouponsReq>,
) -> Result<Json<CreatePartnerCouponsResponse>, ApiError> {
    own_reseller_id(&cx.user, req.indirect_partner_id.as_deref())?;
    let issue = issue_request(&req)?;
    let outcome = vouchers::issue(&cx, Kind::Coupon, &issue, client_token.as_deref()).await?;
    Ok(Json(CreatePartnerCouponsResponse {
        error_details: Vec::new(),
        coupon_infos: (outcome.items.iter().zip(issue.customers.iter()))
            .map(|(item, customer)| CouponSimpleInfo {
                id: customer.to_string(),
                coupon_id: item.id.to_string(),
            })
            .collect(),
    }))
}

fn issue_request(req: &CreatePartnerCouponsReq) -> Result<IssueRequest, ApiError> {
    let invalid = |e: VoucherError| ApiError::App(e.invalid());
    let quota = id(&req.quota_id, "quota_id")?;
    if req.customer_ids.is_empty() {
        return Err(invalid(VoucherError::CustomersRequired));
    }
    if req.customer_ids.len() > MAX_CUSTOMERS_API {
        return Err(invalid(VoucherError::TooManyCustomers));
    }
    let customers = dedup_ids(&req.customer_ids, "customer_ids")?;
    let face = Amount::parse(&req.face_value.0).map_err(|_| invalid(VoucherError::FaceValue))?;
    let limits = |v: &Option<Vec<String>>, too_many: VoucherError| {
        Limits::parse(&v.clone().unwrap_or_default().join(","), too_many).map_err(invalid)
    };
    Ok(IssueRequest {
        quota,
        face,
        min_order: Money::ZERO,
        valid_from: req.valid_time.as_deref().map(parse_utc).transpose()?,
        expires_at: req.expire_time.as_deref().map(parse_utc).transpose()?,
        service_types: limits(&req.cloud_service_types, VoucherError::TooManyServiceTypes)?,
        products: limits(&req.product_ids, VoucherError::TooManyProducts)?,
        customers,
        remark: parse_remark(req.memo.as_deref().unwrap_or("")).map_err(invalid)?,
    })
}

/// reclaim_partner_coupons: 回收优惠券 (its whole remaining balance).
pub(super) async fn reclaim_partner_coupons(
    Change {
        cx,
        req,
        client_token,
        ..
    }: Change<ReclaimPartnerCouponsReq>,
) -> Result<StatusCode, ApiError> {
    own_reseller_id(&cx.user, req.indirect_partner_id.as_deref())?;
    let coupon = id(&req.coupon_id, "coupon_id")?;
    vouchers::reclaim(&cx, Kind::Coupon, &[coupon], client_token.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// list_issued_partner_coupons: 查询已发放的优惠券.
pub(super) async fn list_issued_partner_coupons(
    Read { cx, req, .. }: Read<ListIssuedPartnerCouponsRequest>,
) -> Result<Json<ListIssuedPartnerCouponsResponse>, ApiError> {
    let page = window(req.offset, req.limit)?;
    own_reseller_id(&cx.user, req.indirect_partner_id.as_deref())?;
    let status = req
        .status
        .map(|s| CouponStatus::from_code(s).ok_or_else(|| ApiError::Bad("Invalid status.".into())))
        .transpose()?;
    let search = CouponSearch {
        status,
        id: optional_id(&req.coupon_id, "coupon_id")?,
        customer: optional_id(&req.customer_id, "customer_id")?,
        created: span(&req.create_time_begin, &req.create_time_end)?,
        effective: span(&req.effective_time_begin, &req.effective_time_end)?,
        expires: span(&req.expire_time_begin, &req.expire_time_end)?,
        ..CouponSearch::default()
    };
    // Only 代金券 (coupon_type 1) are issued here; order ids are not coupons' (one use each).
    let none = req.coupon_type.is_some_and(|t| t != 1) || req.order_id.is_some();
    let found = if none {
        page.answer(Vec::new(), 0)
    } else {
        vouchers::search_coupons(&cx, Kind::Coupon, &search, page).await?
    };
    Ok(Json(ListIssuedPartnerCouponsResponse {
        total_count: found.total,
        user_coupons: found.items.into_iter().map(user_coupon).collect(),
    }))
}

/// update_coupon_quotas: 向云经销商发放代金券额度 (distributors only).
pub(super) async fn update_coupon_quotas(
    Change {
        cx,
        req,
        client_token,
        ..
    }: Change<AdjustCouponQuotasReq>,
) -> Result<Json<UpdateCouponQuotasResponse>, ApiError> {
    let quota = id(&req.quota_id, "quota_id")?;
    let resellers = one_to_twenty(
        &req.indirect_partner_ids,
        "indirect_partner_ids",
        "resellers",
    )?;
    let outcome = vouchers::issue_quota(
        &cx,
        quota,
        &resellers,
        amount(&req.quota_amount)?,
        client_token.as_deref(),
    )
    .await?;
    Ok(Json(UpdateCouponQuotasResponse {
        error_details: Vec::new(),
        simple_quota_infos: (outcome.items.iter())
            .map(|i| QuotaSimpleInfo {
                id: i.number.clone(),
                quota_id: i.id.to_string(),
            })
            .collect(),
    }))
}

/// reclaim_coupon_quotas: 回收云经销商的代金券额度 (the whole remaining balance of each).
pub(super) async fn reclaim_coupon_quotas(
    Change {
        cx,
        req,
        client_token,
        ..
    }: Change<ReclaimCouponQuotasReq>,
) -> Result<Json<ReclaimCouponQuotasResponse>, ApiError> {
    let ids = one_to_twenty(&req.quota_ids, "quota_ids", "quotas")?;
    let remark = parse_remark(req.remark.as_deref().unwrap_or(""))
        .map_err(|e| ApiError::App(e.invalid()))?;
    let outcome = vouchers::reclaim_quotas(&cx, &ids, &remark, client_token.as_deref()).await?;
    Ok(Json(ReclaimCouponQuotasResponse {
        error_details: Vec::new(),
        simple_quota_infos: (outcome.items.iter())
            .map(|i| QuotaReclaim {
                quota_id: i.id.to_string(),
                quota_balance: Num(Money::ZERO),
            })
            .collect(),
    }))
}

/// list_issued_coupon_quotas: 查询已发放的代金券额度 (distributors only).
pub(super) async fn list_issued_coupon_quotas(
    Read { cx, req, .. }: Read<ListIssuedCouponQuotasRequest>,
) -> Result<Json<ListIssuedCouponQuotasResponse>, ApiError> {
    let page = window(req.offset, req.limit)?;
    let search = QuotaSearch {
        issued: true,
        ids: optional_id(&req.quota_id, "quota_id")?.map(|i| vec![i]),
        reseller: optional_id(&req.indirect_partner_id, "indirect_partner_id")?,
        parent: optional_id(&req.parent_quota_id, "parent_quota_id")?,
        ..QuotaSearch::default()
    };
    let found = vouchers::search_quotas(&cx, Kind::Coupon, &search, page).await?;
    Ok(Json(ListIssuedCouponQuotasResponse {
        total_count: found.total,
        quotas: (found.items.into_iter())
            .map(|x| {
                let name = x.reseller_name.clone().unwrap_or_default();
                IssuedCouponQuota {
                    indirect_partner_id: x.reseller_id.map(|r| r.to_string()).unwrap_or_default(),
                    indirect_partner_name: name.clone(),
                    indirect_partner_account_name: name,
                    parent_quota_id: x.parent_id.map(|p| p.to_string()).unwrap_or_default(),
                    quota: quota_v2(x),
                }
            })
            .collect(),
    }))
}

/// list_coupon_quotas_records: 查询代金券额度的发放回收记录 (10 发放额度, 11 回收额度).
pub(super) async fn list_coupon_quotas_records(
    Read { cx, req, .. }: Read<ListCouponQuotasRecordsRequest>,
) -> Result<Json<ListCouponQuotasRecordsResponse>, ApiError> {
    let page = window(req.offset, req.limit)?;
    // A value that is not 10 or 11 is not a filter (as the SDK documents): both then.
    let operations = match req.operation_type.as_deref() {
        Some("10") => vec![Operation::QuotaIssue],
        Some("11") => vec![Operation::QuotaReclaim],
        _ => vec![Operation::QuotaIssue, Operation::QuotaReclaim],
    };
    let (from, to) = range(&req.operation_time_begin, &req.operation_time_end)?;
    let search = vouchers::RecordSearch {
        operations: Some(operations),
        from_ms: from.unwrap_or(0),
        to_ms: to.unwrap_or(i64::MAX),
        reseller: optional_id(&req.indirect_partner_id, "indirect_partner_id")?,
        quota: optional_id(&req.quota_id, "quota_id")?,
        parent_quota: optional_id(&req.parent_quota_id, "parent_quota_id")?,
    };
    let found = vouchers::records(&cx, Kind::Coupon, &search, page).await?;
    Ok(Json(ListCouponQuotasRecordsResponse {
        total_count: found.total,
        records: (found.items.into_iter())
            .map(|r| {
                let name = r.reseller_name.unwrap_or_default();
                QuotaRecord {
                    id: r.id.to_string(),
                    operator: r.actor,
                    operation_type: r.operation.code().to_string(),
                    quota_id: r.quota_id.to_string(),
                    parent_quota_id: r.parent_quota_id.map(|p| p.to_string()).unwrap_or_default(),
                    amount: Num(r.amount),
                    operation_time: utc(r.created_at),
                    result: "0",
                    indirect_partner_account_name: name.clone(),
                    indirect_partner_id: r.reseller_id.map(|x| x.to_string()).unwrap_or_default(),
                    indirect_partner_name: name,
                    remark: r.remark,
                }
            })
            .collect(),
    }))
}
