//! PCE opportunity sharing (合作伙伴共拓计划, 销售 > 机会点管理 > 机会点共享).
//!
//! Invariants:
//! - Only a partner that has joined 合作伙伴共拓计划 (a valid plan certificate) registers POs or
//!   receives HOs; checked inside the writing transaction.
//! - A PO (partner → Huawei Cloud) needs the customer's consent to be shared.
//! - An HO (Huawei Cloud → partner) must be answered within 3 business days of being shared
//!   (Monday–Friday in China time; public holidays are not modelled): accepted, or rejected with a
//!   reason. At the deadline it counts as rejected and is taken back (`expired`); an answer after
//!   it is refused. The answer is a conditional update, so it happens at most once.
//! - Stages are explicit; `lost` (丢单) always carries a closed-lost reason, and a won or lost
//!   opportunity is closed: its stage no longer changes.
//! - Every query is scoped to the caller's own partner.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;
