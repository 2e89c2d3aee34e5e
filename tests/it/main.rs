//! The integration tests, as one test binary (one link step instead of one per suite): each
//! module is a suite that starts the real server (`common::TestApp`) on SQLite and, when
//! `TEST_POSTGRES_URL` is set, on PostgreSQL. Run one suite with `cargo test --test it <suite>::`.

#[macro_use]
mod common;

mod api_fuzz;
mod auth;
mod authz;
mod cli;
mod console;
mod customers;
mod delivery;
mod engagement;
mod first_visit;
mod funding_approval;
mod funds;
mod funds_concurrency;
mod idempotency;
mod jobs;
mod keepalive;
mod ledger_props;
mod lists;
mod members;
mod onboarding;
mod orders;
mod paths;
mod plans;
mod sdk;
mod security;
mod self_service;
mod vouchers;
mod workbench;
