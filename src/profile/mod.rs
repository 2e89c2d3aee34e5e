//! Account self-service, for every role: the profile (one's own contact email and mobile; a
//! partner's contacts, which its customers see), changing one's password, and a forgotten
//! password reset by a mailed link. Also the operator's password reset (账号管理).
//!
//! Invariants:
//! - Changing a password needs the current one (attempts are throttled like sign-ins); it ends
//!   every other session of the user at once (the user's session epoch moves on) and keeps the
//!   current one.
//! - A forgotten-password request answers the same whether or not the account exists or has an
//!   email, so it reveals nothing; it is limited per client address. The link is mailed to the
//!   user's own email (a partner administrator without one: the partner's), works once, for
//!   30 minutes, and a newer link ends the older ones. Using it sets the password, ends all
//!   sessions and clears the account's sign-in failures.
//! - A password an operator sets (a reset, or a new account) is generated, shown to the operator
//!   once and never stored in plaintext; the user must change it at its next sign-in and can do
//!   nothing else until then (every server function but changing it and signing out refuses).
//! - Every change is audited; passwords and tokens never appear in the audit trail or logs.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;
