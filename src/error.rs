//! The one error type of the application.
//!
//! An `AppError` crosses the wire to the browser, so it carries only what the user may see:
//! a kind and, where the kind needs it, an i18n message key. Internal causes (SQL errors,
//! I/O) are logged with `tracing` where they are converted and never reach the client.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    /// The input was understood but refused; the key names the message (e.g. `error.amount.scale`).
    #[error("invalid input: {0}")]
    Invalid(String),
    /// The request itself was malformed (missing or undecodable fields).
    #[error("malformed request")]
    BadRequest,
    #[error("not signed in")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// The request conflicts with the current state; the key names the message.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("wrong account name or password")]
    BadCredentials,
    #[error("too many attempts")]
    TooManyAttempts,
    #[error("cross-origin request refused")]
    CrossOrigin,
    /// The database was too busy to finish in time; nothing was changed.
    #[error("busy, try again")]
    Busy,
    /// A part of the service is not set up on this server (e.g. no certificate font); the key
    /// names the message.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The browser could not reach the server.
    #[error("network error")]
    Network,
    #[error("internal error")]
    Internal,
}

/// On the wire an error is `{"kind": "...", "key": "error...."}`: the kind for programs, the key
/// for the message.
#[derive(Serialize, Deserialize)]
struct Wire {
    kind: String,
    key: String,
    #[serde(default)]
    code: String,
}

impl Serialize for AppError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Wire {
            kind: self.kind().to_string(),
            key: self.key().to_string(),
            code: self.code().to_string(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for AppError {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = Wire::deserialize(d)?;
        Ok(match w.kind.as_str() {
            "invalid" => AppError::Invalid(w.key),
            "conflict" => AppError::Conflict(w.key),
            "bad_request" => AppError::BadRequest,
            "unauthenticated" => AppError::Unauthenticated,
            "forbidden" => AppError::Forbidden,
            "not_found" => AppError::NotFound,
            "bad_credentials" => AppError::BadCredentials,
            "too_many_attempts" => AppError::TooManyAttempts,
            "cross_origin" => AppError::CrossOrigin,
            "busy" => AppError::Busy,
            "unavailable" => AppError::Unavailable(w.key),
            "network" => AppError::Network,
            _ => AppError::Internal,
        })
    }
}

impl AppError {
    pub fn kind(&self) -> &'static str {
        match self {
            AppError::Invalid(_) => "invalid",
            AppError::Conflict(_) => "conflict",
            AppError::BadRequest => "bad_request",
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::BadCredentials => "bad_credentials",
            AppError::TooManyAttempts => "too_many_attempts",
            AppError::CrossOrigin => "cross_origin",
            AppError::Busy => "busy",
            AppError::Unavailable(_) => "unavailable",
            AppError::Network => "network",
            AppError::Internal => "internal",
        }
    }

    pub fn invalid(key: &str) -> Self {
        AppError::Invalid(key.to_string())
    }

    pub fn conflict(key: &str) -> Self {
        AppError::Conflict(key.to_string())
    }

    /// The i18n key of the message shown to the user.
    pub fn key(&self) -> &str {
        match self {
            AppError::Invalid(k) | AppError::Conflict(k) | AppError::Unavailable(k) => k,
            AppError::BadRequest => "error.bad_request",
            AppError::Unauthenticated => "error.unauthenticated",
            AppError::Forbidden => "error.forbidden",
            AppError::NotFound => "error.not_found",
            AppError::BadCredentials => "error.bad_credentials",
            AppError::TooManyAttempts => "error.too_many_attempts",
            AppError::CrossOrigin => "error.cross_origin",
            AppError::Busy => "error.busy",
            AppError::Network => "error.network",
            AppError::Internal => "error.internal",
        }
    }

    /// The Huawei-style error code (`CBC.xxxx`). CBC.5021 and CBC.99007461 are the product's own;
    /// the others are this service's, documented in `funds/mod.rs` and the OpenAPI document.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Busy => "CBC.99007461",
            AppError::Invalid(k) if k == "error.vouchers.too_many_customers" => "CBC.30000014",
            AppError::Invalid(k) if k == "error.vouchers.face_value" => "CBC.30000013",
            AppError::Invalid(_) | AppError::BadRequest => "CBC.0100",
            AppError::Unauthenticated | AppError::BadCredentials => "CBC.0150",
            AppError::Forbidden | AppError::CrossOrigin => "CBC.0151",
            AppError::NotFound => "CBC.0152",
            AppError::TooManyAttempts => "CBC.0155",
            AppError::Conflict(k) => match k.as_str() {
                "error.funds.consulting_customer" => "CBC.5021",
                "error.funds.trans_id_reused" => "CBC.0153",
                "error.funds.insufficient"
                | "error.funds.reclaim_exceeds"
                | "error.funds.designated_exceeds" => "CBC.0154",
                "error.funds.not_your_reseller"
                | "error.funds.not_your_customer"
                | "error.funds.distributor_only" => "CBC.0151",
                // Vouchers: the reference names these failures without codes; the codes are
                // this service's (see `vouchers/mod.rs`), except CBC.50000021 (a recipient that
                // is not the partner's customer), which the real API uses.
                "error.vouchers.quota_not_found" => "CBC.30000010",
                "error.vouchers.quota_invalid"
                | "error.vouchers.quota_adjusting"
                | "error.vouchers.quota_frozen"
                | "error.vouchers.quota_not_reclaimable" => "CBC.30000011",
                "error.vouchers.quota_insufficient" => "CBC.30000012",
                "error.vouchers.face_value" | "error.vouchers.validity" => "CBC.30000013",
                "error.vouchers.not_resale" => "CBC.5021",
                "error.vouchers.not_your_customer" => "CBC.50000021",
                "error.vouchers.not_whitelisted" => "CBC.30000016",
                "error.vouchers.coupon_not_found" => "CBC.30000017",
                "error.vouchers.coupon_not_usable" => "CBC.30000015",
                "error.vouchers.products_outside"
                | "error.vouchers.service_types_outside"
                | "error.vouchers.coupon_not_applicable"
                | "error.vouchers.below_minimum" => "CBC.30000018",
                _ => "CBC.0153",
            },
            AppError::Unavailable(_) => "CBC.0998",
            AppError::Network | AppError::Internal => "CBC.0999",
        }
    }

    /// The HTTP status the server answers with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid(_) | AppError::BadRequest => 400,
            AppError::Unauthenticated | AppError::BadCredentials => 401,
            AppError::Forbidden | AppError::CrossOrigin => 403,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::TooManyAttempts => 429,
            AppError::Busy | AppError::Unavailable(_) | AppError::Network => 503,
            AppError::Internal => 500,
        }
    }

    /// The user-facing message in the given language.
    pub fn message(&self, lang: crate::i18n::Lang) -> &'static str {
        crate::i18n::t(lang, self.key())
    }
}

impl server_fn_error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: server_fn_error::ServerFnErrorErr) -> Self {
        use server_fn_error::ServerFnErrorErr as E;
        match value {
            E::Args(_) | E::MissingArg(_) | E::Deserialization(_) => AppError::BadRequest,
            E::Request(_) | E::Response(_) => AppError::Network,
            E::Registration(_)
            | E::UnsupportedRequestMethod(_)
            | E::Serialization(_)
            | E::ServerError(_)
            | E::MiddlewareError(_) => AppError::Internal,
        }
    }
}

mod server_fn_error {
    pub use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        if crate::server::db::is_busy(&e) {
            tracing::warn!(error = %e, "database busy");
            return AppError::Busy;
        }
        tracing::error!(error = %e, "database error");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<tower_sessions::session::Error> for AppError {
    fn from(e: tower_sessions::session::Error) -> Self {
        tracing::error!(error = %e, "session error");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The JSON body of an HTTP route's error: kind, key, code and the message in both
    /// languages. A route may add fields that explain the refusal (e.g. a revocation's reason).
    pub fn body(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut body = serde_json::Map::new();
        body.insert("kind".into(), self.kind().into());
        body.insert("key".into(), self.key().into());
        body.insert("error_code".into(), self.code().into());
        body.insert("message".into(), self.message(crate::i18n::Lang::Zh).into());
        body.insert(
            "message_en".into(),
            self.message(crate::i18n::Lang::En).into(),
        );
        body
    }

    /// The answer with `body` (this error's [`AppError::body`], perhaps extended).
    pub fn respond(
        &self,
        body: serde_json::Map<String, serde_json::Value>,
    ) -> axum::response::Response {
        use axum::response::IntoResponse;
        let status = axum::http::StatusCode::from_u16(self.status())
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(serde_json::Value::Object(body))).into_response()
    }
}

#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        self.respond(self.body())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_round_trip_through_json() {
        for e in [
            AppError::invalid("error.account_name.required"),
            AppError::Forbidden,
            AppError::TooManyAttempts,
            AppError::conflict("error.account_name.taken"),
        ] {
            let s = serde_json::to_string(&e).expect("serialize");
            let back: AppError = serde_json::from_str(&s).expect("deserialize");
            assert_eq!(back, e);
        }
    }

    #[test]
    fn consulting_customers_and_conflicts_carry_the_products_codes() {
        assert_eq!(
            AppError::conflict("error.funds.consulting_customer").code(),
            "CBC.5021"
        );
        assert_eq!(AppError::Busy.code(), "CBC.99007461");
    }

    #[test]
    fn client_mistakes_are_4xx_and_only_internal_is_500() {
        assert_eq!(AppError::BadRequest.status(), 400);
        assert_eq!(AppError::TooManyAttempts.status(), 429);
        assert_eq!(AppError::Internal.status(), 500);
    }
}
