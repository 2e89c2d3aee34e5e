//! The holiday calendar (节假日): which days are business days, for every deadline counted in
//! business days (an HO's 3 business days, its reminder one business day before).
//!
//! Invariants:
//! - A business day is Monday–Friday (China time) that is not a day off, or a day the calendar
//!   marks as an extra working day (调休上班). With an empty calendar business days are plain
//!   weekdays.
//! - A day is in the calendar at most once: setting it again replaces its kind and name.
//! - Only operators change the calendar, through the one write path, audited. China's official
//!   notice is published each November for the next year; `seed-demo` loads the current year's
//!   (2026 is built in: [`model::CHINA_2026`]).
//! - A deadline already computed keeps its instant when the calendar changes later: it was what
//!   the partner was told.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;
