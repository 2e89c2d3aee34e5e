//! Server-only infrastructure: configuration, database, sessions, security, routing and the
//! command line. Nothing here is compiled into the WebAssembly build.

pub mod assets;
pub mod cli;
pub mod config;
pub mod cpu;
pub mod ctx;
pub mod db;
pub mod history;
pub mod jobs;
pub mod pool;
pub mod router;
pub mod secrets;
pub mod security;
pub mod seed;
pub mod session;
pub mod sql;
pub mod state;
