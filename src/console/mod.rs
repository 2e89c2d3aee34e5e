//! The operator console's shell and its two windows on what the product did: the audit trail
//! (审计日志) and the delivery of emails and SMS (消息投递).
//!
//! Invariants:
//! - Only operators read them; both lists are paged and filtered in SQL (the filters are kept in
//!   the URL, so a link can be shared), newest first.
//! - The audit trail is read-only: it is written only by `Actor::record` in the transaction of
//!   what it records. Its CSV export holds every matching row or is refused (`domain::export`).
//! - A delivery's text is never shown (it may carry a single-use link); the operator sees the
//!   recipient, subject, state, attempts and last error. Retrying a failed delivery puts it back
//!   to pending with its attempts reset, once per click (a conditional update), audited.

pub mod api;
pub mod model;
pub mod pages;
pub mod partner;
pub mod picker;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;
