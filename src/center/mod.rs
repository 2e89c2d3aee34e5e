//! The partner center shell (伙伴中心): its top navigation and the section pages that later
//! domains fill.
//!
//! Invariants:
//! - Every page under `/center` is shown only to partner users; others get the login page or 403.
//! - A section with nothing to show yet shows an empty state, never a 404.

pub mod pages;
