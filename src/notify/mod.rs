//! Email and SMS notifications through an outbox.
//!
//! Invariants:
//! - A notification is written to the `outbox` table in the same transaction as the change it
//!   reports, so a committed change always has its notice and a rolled-back one never does.
//! - A dispatcher delivers pending rows: email over SMTP (TLS unless the operator chose a plain
//!   relay) to the configured server, SMS through Huawei Cloud's SMS service ([`sms`]) by an
//!   approved template. Rows are claimed with a conditional update, so several server processes
//!   never send the same row twice; a row left `sending` by a process that died is taken up
//!   again after a minute.
//! - A failed delivery is retried up to 5 times with a growing pause (30 s, 1 min, 2 min…), then
//!   left `failed` with its error; the change it reported stands.
//! - A channel with nothing configured (no SMTP server, no SMS gateway) keeps its rows `pending`
//!   with the reason in `last_error`; they go out once one is configured.

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sms;
