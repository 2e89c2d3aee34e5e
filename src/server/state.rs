//! The state every handler and server function can reach.

use super::config::Config;
use super::db::Db;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
    pub config: Arc<Config>,
    /// Bytes served by the benchmark comparison route (only with `--bench-routes`).
    pub bench_body: Arc<std::sync::RwLock<axum::body::Bytes>>,
    /// The CJK font certificates are drawn with; `None` when the server has none.
    pub cert_font: Option<crate::plans::pdf::CertFont>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
