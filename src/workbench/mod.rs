//! The workbench (工作台): what needs the signed-in user now, and the figures it watches, on its
//! landing page.
//!
//! Invariants:
//! - Every count and figure is computed from the records in SQL at the moment it is asked for
//!   (no stored counters to drift), scoped to the caller's partner (and, for unread messages, to
//!   the caller itself).
//! - A member sees only the to-dos and figures of the areas its role opens
//!   (`members::model::Area`), each linking to the list that holds those records, filtered.
//! - Money is integer fen in SQL and [`crate::domain::Money`] on the wire; a month is a calendar
//!   month in China time.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;
