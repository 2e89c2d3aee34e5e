//! The one error type of the application.
//!
//! An `AppError` crosses the wire to the browser, so it carries only what the user may see:
//! a kind and, where the kind needs it, an i18n message key. Internal causes (SQL errors,
//! I/O) are logged with `tracing` where they are converted and never reach the client.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The code of a refusal that no domain error names more precisely.
pub const INVALID_CODE: &str = "CBC.0100";
pub const CONFLICT_CODE: &str = "CBC.0153";

/// What a refused request is told: the message key and the public error code. Domains name
/// their refusals with typed errors (see [`refusals!`]); each variant carries its own code, so no
/// code is ever derived from a message key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub key: Cow<'static, str>,
    pub code: Cow<'static, str>,
}

impl Refusal {
    pub fn new(key: impl Into<Cow<'static, str>>, code: impl Into<Cow<'static, str>>) -> Self {
        Refusal {
            key: key.into(),
            code: code.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    /// The input was understood but refused (400); the key names the message (e.g.
    /// `error.amount.scale`).
    #[error("invalid input: {}", .0.key)]
    Invalid(Refusal),
    /// The request itself was malformed (missing or undecodable fields).
    #[error("malformed request")]
    BadRequest,
    #[error("not signed in")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// The request conflicts with the current state (409); the key names the message.
    #[error("conflict: {}", .0.key)]
    Conflict(Refusal),
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
            "invalid" => AppError::Invalid(Refusal::new(w.key, or_default(w.code, INVALID_CODE))),
            "conflict" => {
                AppError::Conflict(Refusal::new(w.key, or_default(w.code, CONFLICT_CODE)))
            }
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

fn or_default(code: String, default: &'static str) -> Cow<'static, str> {
    if code.is_empty() || code == default {
        Cow::Borrowed(default)
    } else {
        Cow::Owned(code)
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

    /// A refusal of the input with the generic code (CBC.0100).
    pub fn invalid(key: &str) -> Self {
        AppError::Invalid(Refusal::new(key.to_string(), INVALID_CODE))
    }

    /// A refusal by the current state with the generic code (CBC.0153).
    pub fn conflict(key: &str) -> Self {
        AppError::Conflict(Refusal::new(key.to_string(), CONFLICT_CODE))
    }

    /// The i18n key of the message shown to the user.
    pub fn key(&self) -> &str {
        match self {
            AppError::Invalid(r) | AppError::Conflict(r) => &r.key,
            AppError::Unavailable(k) => k,
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

    /// The Huawei-style error code (`CBC.xxxx`). A domain's typed refusal carries its own (see
    /// `funds::FundsError`, `vouchers::VoucherError`); CBC.99007461 is the product's own busy code.
    pub fn code(&self) -> &str {
        match self {
            AppError::Busy => "CBC.99007461",
            AppError::Invalid(r) | AppError::Conflict(r) => &r.code,
            AppError::BadRequest => INVALID_CODE,
            AppError::Unauthenticated | AppError::BadCredentials => "CBC.0150",
            AppError::Forbidden | AppError::CrossOrigin => "CBC.0151",
            AppError::NotFound => "CBC.0152",
            AppError::TooManyAttempts => "CBC.0155",
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

/// Declares a domain's typed refusals: each variant's message key, its public error code and
/// whether, by default, the caller's input (`invalid`, 400) or the current state (`conflict`, 409)
/// is at fault. A caller that knows better says `.invalid()` or `.conflict()`.
#[macro_export]
macro_rules! refusals {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $fault:ident($key:literal, $code:literal),)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The i18n key of the message.
            pub fn key(self) -> &'static str {
                match self {
                    $($name::$variant => $key,)*
                }
            }

            /// The public error code.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)*
                }
            }

            /// This refusal, blaming the input (400).
            pub fn invalid(self) -> $crate::error::AppError {
                $crate::error::AppError::Invalid($crate::error::Refusal::new(self.key(), self.code()))
            }

            /// This refusal, blaming the current state (409).
            pub fn conflict(self) -> $crate::error::AppError {
                $crate::error::AppError::Conflict($crate::error::Refusal::new(self.key(), self.code()))
            }
        }

        impl From<$name> for $crate::error::AppError {
            fn from(e: $name) -> Self {
                match e {
                    $($name::$variant => e.$fault(),)*
                }
            }
        }
    };
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

impl From<crate::domain::BadDay> for AppError {
    fn from(_: crate::domain::BadDay) -> Self {
        AppError::invalid("error.date.format")
    }
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
            AppError::from(crate::funds::FundsError::ConsultingCustomer).code(),
            "CBC.5021"
        );
        assert_eq!(AppError::Busy.code(), "CBC.99007461");
        assert_eq!(
            AppError::conflict("error.account_name.taken").code(),
            "CBC.0153"
        );
    }

    #[test]
    fn typed_refusals_keep_their_code_and_status_across_the_wire() {
        let e: AppError = crate::vouchers::VoucherError::TooManyCustomers.into();
        assert_eq!((e.status(), e.code()), (400, "CBC.30000014"));
        let back: AppError = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(back, e);
        assert_eq!(back.code(), "CBC.30000014");
        let blamed: AppError = crate::vouchers::VoucherError::FaceValue.conflict();
        assert_eq!((blamed.status(), blamed.code()), (409, "CBC.30000013"));
    }

    #[test]
    fn every_typed_refusal_has_a_message_in_both_languages_and_a_code() {
        use crate::i18n::{Lang, t};
        let all = crate::funds::FundsError::ALL
            .iter()
            .map(|e| (e.key(), e.code()))
            .chain(
                crate::vouchers::VoucherError::ALL
                    .iter()
                    .map(|e| (e.key(), e.code())),
            );
        for (key, code) in all {
            for lang in [Lang::Zh, Lang::En] {
                assert_ne!(t(lang, key), "�", "{key} has no {lang:?} text");
            }
            assert!(code.starts_with("CBC.") && code.len() > 4, "{key}: {code}");
        }
    }

    #[test]
    fn client_mistakes_are_4xx_and_only_internal_is_500() {
        assert_eq!(AppError::BadRequest.status(), 400);
        assert_eq!(AppError::TooManyAttempts.status(), 429);
        assert_eq!(AppError::Internal.status(), 500);
    }
}
