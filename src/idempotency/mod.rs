//! Idempotent requests: a request that changes something may name itself with a key (a 交易ID
//! or an `X-Client-Token`); sending it again with that key answers what the first one answered
//! and changes nothing more.
//!
//! Invariants:
//! - A key belongs to a [`Scope`]: each partner, customer, operator and the CLI have their own,
//!   so one caller's keys never meet another's.
//! - Within a scope a key names one request, fixed by a hash of what it asks. The same key with
//!   another request is refused (`error.funds.trans_id_reused`, CBC.0153).
//! - The answer is stored in the transaction that does the work ([`remember`]), so a request is
//!   either done and remembered, or neither.
//! - Two copies racing with one key: one commits, the other's insert of the key fails, and the
//!   write path starts it again; it then finds the answer and replays it ([`settle`] covers the
//!   copy that was refused meanwhile).
//! - The ledger is its own store: a transfer row carries its scope, key and request hash, so
//!   funds look their answers up there; every other write stores its answer here.

#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
mod service;
#[cfg(feature = "ssr")]
pub use service::{Answer, Request, claim, remember, replay, settle};

use std::fmt;

/// Whose keys these are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Partner(i64),
    Customer(i64),
    /// An operator, by user id; an operator without one (the CLI, the scheduler) by name.
    Operator(OperatorKey),
    /// An open-API client's `X-Client-Token`s, per partner.
    Api(i64),
    /// Orders' own movements, keyed by order and step (`order-7-pay`).
    Orders,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperatorKey {
    User(i64),
    Name(String),
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Partner(id) => write!(f, "partner:{id}"),
            Scope::Customer(id) => write!(f, "customer:{id}"),
            Scope::Operator(OperatorKey::User(id)) => write!(f, "operator:{id}"),
            Scope::Operator(OperatorKey::Name(name)) => write!(f, "operator:{name}"),
            Scope::Api(partner) => write!(f, "api:partner:{partner}"),
            Scope::Orders => write!(f, "orders"),
        }
    }
}

/// A request key (交易ID): 1–64 characters of letters, digits, `-` and `_`.
pub fn parse_key(raw: &str) -> Result<String, &'static str> {
    let s = raw.trim();
    if s.is_empty()
        || s.len() > 64
        || !s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err("error.funds.trans_id");
    }
    Ok(s.to_string())
}

/// A fresh key (24 hex digits), for a confirmation form or a caller that sent none.
#[cfg(feature = "ssr")]
pub fn new_key() -> String {
    let bytes: [u8; 12] = rand::random();
    hex::encode(bytes)
}

/// The key a caller sent, or a fresh one when it sent none (or only blanks).
#[cfg(feature = "ssr")]
pub fn key_or_new(raw: Option<&str>) -> Result<String, &'static str> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        Some(k) => parse_key(k),
        None => Ok(new_key()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_short_plain_tokens() {
        assert_eq!(parse_key(" abc-123_X ").unwrap(), "abc-123_X");
        for bad in ["", "  ", "a b", "x;y", "中文", &"a".repeat(65)] {
            assert!(parse_key(bad).is_err(), "{bad}");
        }
        assert!(parse_key(&"a".repeat(64)).is_ok());
    }

    #[test]
    fn scopes_never_collide() {
        let all = [
            Scope::Partner(1),
            Scope::Customer(1),
            Scope::Operator(OperatorKey::User(1)),
            Scope::Operator(OperatorKey::Name("cli".into())),
            Scope::Api(1),
            Scope::Orders,
        ];
        let names: std::collections::HashSet<String> = all.iter().map(|s| s.to_string()).collect();
        assert_eq!(names.len(), all.len());
        assert_eq!(Scope::Partner(7).to_string(), "partner:7");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn fresh_keys_parse() {
        let k = new_key();
        assert_eq!(parse_key(&k).unwrap(), k);
        assert_ne!(new_key(), k);
        assert_eq!(key_or_new(Some("  ")).unwrap().len(), 24);
        assert_eq!(key_or_new(Some("t-1")).unwrap(), "t-1");
    }
}
