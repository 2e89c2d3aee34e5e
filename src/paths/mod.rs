//! Development paths (发展路径): a partner joins paths, records evidence, applies for role
//! certification (角色认证) and then capability differentiation (能力差异化认证), and passes the
//! annual review (年度复核) inside the windows operators open.
//!
//! Invariants:
//! - Only a partner that completed HCPN onboarding joins a path; a partner is on a path at most
//!   once (selecting again changes nothing and says so). The distributor path is joined only
//!   through an operator's invitation link: mailed over SMTP, single-use, valid 7 days, for that
//!   partner only; only the SHA-256 of its token is stored.
//! - Requirements are computed from the partner's data at the moment they are shown or applied
//!   for, never stored: approved evidence, employees' certificates only while the holder is an
//!   associated, real-name-verified personal account, cases only when delivered in the last 12
//!   months, and resellers (distributor path) from the partner table. Evidence counts only once an
//!   operator approves it.
//! - Applications: at most one pending per partner, path, stage and kind (a unique index). A stage
//!   is applied for only when its requirements are met, it is not held, and for differentiation
//!   only while the role is held. An operator approves (the stage is held for a year) or rejects
//!   with a reason, which the partner sees; a rejected application may be fixed and filed again.
//! - A review application is accepted only while a window covering its path and stage is open (from
//!   the first instant of its first day to the last instant of its last day, China time), for a
//!   stage the partner holds, once per window year unless rejected. A passed review extends the
//!   stage by a year; a failed one revokes it (a revoked role takes differentiation with it) and
//!   the reason is shown.
//! - Every change is audited in the same transaction.
//!
//! The service-partner certification exam is for people, not partner accounts: an associated
//! employee sees it on the personal page, with the link only while real-name verified on the
//! China site (the reference's conditions); the partner's path page lists which associated
//! employees are eligible and why not.
//!
//! Decisions where the reference is silent: learning & enablement role = 2 certified trainers and
//! 1 course, differentiation = 4 and 3; service differentiation = 4 people, 8 certificates and 3
//! recent cases; software differentiation = 2 certified solutions and 1 recent case; distributor
//! role = 1 reseller, differentiation = 5.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;
