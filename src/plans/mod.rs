//! Partner plans (华为云伙伴计划): the catalogue, applications reviewed by an operator, joined
//! plans, and certificates — real PDFs with a public verification page.
//!
//! Invariants:
//! - Who may apply is decided by [`model::Plan::eligibility`], read from the database inside the
//!   applying transaction: HCPN onboarding complete, and for the distribution plans the matching
//!   tier (分销计划(总经销商) only distributors, 分销计划(云经销商) only cloud resellers),
//!   解决方案提供商计划 only solution providers. The others are open to every onboarded partner.
//! - An application goes pending → approved or pending → rejected (with a reason), once: the
//!   decision is a conditional update, so two operators cannot both decide. A partner has at most
//!   one pending application per plan (a unique index) and cannot apply to a plan it has joined;
//!   after a rejection it may apply again.
//! - Approval issues a certificate in the same transaction. A joined plan *is* a certificate that
//!   is neither expired (365 days) nor revoked; revoking the certificate ends the membership.
//! - Certificate numbers are random (50 bits), so the public `/verify/<number>` page cannot be
//!   used to list partners. Only the owning partner can download the PDF; any other number,
//!   someone else's included, answers 404.
//! - The PDF says what `/verify` says: a revoked certificate is not printed at all (409, with
//!   the date and reason of the revocation); an expired one prints with a large 已过期 / Expired
//!   mark under the title.
//! - Every application, decision and revocation writes an audit entry in its transaction.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;
