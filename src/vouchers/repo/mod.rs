//! SQL of vouchers. Balances change only through the conditional updates here, always inside a
//! transaction that also writes the operation record.
//!
//! By subject: [`quotas`], [`coupons`], [`records`] and [`whitelist`].

mod coupons;
mod quotas;
mod records;
mod whitelist;

pub use coupons::*;
pub use quotas::*;
pub use records::*;
pub use whitelist::*;

use super::model::{CouponSearch, QuotaSearch, Record, Use};
use crate::domain::PageRequest;
use crate::server::db::Pool;
use crate::server::sql::Where;
use sqlx::{Any, AnyConnection, Executor, FromRow};
