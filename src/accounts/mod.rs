//! Accounts: partners, customers, operators and the users who sign in for them.
//!
//! Invariants:
//! - A user has exactly one role. A partner user belongs to one partner, a customer user to one
//!   customer; operators belong to neither (database CHECK constraints enforce this).
//! - A cloud reseller (tier-2) always has a parent distributor (tier-1); no other kind has a parent.
//! - A customer is linked to exactly one partner, in resale or consulting mode.
//! - Passwords are stored only as argon2id hashes; a hash is never serialized, logged or sent.
//! - Sign-in: unknown accounts cost the same hashing time as wrong passwords; after 5 failures
//!   for an account (or 20 from one address) within a minute, further attempts are refused with
//!   "too many attempts" until the minute has passed. Every sign-in, failure and account creation
//!   is written to the audit log.

pub mod api;
#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod links;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;
