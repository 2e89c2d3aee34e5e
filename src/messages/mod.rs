//! The message center (消息中心): notices to one user, with unread counts.
//!
//! Invariants:
//! - A message belongs to exactly one user; every query is scoped to the reader, so nobody reads
//!   or marks anyone else's messages (another user's id is "not found").
//! - Messages are written by other domains inside their own transaction ([`service::send`]), so
//!   a notice exists exactly when the change it reports was committed.
//! - Text is rendered at read time from the message kind in the reader's language; stored
//!   parameters are data, never markup.
//! - Reading only moves `read_at` from empty to a time; it never changes back.
//! - Every kind belongs to exactly one type filter ([`model::Group`], named by the part of the
//!   kind before the first dot); a filter lists exactly its kinds, and an unknown filter is
//!   refused rather than ignored.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;
