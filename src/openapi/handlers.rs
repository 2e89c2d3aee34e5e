//! The BSS v2 operations, at the SDK's methods and paths, over the console's services. Each
//! handler authenticates the signature, parses the body strictly, and answers with the SDK
//! model's field names (amounts as exact JSON numbers, never through a float).

use super::funds_handlers as f;
use super::ops;
use super::service::{self, AuthError};
use super::signer;
use super::token_handlers::issue_token;
use super::voucher_handlers as v;
pub(super) use super::wire::*;
use crate::accounts::audit::{Caller, Origin};
use crate::accounts::model::SessionUser;
use crate::error::AppError;
use crate::i18n::{Lang, t};
use crate::server::state::AppState;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Request};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

/// Request bodies above this are refused (413) before they are read.
pub const MAX_BODY: usize = 64 * 1024;

/// The open API's routes: path, methods (listed by `partner-center routes`) and handler.
#[rustfmt::skip]
pub fn route_table() -> Vec<crate::server::router::HttpRoute> {
    use ops::*;
    vec![
        ("/v2/partners/coupon-quotas/query", "POST", post(v::list_quota_coupons)),
        ("/v2/promotions/benefits/partner-coupons", "POST,GET", post(v::create_partner_coupons).get(v::list_issued_partner_coupons)),
        ("/v2/partners/coupon-quotas/indirect-partner-adjust", "POST", post(v::update_coupon_quotas)),
        ("/v2/partners/coupon-quotas/indirect-partner-reclaim", "POST", post(v::reclaim_coupon_quotas)),
        ("/v2/partners/issued-coupon-quotas", "GET", get(v::list_issued_coupon_quotas)),
        ("/v2/partners/coupon-quotas/records", "GET", get(v::list_coupon_quotas_records)),
        ("/v2/promotions/benefits/partner-coupons/reclaim", "POST", post(v::reclaim_partner_coupons)),
        ("/v2/accounts/partner-accounts/indirect-partner-adjust", "POST", post(f::transfer::<AdjustToIndirectPartnerReq, TransferResponse>)),
        ("/v2/accounts/partner-accounts/indirect-partner-reclaim", "POST", post(f::transfer::<ReclaimIndirectPartnerAccountReq, TransResponse>)),
        ("/v2/partners/indirect-partners/query", "POST", post(f::list_indirect_partners)),
        ("/v2/accounts/partner-accounts/balances", "GET", get(f::list_partner_balances)),
        ("/v3/accounts/partner-accounts/adjust-records", "GET", get(f::list_partner_adjust_records)),
        ("/v2/accounts/partner-accounts/adjust-amount", "POST", post(f::transfer::<AdjustAccountReq, TransferResponse>)),
        ("/v2/accounts/partner-accounts/reclaim", "POST", post(f::transfer::<ReclaimToPartnerAccountBalancesReq, TransResponse>)),
        ("/v2/partners/sub-customers/query", "POST", post(f::list_sub_customers)),
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
        _ => Err(ApiError::App(
            crate::funds::FundsError::NotYourReseller.conflict(),
        )),
    }
}

/// A request whose signature verified, with its typed request `R` (the query of a GET, the JSON
/// body otherwise; 400 when it does not parse): the database, the partner user it acts as, and
/// its origin. `CHANGES`: the operation changes something, so a replayed signature is refused.
pub struct Signed<const CHANGES: bool, R> {
    /// The database, the partner user the request acts as, and its origin (the API channel).
    pub(super) cx: Caller,
    pub(super) req: R,
    /// The client's idempotency key ([`CLIENT_TOKEN`]) of an operation that changes something:
    /// a retry with the same key and the same request answers the first result and moves
    /// nothing; the same key with another request is refused.
    pub(super) client_token: Option<String>,
}

/// A signed operation that reads.
pub type Read<R> = Signed<false, R>;
/// A signed operation that changes something (replays refused, idempotency key honoured).
pub type Change<R> = Signed<true, R>;

/// The API channel at the client's address (as `security::client_context` found it).
pub(super) fn api_origin(extensions: &axum::http::Extensions) -> Origin {
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

impl<const CHANGES: bool, R> FromRequest<AppState> for Signed<CHANGES, R>
where
    R: serde::de::DeserializeOwned,
{
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
        let req = if parts.method == Method::GET {
            parse_query(&parts.uri)
        } else {
            parse(&body)
        }
        .map_err(IntoResponse::into_response)?;
        let origin = api_origin(&parts.extensions);
        Ok(Signed {
            cx: Caller::new(state.db.clone(), user, &origin),
            req,
            client_token,
        })
    }
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
