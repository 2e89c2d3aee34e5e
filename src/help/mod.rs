//! 帮助中心: the frequently asked questions of the product, searchable in both languages.
//!
//! Invariants:
//! - The answers say what this product does (they are checked against it by tests where a rule
//!   is enforced elsewhere, e.g. resale customers cannot top up).
//! - Search matches the question and the answer in Chinese and English, case-insensitively, so
//!   a question is found whatever the interface language.

pub mod model;
pub mod pages;
pub mod text;
