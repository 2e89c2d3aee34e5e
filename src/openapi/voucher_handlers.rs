//! The BSS coupon and quota operations (优惠券, 代金券额度) over the console's vouchers service,
//! with the SDK models' field names.

use super::handlers::{ApiError, Signed, own_reseller_id};
use super::wire::*;
use crate::domain::{Amount, Money};
use crate::error::AppError;
use crate::vouchers::VoucherError;
use crate::vouchers::model::{
    CouponSearch, IssueRequest, Kind, Limits, MAX_CUSTOMERS_API, Quota, QuotaSearch, parse_remark,
};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct QueryCouponQuotasReqExt {
    quota_ids: Option<Vec<String>>,
    quota_status_list: Option<Vec<i64>>,
    quota_type: Option<i64>,
    create_time_begin: Option<String>,
    create_time_end: Option<String>,
    effective_time_begin: Option<String>,
    effective_time_end: Option<String>,
    expire_time_begin: Option<String>,
    expire_time_end: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
    indirect_partner_id: Option<String>,
}

#[derive(Serialize)]
struct CouponQuotaV2 {
    quota_id: String,
    quota_type: i64,
    create_time: String,
    last_update_time: String,
    quota_value: Box<RawValue>,
    quota_status: i64,
    balance: Box<RawValue>,
    measure_id: i64,
    currency: &'static str,
    effective_time: String,
    expire_time: String,
    limit_infos: Vec<QuotaLimitInfo>,
}

#[derive(Serialize)]
struct QuotaLimitInfo {
    limit_key: &'static str,
    limit_values: Vec<String>,
}

fn quota_v2(q: Quota) -> CouponQuotaV2 {
    let mut limit_infos = Vec::new();
    if !q.service_types.is_empty() {
        limit_infos.push(QuotaLimitInfo {
            limit_key: "cloud_service_types",
            limit_values: q.service_types.clone(),
        });
    }
    if !q.products.is_empty() {
        limit_infos.push(QuotaLimitInfo {
            limit_key: "product_ids",
            limit_values: q.products.clone(),
        });
    }
    if let Some(m) = q.max_face {
        limit_infos.push(QuotaLimitInfo {
            limit_key: "max_face_value",
            limit_values: vec![m.to_string()],
        });
    }
    CouponQuotaV2 {
        quota_id: q.id.to_string(),
        quota_type: q.quota_type,
        create_time: utc(q.created_at),
        last_update_time: utc(q.updated_at),
        quota_value: number(q.value),
        quota_status: q.status.code(),
        balance: number(q.balance),
        measure_id: 1,
        currency: "CNY",
        effective_time: utc(q.effective_at),
        expire_time: utc(q.expires_at),
        limit_infos,
    }
}

/// list_quota_coupons: 查询优惠券额度.
pub(super) async fn list_quota_coupons(
    Signed {
        state,
        user,
        uri: _,
        body,
        ..
    }: Signed<false>,
) -> Result<Response, ApiError> {
    let req: QueryCouponQuotasReqExt = if body.is_empty() {
        QueryCouponQuotasReqExt::default()
    } else {
        parse(&body)?
    };
    let page = body_window(req.offset, req.limit)?;
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
        statuses: req.quota_status_list.clone(),
        quota_type: req.quota_type,
        created: body_span(req.create_time_begin.as_ref(), req.create_time_end.as_ref())?,
        effective: body_span(
            req.effective_time_begin.as_ref(),
            req.effective_time_end.as_ref(),
        )?,
        expires: body_span(req.expire_time_begin.as_ref(), req.expire_time_end.as_ref())?,
        parent: None,
    };
    let found =
        crate::vouchers::service::search_quotas(&state.db, &user, Kind::Coupon, &search, page)
            .await?;
    let total_count = found.total;
    let quotas: Vec<CouponQuotaV2> = found.items.into_iter().map(quota_v2).collect();
    Ok(
        axum::Json(serde_json::json!({ "total_count": total_count, "quotas": quotas }))
            .into_response(),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreatePartnerCouponsReq {
    quota_id: String,
    customer_ids: Vec<String>,
    #[serde(deserialize_with = "amount")]
    face_value: String,
    valid_time: Option<String>,
    expire_time: Option<String>,
    cloud_service_types: Option<Vec<String>>,
    product_ids: Option<Vec<String>>,
    memo: Option<String>,
    indirect_partner_id: Option<String>,
}

/// create_partner_coupons: 发放优惠券.
pub(super) async fn create_partner_coupons(
    Signed {
        origin,
        state,
        user,
        uri: _,
        body,
        client_token,
    }: Signed<true>,
) -> Result<Response, ApiError> {
    let req: CreatePartnerCouponsReq = parse(&body)?;
    own_reseller_id(&user, req.indirect_partner_id.as_deref())?;
    let issue = issue_request(&req)?;
    let outcome = crate::vouchers::service::issue(
        &state.db,
        &user,
        &origin,
        Kind::Coupon,
        &issue,
        client_token.as_deref(),
    )
    .await?;
    let infos: Vec<serde_json::Value> = outcome
        .items
        .iter()
        .zip(issue.customers.iter())
        .map(|(item, customer)| serde_json::json!({ "id": customer.to_string(), "coupon_id": item.id.to_string() }))
        .collect();
    Ok(
        axum::Json(serde_json::json!({ "error_details": [], "coupon_infos": infos }))
            .into_response(),
    )
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
    let face = Amount::parse(&req.face_value).map_err(|_| invalid(VoucherError::FaceValue))?;
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReclaimPartnerCouponsReq {
    coupon_id: String,
    indirect_partner_id: Option<String>,
}

/// reclaim_partner_coupons: 回收优惠券 (its whole remaining balance).
pub(super) async fn reclaim_partner_coupons(
    Signed {
        origin,
        state,
        user,
        uri: _,
        body,
        client_token,
    }: Signed<true>,
) -> Result<Response, ApiError> {
    let req: ReclaimPartnerCouponsReq = parse(&body)?;
    own_reseller_id(&user, req.indirect_partner_id.as_deref())?;
    let coupon = id(&req.coupon_id, "coupon_id")?;
    crate::vouchers::service::reclaim(
        &state.db,
        &user,
        &origin,
        Kind::Coupon,
        &[coupon],
        client_token.as_deref(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// list_issued_partner_coupons: 查询已发放的优惠券.
pub(super) async fn list_issued_partner_coupons(
    Signed {
        state, user, uri, ..
    }: Signed<false>,
) -> Result<Response, ApiError> {
    let q = query(
        &uri,
        &[
            "coupon_id",
            "customer_id",
            "order_id",
            "coupon_type",
            "status",
            "create_time_begin",
            "create_time_end",
            "effective_time_begin",
            "effective_time_end",
            "expire_time_begin",
            "expire_time_end",
            "offset",
            "limit",
            "indirect_partner_id",
        ],
    )?;
    let page = window(&q)?;
    own_reseller_id(&user, q.get("indirect_partner_id").map(String::as_str))?;
    let status = match q.get("status") {
        None => None,
        Some(s) => Some(
            s.parse::<i64>()
                .ok()
                .and_then(crate::vouchers::model::CouponStatus::from_code)
                .ok_or_else(|| ApiError::Bad("Invalid status.".into()))?,
        ),
    };
    let search = CouponSearch {
        status,
        id: optional_id(q.get("coupon_id").map(String::as_str), "coupon_id")?,
        customer: optional_id(q.get("customer_id").map(String::as_str), "customer_id")?,
        created: span(&q, "create_time_begin", "create_time_end")?,
        effective: span(&q, "effective_time_begin", "effective_time_end")?,
        expires: span(&q, "expire_time_begin", "expire_time_end")?,
    };
    // Only 代金券 (coupon_type 1) are issued here; order ids are not coupons' (one use each).
    let none = q.get("coupon_type").is_some_and(|t| t != "1") || q.contains_key("order_id");
    let found = if none {
        page.answer(Vec::new(), 0)
    } else {
        crate::vouchers::service::search_coupons(&state.db, &user, Kind::Coupon, &search, page)
            .await?
    };
    let total_count = found.total;
    let user_coupons: Vec<serde_json::Value> = found
        .items
        .into_iter()
        .map(|c| {
            serde_json::json!({
                "coupon_id": c.id.to_string(),
                "status": c.status.code(),
                "customer_id": c.customer_id.to_string(),
                "coupon_type": 1,
                "measure_id": 1,
                "face_value": number(c.face),
                "effective_time": utc(c.effective_at),
                "expire_time": utc(c.expires_at),
                "create_time": utc(c.created_at),
                "balance": number(c.balance),
                "use_limits": [],
            })
        })
        .collect();
    Ok(
        axum::Json(serde_json::json!({ "total_count": total_count, "user_coupons": user_coupons }))
            .into_response(),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdjustCouponQuotasReq {
    quota_id: String,
    indirect_partner_ids: Vec<String>,
    #[serde(deserialize_with = "amount")]
    quota_amount: String,
}

/// update_coupon_quotas: 向云经销商发放代金券额度 (distributors only).
pub(super) async fn update_coupon_quotas(
    Signed {
        origin,
        state,
        user,
        uri: _,
        body,
        client_token,
    }: Signed<true>,
) -> Result<Response, ApiError> {
    let req: AdjustCouponQuotasReq = parse(&body)?;
    let quota = id(&req.quota_id, "quota_id")?;
    if req.indirect_partner_ids.is_empty() || req.indirect_partner_ids.len() > 20 {
        return Err(ApiError::Bad(
            "indirect_partner_ids: 1 to 20 resellers.".into(),
        ));
    }
    let resellers = dedup_ids(&req.indirect_partner_ids, "indirect_partner_ids")?;
    let amount =
        Amount::parse(&req.quota_amount).map_err(|k| ApiError::App(AppError::invalid(k)))?;
    let outcome = crate::vouchers::service::issue_quota(
        &state.db,
        &user,
        &origin,
        quota,
        &resellers,
        amount,
        client_token.as_deref(),
    )
    .await?;
    let infos: Vec<serde_json::Value> = outcome
        .items
        .iter()
        .map(|i| serde_json::json!({ "id": i.number, "quota_id": i.id.to_string() }))
        .collect();
    Ok(
        axum::Json(serde_json::json!({ "error_details": [], "simple_quota_infos": infos }))
            .into_response(),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReclaimCouponQuotasReq {
    quota_ids: Vec<String>,
    remark: Option<String>,
}

/// reclaim_coupon_quotas: 回收云经销商的代金券额度 (the whole remaining balance of each).
pub(super) async fn reclaim_coupon_quotas(
    Signed {
        origin,
        state,
        user,
        uri: _,
        body,
        client_token,
    }: Signed<true>,
) -> Result<Response, ApiError> {
    let req: ReclaimCouponQuotasReq = parse(&body)?;
    if req.quota_ids.is_empty() || req.quota_ids.len() > 20 {
        return Err(ApiError::Bad("quota_ids: 1 to 20 quotas.".into()));
    }
    let ids = dedup_ids(&req.quota_ids, "quota_ids")?;
    let remark = parse_remark(req.remark.as_deref().unwrap_or(""))
        .map_err(|e| ApiError::App(e.invalid()))?;
    let outcome = crate::vouchers::service::reclaim_quotas(
        &state.db,
        &user,
        &origin,
        &ids,
        &remark,
        client_token.as_deref(),
    )
    .await?;
    let infos: Vec<serde_json::Value> = outcome
        .items
        .iter()
        .map(|i| serde_json::json!({ "quota_id": i.id.to_string(), "quota_balance": number(Money::ZERO) }))
        .collect();
    Ok(
        axum::Json(serde_json::json!({ "error_details": [], "simple_quota_infos": infos }))
            .into_response(),
    )
}

/// list_issued_coupon_quotas: 查询已发放的代金券额度 (distributors only).
pub(super) async fn list_issued_coupon_quotas(
    Signed {
        state, user, uri, ..
    }: Signed<false>,
) -> Result<Response, ApiError> {
    let q = query(
        &uri,
        &[
            "quota_id",
            "indirect_partner_id",
            "parent_quota_id",
            "offset",
            "limit",
        ],
    )?;
    let page = window(&q)?;
    let search = QuotaSearch {
        issued: true,
        ids: optional_id(q.get("quota_id").map(String::as_str), "quota_id")?.map(|i| vec![i]),
        reseller: optional_id(
            q.get("indirect_partner_id").map(String::as_str),
            "indirect_partner_id",
        )?,
        parent: optional_id(
            q.get("parent_quota_id").map(String::as_str),
            "parent_quota_id",
        )?,
        ..QuotaSearch::default()
    };
    let found =
        crate::vouchers::service::search_quotas(&state.db, &user, Kind::Coupon, &search, page)
            .await?;
    let total_count = found.total;
    let quotas: Vec<serde_json::Value> = found
        .items
        .into_iter()
        .map(|x| {
            let reseller = x.reseller_id.map(|r| r.to_string()).unwrap_or_default();
            let name = x.reseller_name.clone().unwrap_or_default();
            let parent = x.parent_id.map(|p| p.to_string()).unwrap_or_default();
            let mut v = serde_json::to_value(quota_v2(x)).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.insert("indirect_partner_id".into(), reseller.into());
                o.insert("indirect_partner_name".into(), name.clone().into());
                o.insert("indirect_partner_account_name".into(), name.into());
                o.insert("parent_quota_id".into(), parent.into());
            }
            v
        })
        .collect();
    Ok(
        axum::Json(serde_json::json!({ "total_count": total_count, "quotas": quotas }))
            .into_response(),
    )
}

/// list_coupon_quotas_records: 查询代金券额度的发放回收记录 (10 发放额度, 11 回收额度).
pub(super) async fn list_coupon_quotas_records(
    Signed {
        state, user, uri, ..
    }: Signed<false>,
) -> Result<Response, ApiError> {
    use crate::vouchers::model::Operation;
    let q = query(
        &uri,
        &[
            "indirect_partner_id",
            "quota_id",
            "operation_time_begin",
            "operation_time_end",
            "parent_quota_id",
            "operation_type",
            "offset",
            "limit",
        ],
    )?;
    let page = window(&q)?;
    // A value that is not 10 or 11 is not a filter (as the SDK documents): both then.
    let operations = match q.get("operation_type").map(String::as_str) {
        Some("10") => vec![Operation::QuotaIssue],
        Some("11") => vec![Operation::QuotaReclaim],
        _ => vec![Operation::QuotaIssue, Operation::QuotaReclaim],
    };
    let (from, to) = span(&q, "operation_time_begin", "operation_time_end")?;
    let search = crate::vouchers::service::RecordSearch {
        operations: Some(operations),
        from_ms: from.unwrap_or(0),
        to_ms: to.map_or(i64::MAX, |t| t.saturating_add(1)),
        reseller: optional_id(
            q.get("indirect_partner_id").map(String::as_str),
            "indirect_partner_id",
        )?,
        quota: optional_id(q.get("quota_id").map(String::as_str), "quota_id")?,
        parent_quota: optional_id(
            q.get("parent_quota_id").map(String::as_str),
            "parent_quota_id",
        )?,
    };
    let found =
        crate::vouchers::service::records(&state.db, &user, Kind::Coupon, &search, page).await?;
    let total_count = found.total;
    let records: Vec<serde_json::Value> = found
        .items
        .into_iter()
        .map(|r| {
            let name = r.reseller_name.clone().unwrap_or_default();
            serde_json::json!({
                "id": r.id.to_string(),
                "operator": r.actor,
                "operation_type": r.operation.code().to_string(),
                "quota_id": r.quota_id.to_string(),
                "parent_quota_id": r.parent_quota_id.map(|p| p.to_string()).unwrap_or_default(),
                "amount": number(r.amount),
                "operation_time": utc(r.created_at),
                "result": "0",
                "indirect_partner_account_name": name,
                "indirect_partner_id": r.reseller_id.map(|x| x.to_string()).unwrap_or_default(),
                "indirect_partner_name": r.reseller_name.unwrap_or_default(),
                "remark": r.remark,
            })
        })
        .collect();
    Ok(
        axum::Json(serde_json::json!({ "total_count": total_count, "records": records }))
            .into_response(),
    )
}
