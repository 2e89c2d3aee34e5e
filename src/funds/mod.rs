//! Funds: a double-entry ledger of partner and customer balances.
//!
//! Invariants:
//! - Every movement is a transfer between two fund accounts, written together with its two
//!   ledger entries (a debit on the payer, a credit on the payee) and both balance updates in one
//!   database transaction. Transfers and entries are never updated or deleted (triggers refuse
//!   it); undoing a movement is a new transfer the other way.
//! - Money enters the system only through operator funding, a transfer from the single
//!   `external` account, and leaves it only by paying orders (PAY, to `external`); a refund of an
//!   unsubscribed order (REFUND) brings it back. Hence Σ balances of all accounts = 0, i.e.
//!   Σ partner and customer balances = Σ funding − Σ payments + Σ refunds.
//! - No partner or customer balance is ever negative, and designated funds (专款专用) never exceed
//!   the balance: CHECK constraints are the last line behind the service's checks.
//! - Only the available balance (balance − designated funds) can be allocated or reclaimed:
//!   designated funds are earmarked by the operator and neither the partner nor its distributor
//!   may move them. (The product documents "reclaim ≤ balance"; with no designated funds the two
//!   rules agree.)
//! - Replaying an account's entries in order gives its stored balance.
//! - A distributor moves money only to and from its own resellers; a partner only to and from its
//!   own resale (代售) customers — consulting (顾问销售) customers are refused with CBC.5021.
//! - Each transfer carries a transaction id (`trans_id`), unique per initiator. Retrying with the
//!   same id and the same request returns the first result and moves nothing; the same id with a
//!   different request is refused (CBC.0153).
//! - Conflicting concurrent writes are retried a bounded number of times, then refused with
//!   CBC.99007461; a refused request has moved nothing.
//! - Every refusal of this domain is a [`FundsError`] variant, which names its message key and
//!   public code (CBC.0151 not yours, CBC.0153 id reused, CBC.0154 not enough money, CBC.5021).
//!
//! Decision: no credit (信用). The product grants no credit lines, so a balance is cash only and
//! nothing may be spent that was not funded. The 信用 card, which could only ever show 0.00, is
//! gone; the open API's `credit_amount` is always 0 and there is no credit account
//! (`account_type` 2). The `credit_fen` column stays, always 0, for a future credit line: granting
//! one would be an operator action recorded in the ledger, with available = balance − designated +
//! unused credit.

pub mod api;
mod error;
pub use error::FundsError;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;
