//! The BSS v2 operations, at the SDK's methods and paths, over the console's services. Each
//! handler authenticates the signature, parses the body strictly, and answers with the SDK
//! model's field names (amounts as exact JSON numbers, never through a float).

use super::funds_handlers as f;
use super::service::{self, AuthError};
use super::signer;
use crate::accounts::audit::Origin;
use crate::accounts::model::SessionUser;
use crate::domain::{Amount, Money, PageRequest};
use crate::error::AppError;
use crate::i18n::{Lang, t};
use crate::server::state::AppState;
use crate::vouchers::model::{IssueRequest, Kind, Limits, MAX_CUSTOMERS_API, Quota, parse_remark};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Request};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

/// Request bodies above this are refused (413) before they are read.
pub const MAX_BODY: usize = 64 * 1024;

/// The open API's routes: path, methods (listed by `partner-center routes`) and handler.
pub fn route_table() -> Vec<crate::server::router::HttpRoute> {
    vec![
        (
            "/v2/partners/coupon-quotas/query",
            "POST",
            post(list_quota_coupons),
        ),
        (
            "/v2/promotions/benefits/partner-coupons",
            "POST,GET",
            post(create_partner_coupons).get(list_issued_partner_coupons),
        ),
        (
            "/v2/partners/coupon-quotas/indirect-partner-adjust",
            "POST",
            post(update_coupon_quotas),
        ),
        (
            "/v2/partners/coupon-quotas/indirect-partner-reclaim",
            "POST",
            post(reclaim_coupon_quotas),
        ),
        (
            "/v2/partners/issued-coupon-quotas",
            "GET",
            get(list_issued_coupon_quotas),
        ),
        (
            "/v2/partners/coupon-quotas/records",
            "GET",
            get(list_coupon_quotas_records),
        ),
        (
            "/v2/promotions/benefits/partner-coupons/reclaim",
            "POST",
            post(reclaim_partner_coupons),
        ),
        (
            "/v2/accounts/partner-accounts/indirect-partner-adjust",
            "POST",
            post(f::update_indirect_partner_account),
        ),
        (
            "/v2/accounts/partner-accounts/indirect-partner-reclaim",
            "POST",
            post(f::reclaim_indirect_partner_account),
        ),
        (
            "/v2/partners/indirect-partners/query",
            "POST",
            post(f::list_indirect_partners),
        ),
        (
            "/v2/accounts/partner-accounts/balances",
            "GET",
            get(f::list_partner_balances),
        ),
        (
            "/v3/accounts/partner-accounts/adjust-records",
            "GET",
            get(f::list_partner_adjust_records),
        ),
        (
            "/v2/accounts/partner-accounts/adjust-amount",
            "POST",
            post(f::update_customer_account_amount),
        ),
        (
            "/v2/accounts/partner-accounts/reclaim",
            "POST",
            post(f::reclaim_to_partner_account),
        ),
        (
            "/v2/partners/sub-customers/query",
            "POST",
            post(f::list_sub_customers),
        ),
        ("/v3/auth/tokens", "POST", post(issue_token)),
        ("/openapi.json", "GET", get(openapi_document)),
    ]
}

pub fn routes() -> Router<AppState> {
    route_table()
        .into_iter()
        .fold(Router::new(), |r, (path, _, handler)| {
            r.route(path, handler)
        })
        .layer(DefaultBodyLimit::max(MAX_BODY))
}

/// Why an API request is refused; answered in the Huawei shape
/// `{"error_code": "...", "error_msg": "..."}`.
pub enum ApiError {
    App(AppError),
    Auth(AuthError),
    /// A malformed request (CBC.0100) with what was wrong.
    Bad(String),
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError::App(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, msg) = match self {
            ApiError::App(e) => (
                StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                e.code().to_string(),
                t(Lang::En, e.key()).to_string(),
            ),
            ApiError::Auth(e) => (
                StatusCode::UNAUTHORIZED,
                e.code().to_string(),
                e.message().to_string(),
            ),
            ApiError::Bad(msg) => (StatusCode::BAD_REQUEST, "CBC.0100".to_string(), msg),
        };
        (
            status,
            axum::Json(serde_json::json!({ "error_code": code, "error_msg": msg })),
        )
            .into_response()
    }
}

/// The signed-in console user on whose behalf the API Explorer runs an operation. Only this
/// process can attach it to a request (as an extension); it is never read from the wire.
#[derive(Clone)]
pub struct ExplorerCaller(pub SessionUser);

/// Authenticates the request: the partner user it acts as, or the response refusing it. An
/// `X-Auth-Token` is checked as a token; anything else must carry an SDK-HMAC-SHA256 signature.
/// `changes`: the operation changes something, so a replayed signature is refused.
async fn caller(
    state: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    changes: bool,
) -> Result<SessionUser, ApiError> {
    if let Some(token) = headers.get("x-auth-token") {
        let token = token.to_str().unwrap_or("");
        return match service::authenticate_token(&state.db, token).await {
            Ok(Ok(user)) => Ok(user),
            Ok(Err(e)) => Err(ApiError::Auth(e)),
            Err(e) => Err(ApiError::App(e)),
        };
    }
    // Every header is kept, even one that is not visible ASCII (as lossy text): a dropped copy
    // would hide a duplicate from the "a header given twice is refused" rule, and such a value
    // can never match what the client signed.
    let pairs: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let request = signer::Request {
        method: method.as_str(),
        raw_path: uri.path(),
        raw_query: uri.query().unwrap_or(""),
        headers: &pairs,
        body,
    };
    match service::authenticate(&state.db, &request, changes).await {
        Ok(Ok(user)) => Ok(user),
        Ok(Err(e)) => Err(ApiError::Auth(e)),
        Err(e) => Err(ApiError::App(e)),
    }
}

/// `indirect_partner_id` on issuing and reclaiming: a reseller names itself (as the SDK's docs
/// ask); naming anyone else is refused, since a partner acts only for its own partner.
pub(super) fn own_reseller_id(user: &SessionUser, indirect: Option<&str>) -> Result<(), ApiError> {
    match (indirect, &user.partner) {
        (None, _) => Ok(()),
        (Some(i), Some(p)) if id(i, "indirect_partner_id")? == p.id => Ok(()),
        _ => Err(ApiError::App(AppError::conflict(
            "error.funds.not_your_reseller",
        ))),
    }
}

/// A request whose signature verified: the state, the partner user it acts as, its URI and body.
/// `CHANGES`: the operation changes something, so a replayed signature is refused.
pub struct Signed<const CHANGES: bool> {
    pub(super) state: AppState,
    pub(super) user: SessionUser,
    pub(super) uri: Uri,
    pub(super) body: Bytes,
    /// The client's idempotency key ([`CLIENT_TOKEN`]) of an operation that changes something:
    /// a retry with the same key and the same request answers the first result and moves
    /// nothing; the same key with another request is refused.
    pub(super) client_token: Option<String>,
    /// The caller's address, on the API channel, for the audit trail.
    pub(super) origin: Origin,
}

/// The API channel at the client's address (as `security::client_context` found it).
fn api_origin(extensions: &axum::http::Extensions) -> Origin {
    Origin::api(
        &extensions
            .get::<crate::server::security::ClientContext>()
            .map_or_else(|| "unknown".to_string(), |c| c.ip.to_string()),
    )
}

/// The optional idempotency header of the operations that move money or vouchers.
pub const CLIENT_TOKEN: &str = "x-client-token";

/// Reads [`CLIENT_TOKEN`]: absent, or once with 1–64 of `A-Za-z0-9_-` (the console's 交易流水号
/// rule); anything else is a 400 before anything is read or moved.
fn client_token(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let mut values = headers.get_all(CLIENT_TOKEN).iter();
    let Some(first) = values.next() else {
        return Ok(None);
    };
    let bad = || ApiError::Bad(format!("{CLIENT_TOKEN}: once, 1 to 64 of A-Z a-z 0-9 _ -."));
    if values.next().is_some() {
        return Err(bad());
    }
    let text = first.to_str().map_err(|_| bad())?;
    crate::funds::model::parse_trans_id(text)
        .map(Some)
        .map_err(|_| bad())
}

impl<const CHANGES: bool> FromRequest<AppState> for Signed<CHANGES> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (parts, body) = req.into_parts();
        let client_token = if CHANGES {
            client_token(&parts.headers).map_err(IntoResponse::into_response)?
        } else {
            None
        };
        let body = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let user = match parts.extensions.get::<ExplorerCaller>().cloned() {
            Some(ExplorerCaller(user)) => user,
            None => caller(
                state,
                &parts.method,
                &parts.uri,
                &parts.headers,
                &body,
                CHANGES,
            )
            .await
            .map_err(IntoResponse::into_response)?,
        };
        if let Some(token) = &client_token {
            service::claim_client_token(
                &state.db,
                &user,
                token,
                parts.method.as_str(),
                parts.uri.path(),
                &body,
            )
            .await
            .map_err(|e| ApiError::App(e).into_response())?;
        }
        Ok(Signed {
            state: state.clone(),
            origin: api_origin(&parts.extensions),
            user,
            uri: parts.uri,
            body,
            client_token,
        })
    }
}

pub(super) fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        let msg = format!(
            "Invalid request body: {}.",
            e.to_string()
                .split(" at line")
                .next()
                .unwrap_or("malformed")
        );
        ApiError::Bad(msg.to_string())
    })
}

/// An amount as the SDK sends it: a JSON number (or string) read as text, never as a float.
pub(super) fn amount<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let raw = Box::<RawValue>::deserialize(d)?;
    let text = raw.get();
    let text = text
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(text);
    Ok(text.to_string())
}

/// An exact amount as a JSON number.
pub(super) fn number(m: Money) -> Box<RawValue> {
    RawValue::from_string(m.to_string())
        .unwrap_or_else(|_| RawValue::from_string("0".into()).expect("0 is JSON"))
}

pub(super) fn utc(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

pub(super) fn parse_utc(s: &str) -> Result<i64, ApiError> {
    chrono::DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.timestamp_millis())
        .map_err(|_| ApiError::Bad("Times are UTC like 2019-05-06T08:05:01Z.".to_string()))
}

/// Parses a list of ids (already counted by the caller) in order, without duplicates, in linear
/// time.
pub(super) fn dedup_ids(raw: &[String], field: &str) -> Result<Vec<i64>, ApiError> {
    let mut seen = std::collections::HashSet::with_capacity(raw.len());
    let mut out = Vec::with_capacity(raw.len());
    for r in raw {
        let v = id(r, field)?;
        if seen.insert(v) {
            out.push(v);
        }
    }
    Ok(out)
}

pub(super) fn id(s: &str, field: &str) -> Result<i64, ApiError> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|i| *i > 0)
        .ok_or_else(|| ApiError::Bad(format!("Invalid {field}.").to_string()))
}

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
async fn list_quota_coupons(
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
    let offset = req.offset.unwrap_or(0);
    let limit = req.limit.unwrap_or(10);
    if offset < 0 || !(1..=100).contains(&limit) {
        return Err(ApiError::Bad("offset ≥ 0 and 1 ≤ limit ≤ 100.".to_string()));
    }
    let mut times = Vec::new();
    for t in [
        &req.create_time_begin,
        &req.create_time_end,
        &req.effective_time_begin,
        &req.effective_time_end,
        &req.expire_time_begin,
        &req.expire_time_end,
    ] {
        times.push(t.as_deref().map(parse_utc).transpose()?);
    }
    let all = PageRequest::API_SCAN;
    let all = match &req.indirect_partner_id {
        // A distributor asks about one of its resellers' quotas (the ones it gave).
        Some(reseller) => {
            let reseller = id(reseller, "indirect_partner_id")?;
            crate::vouchers::service::issued_quotas(&state.db, &user, all)
                .await?
                .items
                .into_iter()
                .filter(|q| q.reseller_id == Some(reseller))
                .collect::<Vec<_>>()
        }
        None => {
            crate::vouchers::service::quotas(&state.db, &user, Kind::Coupon, all)
                .await?
                .items
        }
    };
    let within = |v: i64, b: Option<i64>, e: Option<i64>| {
        b.is_none_or(|b| v >= b) && e.is_none_or(|e| v <= e)
    };
    let matching: Vec<Quota> = all
        .into_iter()
        .filter(|q| {
            req.quota_ids
                .as_ref()
                .is_none_or(|ids| ids.contains(&q.id.to_string()))
        })
        .filter(|q| {
            req.quota_status_list
                .as_ref()
                .is_none_or(|s| s.contains(&q.status.code()))
        })
        .filter(|q| req.quota_type.is_none_or(|t| t == q.quota_type))
        .filter(|q| within(q.created_at, times[0], times[1]))
        .filter(|q| within(q.effective_at, times[2], times[3]))
        .filter(|q| within(q.expires_at, times[4], times[5]))
        .collect();
    let total_count = matching.len();
    let quotas: Vec<CouponQuotaV2> = matching
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(10))
        .map(quota_v2)
        .collect();
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
async fn create_partner_coupons(
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
    let invalid = |key: &str| ApiError::App(AppError::invalid(key));
    let quota = id(&req.quota_id, "quota_id")?;
    if req.customer_ids.is_empty() {
        return Err(invalid("error.vouchers.customers_required"));
    }
    if req.customer_ids.len() > MAX_CUSTOMERS_API {
        return Err(invalid("error.vouchers.too_many_customers"));
    }
    let customers = dedup_ids(&req.customer_ids, "customer_ids")?;
    let face = Amount::parse(&req.face_value).map_err(|_| invalid("error.vouchers.face_value"))?;
    let limits = |v: &Option<Vec<String>>, too_many: &'static str| {
        Limits::parse(&v.clone().unwrap_or_default().join(","), too_many).map_err(invalid)
    };
    Ok(IssueRequest {
        quota,
        face,
        min_order: Money::ZERO,
        valid_from: req.valid_time.as_deref().map(parse_utc).transpose()?,
        expires_at: req.expire_time.as_deref().map(parse_utc).transpose()?,
        service_types: limits(
            &req.cloud_service_types,
            "error.vouchers.too_many_service_types",
        )?,
        products: limits(&req.product_ids, "error.vouchers.too_many_products")?,
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
async fn reclaim_partner_coupons(
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

/// The query of a GET operation: only the operation's parameters, each at most once.
pub(super) fn query(
    uri: &Uri,
    allowed: &[&str],
) -> Result<std::collections::HashMap<String, String>, ApiError> {
    let mut out = std::collections::HashMap::new();
    for part in uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let decode = |s: &str| signer::percent_decode(&s.replace('+', " "));
        let (Some(k), Some(v)) = (decode(k), decode(v)) else {
            return Err(ApiError::Bad("The query does not decode.".into()));
        };
        if !allowed.contains(&k.as_str()) {
            return Err(ApiError::Bad(format!("Unknown parameter {k}.")));
        }
        if out.insert(k.clone(), v).is_some() {
            return Err(ApiError::Bad(format!("Parameter {k} given twice.")));
        }
    }
    Ok(out)
}

/// offset (≥ 0, default 0) and limit (1..=100, default 10) of a query.
pub(super) fn window(
    q: &std::collections::HashMap<String, String>,
) -> Result<(usize, usize), ApiError> {
    let bad = || ApiError::Bad("offset ≥ 0 and 1 ≤ limit ≤ 100.".into());
    let offset = q
        .get("offset")
        .map_or(Ok(0), |v| v.parse::<usize>().map_err(|_| bad()))?;
    let limit = q
        .get("limit")
        .map_or(Ok(10), |v| v.parse::<usize>().map_err(|_| bad()))?;
    if !(1..=100).contains(&limit) {
        return Err(bad());
    }
    Ok((offset, limit))
}

pub(super) fn time_filter(
    q: &std::collections::HashMap<String, String>,
    begin: &str,
    end: &str,
    v: i64,
) -> Result<bool, ApiError> {
    let b = q.get(begin).map(|s| parse_utc(s)).transpose()?;
    let e = q.get(end).map(|s| parse_utc(s)).transpose()?;
    Ok(b.is_none_or(|b| v >= b) && e.is_none_or(|e| v <= e))
}

/// The total and the `offset`/`limit` window of a filtered list, each item mapped to its answer.
pub(super) fn paged<T, U>(
    items: Vec<T>,
    offset: usize,
    limit: usize,
    f: impl FnMut(T) -> U,
) -> (usize, Vec<U>) {
    let total = items.len();
    (
        total,
        items.into_iter().skip(offset).take(limit).map(f).collect(),
    )
}

pub(super) const ALL: PageRequest = PageRequest::API_SCAN;

/// list_issued_partner_coupons: 查询已发放的优惠券.
async fn list_issued_partner_coupons(
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
    let (offset, limit) = window(&q)?;
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
    // Only 代金券 (coupon_type 1) are issued here; order ids are not coupons' (one use each).
    let wrong_type = q.get("coupon_type").is_some_and(|t| t != "1");
    let all = crate::vouchers::service::coupons(&state.db, &user, Kind::Coupon, status, ALL)
        .await?
        .items;
    let mut matching = Vec::new();
    for c in all {
        let keep = !wrong_type
            && q.get("coupon_id").is_none_or(|v| *v == c.id.to_string())
            && q.get("customer_id")
                .is_none_or(|v| *v == c.customer_id.to_string())
            && !q.contains_key("order_id")
            && time_filter(&q, "create_time_begin", "create_time_end", c.created_at)?
            && time_filter(
                &q,
                "effective_time_begin",
                "effective_time_end",
                c.effective_at,
            )?
            && time_filter(&q, "expire_time_begin", "expire_time_end", c.expires_at)?;
        if keep {
            matching.push(c);
        }
    }
    let (total_count, user_coupons): (usize, Vec<serde_json::Value>) =
        paged(matching, offset, limit, |c| {
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
        });
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
async fn update_coupon_quotas(
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
async fn reclaim_coupon_quotas(
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
        .map_err(|k| ApiError::App(AppError::invalid(k)))?;
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
async fn list_issued_coupon_quotas(
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
    let (offset, limit) = window(&q)?;
    let matching: Vec<Quota> = crate::vouchers::service::issued_quotas(&state.db, &user, ALL)
        .await?
        .items
        .into_iter()
        .filter(|x| q.get("quota_id").is_none_or(|v| *v == x.id.to_string()))
        .filter(|x| {
            q.get("indirect_partner_id")
                .is_none_or(|v| Some(v.clone()) == x.reseller_id.map(|r| r.to_string()))
        })
        .filter(|x| {
            q.get("parent_quota_id")
                .is_none_or(|v| Some(v.clone()) == x.parent_id.map(|p| p.to_string()))
        })
        .collect();
    let (total_count, quotas): (usize, Vec<serde_json::Value>) =
        paged(matching, offset, limit, |x| {
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
        });
    Ok(
        axum::Json(serde_json::json!({ "total_count": total_count, "quotas": quotas }))
            .into_response(),
    )
}

/// list_coupon_quotas_records: 查询代金券额度的发放回收记录 (10 发放额度, 11 回收额度).
async fn list_coupon_quotas_records(
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
    let (offset, limit) = window(&q)?;
    // A value that is not 10 or 11 is not a filter (as the SDK documents).
    let op = match q.get("operation_type").map(String::as_str) {
        Some("10") => Some(Operation::QuotaIssue),
        Some("11") => Some(Operation::QuotaReclaim),
        _ => None,
    };
    let search = crate::vouchers::service::RecordSearch {
        operation: op,
        from_ms: 0,
        to_ms: i64::MAX,
    };
    let all = crate::vouchers::service::records(&state.db, &user, Kind::Coupon, &search, ALL)
        .await?
        .items;
    let mut matching = Vec::new();
    for r in all {
        let keep = matches!(r.operation, Operation::QuotaIssue | Operation::QuotaReclaim)
            && q.get("indirect_partner_id")
                .is_none_or(|v| Some(v.clone()) == r.reseller_id.map(|x| x.to_string()))
            && q.get("quota_id")
                .is_none_or(|v| *v == r.quota_id.to_string())
            && q.get("parent_quota_id")
                .is_none_or(|v| Some(v.clone()) == r.parent_quota_id.map(|x| x.to_string()))
            && time_filter(
                &q,
                "operation_time_begin",
                "operation_time_end",
                r.created_at,
            )?;
        if keep {
            matching.push(r);
        }
    }
    let (total_count, records): (usize, Vec<serde_json::Value>) =
        paged(matching, offset, limit, |r| {
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
        });
    Ok(
        axum::Json(serde_json::json!({ "total_count": total_count, "records": records }))
            .into_response(),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenReq {
    auth: TokenAuth,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenAuth {
    identity: TokenIdentity,
    /// Accepted for compatibility with IAM's request; a token acts for the user's own partner.
    #[allow(dead_code)]
    scope: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenIdentity {
    methods: Vec<String>,
    password: Option<TokenPassword>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenPassword {
    user: TokenUser,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenUser {
    name: String,
    password: String,
    /// IAM's account (domain) of the user; logins here are unique, so it is not needed.
    #[allow(dead_code)]
    domain: Option<serde_json::Value>,
}

/// `POST /v3/auth/tokens`: a token for a partner user's login and password, in IAM's shape (the
/// token in the `X-Subject-Token` header, 201). Failures are throttled like console sign-ins.
async fn issue_token(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let origin = api_origin(request.extensions());
    let body = axum::body::to_bytes(request.into_body(), MAX_BODY)
        .await
        .map_err(|_| ApiError::Bad("The body is over 64 KiB.".into()))?;
    let req: TokenReq = parse(&body)?;
    let identity = req.auth.identity;
    let Some(password) = identity
        .password
        .filter(|_| identity.methods.iter().any(|m| m == "password"))
    else {
        return Err(ApiError::Bad(
            "Only the password method is supported.".into(),
        ));
    };
    let issued = service::issue_token(
        &state.db,
        &password.user.name,
        &password.user.password,
        &origin,
    )
    .await?;
    let partner = issued
        .user
        .partner
        .as_ref()
        .map(|p| (p.id.to_string(), p.name.clone()))
        .unwrap_or_default();
    let body = serde_json::json!({
        "token": {
            "methods": ["password"],
            "issued_at": utc(issued.issued_at),
            "expires_at": utc(issued.expires_at),
            "user": {
                "id": issued.user.id.to_string(),
                "name": issued.user.login,
                "domain": { "id": partner.0, "name": partner.1 },
            },
        }
    });
    let mut res = (StatusCode::CREATED, axum::Json(body)).into_response();
    if let Ok(v) = axum::http::HeaderValue::from_str(&issued.token) {
        res.headers_mut().insert("x-subject-token", v);
    }
    Ok(res)
}

/// `GET /openapi.json`: the OpenAPI 3 document of the whole API.
async fn openapi_document() -> Response {
    axum::Json(super::document::document()).into_response()
}

/// Runs `op` for a signed-in console user (the API Explorer): the request goes through this
/// router with the user attached as [`ExplorerCaller`], so it meets exactly the checks, limits and
/// answers of a signed call.
pub async fn explore(
    state: AppState,
    user: SessionUser,
    op: &super::catalog::Operation,
    query: &str,
    body: String,
    client_token: &str,
) -> Result<super::model::Exchange, AppError> {
    use tower::ServiceExt;
    let query = query.trim().trim_start_matches('?');
    let url = if query.is_empty() || op.in_body() {
        op.path.to_string()
    } else {
        format!("{}?{query}", op.path)
    };
    let body = if op.in_body() { body } else { String::new() };
    let mut request = axum::http::Request::builder()
        .method(op.method)
        .uri(&url)
        .header("content-type", "application/json");
    if op.changes && !client_token.is_empty() {
        request = request.header(CLIENT_TOKEN, client_token);
    }
    let request = request
        .extension(ExplorerCaller(user))
        .body(axum::body::Body::from(body.clone()))
        .map_err(|_| AppError::invalid("error.openapi.explorer_query"))?;
    let response = routes()
        .with_state(state)
        .oneshot(request)
        .await
        .map_err(|_| AppError::Internal)?;
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .map_err(|_| AppError::Internal)?;
    let text = String::from_utf8_lossy(&bytes).to_string();
    let response_body = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or(text);
    Ok(super::model::Exchange {
        method: op.method.to_string(),
        url,
        request_body: body,
        status,
        response_body,
    })
}
