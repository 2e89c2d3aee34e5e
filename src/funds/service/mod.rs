//! Money movements: every one goes through [`move_money`], which writes the transfer, both
//! entries and both balances in one transaction, is idempotent per transaction id, and retries
//! conflicting writes a bounded number of times.
//!
//! By subject: [`ledger`] (the one way money moves), [`adjust`] (拨款/回收, funding, designated
//! funds), [`approval`] (maker–checker for operator funding above the threshold), [`alert`] (the
//! low-balance alert) and [`reads`] (balances, lists, records).

mod adjust;
mod alert;
mod approval;
mod ledger;
mod reads;

pub use adjust::*;
pub use alert::*;
pub use approval::*;
pub use ledger::*;
pub use reads::*;

use super::model::{
    self, AdjustRecord, Balances, Direction, FundedParty, Operation, Preview, Receipt, Target,
};
use super::repo::{self, ListFilter, NewTransfer, Owner, RecordFilter};
use crate::accounts::model::SessionUser;
use crate::domain::{Amount, Money, Page, PageRequest, PartnerKind};
use crate::error::AppError;
use crate::idempotency::{OperatorKey, Scope};
use crate::server::db::{Db, Tx, is_busy, is_unique_violation, now_ms};

/// Who moves money, for the ledger and the audit trail.
pub use crate::accounts::audit::{Actor, Caller, Origin};
