//! Email and SMS notifications through an outbox.
//!
//! Invariants:
//! - A notification is written to the `outbox` table in the same transaction as the change it
//!   reports, so a committed change always has its notice and a rolled-back one never does.
//! - A dispatcher delivers pending rows: email over SMTP to the configured server, SMS through
//!   an [`service::SmsGateway`] (the default gateway keeps the SMS in the outbox, where the
//!   operator can read it, and the message center has the same notice). Rows are claimed with a
//!   conditional update, so several server processes never send the same row twice; a row left
//!   `sending` by a process that died is taken up again after a minute.
//! - A failed delivery is retried up to 5 times, then left `failed` with its error; the change it
//!   reported stands.
//! - With no SMTP server configured emails stay `pending` (delivered once one is configured).

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
