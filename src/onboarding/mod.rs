//! HCPN onboarding (HCPN 入驻): how a company becomes a partner.
//!
//! Invariants:
//! - Anyone may register (`/join`, 成为合作伙伴): one form creates the company's partner record
//!   (HCPN state `pending`), its first user (the partner administrator) and its application, in
//!   one transaction. Registrations are limited per client address (10 an hour), counted inside
//!   that transaction.
//! - An application reaches the operator's queue (待审核) only after its contact email was
//!   confirmed through a mailed single-use link (24 hours; a newer link ends the older ones; only
//!   the token's SHA-256 is stored). Submitting again with an address already confirmed needs no
//!   new link.
//! - The 统一社会信用代码 is 18 characters of GB 32100-2015 with a valid check character, and
//!   belongs to one application (a unique index holds it under concurrency; the clear message is
//!   given before).
//! - The kind applied for is the partner's kind while it waits; a cloud reseller names its
//!   distributor (an onboarded distributor) and is listed under it from then on. Decision: the
//!   distributor path stays by invitation, so a distributor applicant needs nothing more.
//! - An operator decides a `pending` application once (a conditional update): approval makes the
//!   partner onboarded (已完成HCPN入驻) with the application's name and contacts; a rejection needs
//!   a reason, and the partner edits and submits again (修改并重新提交). The partner is told in the
//!   message center and by email. Everything is audited.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;
