//! The open API: Huawei Cloud BSS v2 operations that partners' own systems call with the
//! official SDK (`huaweicloudsdkbss`), authenticated by AK/SK signatures.
//!
//! Invariants:
//! - A request is served only if its `SDK-HMAC-SHA256` signature verifies with the secret key of
//!   an active access key ([`signer`]), its `X-Sdk-Date` is within 15 minutes of the server's
//!   clock, and its signature has not been accepted before (a replay within the window is refused;
//!   outside it the date is refused). Comparison is constant-time.
//! - The caller acts as the partner user who owns the key, through the same services as the
//!   console: every operation is scoped to that user's own partner, and distributor-only
//!   operations refuse everyone else.
//! - A user holds at most 2 access keys. The secret key is shown once, when created; it is stored
//!   (verification needs it) but never returned, listed or logged again.
//! - Errors have the Huawei shape `{"error_code": "CBC.xxxx", "error_msg": "..."}` with a 4xx
//!   status for anything the caller can fix; a refused request changes nothing. Bodies are JSON of
//!   at most 64 KiB; unknown fields, wrong types and malformed JSON are refused.
//! - A token (`X-Auth-Token`, from `POST /v3/auth/tokens` for a login and password) is valid for
//!   24 hours; only its SHA-256 is stored. Token requests are throttled like console sign-ins.
//! - Each operation has one typed request and one typed answer ([`ops`], shaped as the SDK's
//!   models); the catalogue ([`catalog`]), the OpenAPI document and the API Explorer are made from
//!   their field lists ([`schema`]). The explorer calls the same handlers with the signed-in user.

pub mod api;
pub mod catalog;
#[cfg(feature = "ssr")]
pub mod document;
#[cfg(feature = "ssr")]
pub mod funds_handlers;
#[cfg(feature = "ssr")]
pub mod handlers;
pub mod model;
pub mod ops;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod schema;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod signer;
pub mod text;
#[cfg(feature = "ssr")]
mod token_handlers;
#[cfg(feature = "ssr")]
mod voucher_handlers;
#[cfg(feature = "ssr")]
mod wire;
