//! `POST /v3/auth/tokens`: IAM-style tokens for a partner user's login and password.

use super::handlers::{ApiError, MAX_BODY, api_origin};
use super::service::{self};
use super::wire::*;
use crate::server::state::AppState;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

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
pub(super) async fn issue_token(
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
