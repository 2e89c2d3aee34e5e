//! Builds the axum application: pages, server functions, static files, health, middleware.

use super::config::Config;
use super::db::Db;
use super::security::{same_origin, security_headers, server_fn_status};
use super::session::{COOKIE_NAME, DbSessionStore};
use super::state::AppState;
use crate::app::{App, shell};
use crate::i18n::{self, Lang};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use leptos::config::{Env, LeptosOptions};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use serde::Deserialize;
use std::sync::Arc;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::Duration;
use tower_sessions::{Expiry, SessionManagerLayer};

/// The largest request body any route accepts.
pub const MAX_REQUEST_BODY: usize = 64 * 1024;

/// Whether the build named the `/pkg` files by their content (cargo-leptos `hash-files`: it
/// writes `hash.txt` beside the server binary, where Leptos reads the names from).
fn hashed_build() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt").exists()))
        .unwrap_or(false)
}

/// Connects and migrates the database, then builds the router.
pub async fn build(config: Config) -> Result<(Router, AppState), String> {
    let db = Db::connect(&config.database_url).await?;
    let cert_font = crate::plans::pdf::CertFont::load(config.cert_font.as_deref());
    db.migrate().await?;
    // Secret keys of an older version (plaintext) or of a previous master key are sealed anew.
    match crate::openapi::service::reseal_keys(&db).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(n, "sealed access-key secrets under the current master key"),
        Err(e) => tracing::warn!(error = ?e, "could not re-seal access-key secrets"),
    }
    if let Err(e) = crate::customers::service::seal_offline_tokens(&db).await {
        tracing::warn!(error = ?e, "could not seal offline invitation tokens");
    }
    let leptos_options = LeptosOptions::builder()
        .output_name("partner-center")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .hash_files(hashed_build())
        .env(Env::PROD)
        .site_addr(config.addr)
        .build();
    let state = AppState {
        db: db.clone(),
        leptos_options: leptos_options.clone(),
        config: Arc::new(config),
        bench_body: Arc::default(),
        cert_font,
    };
    Ok((router(state.clone()), state))
}

fn router(state: AppState) -> Router {
    let config = state.config.clone();
    let routes = generate_route_list(App);
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name(COOKIE_NAME)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.https())
        .with_expiry(Expiry::OnInactivity(Duration::hours(8)));

    // Static files: served directly (not through the app's fallback), as the build's brotli or
    // gzip copy when the browser takes it. The /pkg files are named by their content, so a browser
    // keeps them for a year (see `pkg_cache_control`); the other files keep their names and are
    // revalidated on every use.
    let revalidate = SetResponseHeaderLayer::if_not_present(
        header::CACHE_CONTROL,
        HeaderValue::from_static(REVALIDATE),
    );
    let pkg = ServeDir::new(format!("{}/pkg", config.site_root))
        .precompressed_br()
        .precompressed_gzip();
    let public = ServeDir::new(&config.site_root)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(get(not_found).with_state(state.clone()));

    let mut app = Router::new().merge(crate::openapi::handlers::routes());
    for (path, _, handler) in http_routes(config.bench_routes) {
        app = app.route(path, handler);
    }
    let opts = state.leptos_options.clone();
    app.leptos_routes_with_context(&state, routes, || (), move || shell(&opts))
        .nest_service(
            "/pkg",
            tower::ServiceBuilder::new()
                .layer(axum::middleware::from_fn_with_state(
                    state.leptos_options.hash_files,
                    pkg_cache_control,
                ))
                .service(pkg),
        )
        .fallback_service(
            tower::ServiceBuilder::new()
                .layer(revalidate)
                .service(public),
        )
        .layer(axum::middleware::from_fn(server_fn_status))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::session::load_user,
        ))
        .layer(sessions)
        .layer(axum::middleware::from_fn(same_origin))
        // Every body is bounded before anything reads it: forms, server functions and the open
        // API are tens of KiB at most; a larger one is a 413 (by its Content-Length, unread).
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            MAX_REQUEST_BODY,
        ))
        .layer(axum::middleware::from_fn(security_headers))
        // Pages and answers travel compressed when the browser takes br or gzip (files that are
        // already, from the build's precompressed copies, are left as they are). A middling
        // level: pages are rendered per request, so compressing must cost far less than sending.
        .layer(
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Precise(4)),
        )
        .layer(axum::middleware::from_fn_with_state(
            config.clone(),
            super::security::client_context,
        ))
        // Every request gets an id (or keeps the caller's `x-request-id`), answered in the same
        // header and carried by the span that every log line of the request belongs to. The span
        // names the route's pattern, never the path itself: some paths carry secret tokens.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(SetRequestIdLayer::x_request_id(RequestIds))
        .with_state(state)
}

const REVALIDATE: &str = "public, max-age=0, must-revalidate";

/// How long a browser keeps a /pkg file. Files named by their content (`hash-files`) are kept for
/// a year — except the WebAssembly's script: the build names it before it writes the chunk
/// loader's name into it (the loader names the script too, so both cannot be named by their
/// final content), so it is revalidated on every visit (a 304 when unchanged). The main module
/// carries the build's id (build.rs), so its name changes with every build.
async fn pkg_cache_control(
    axum::extract::State(hashed): axum::extract::State<bool>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let script = {
        let name = req.uri().path().rsplit('/').next().unwrap_or_default();
        name.starts_with(concat!(env!("LEPTOS_OUTPUT_NAME"), ".")) && name.ends_with(".js")
    };
    let mut res = next.run(req).await;
    let value = if hashed && !script && res.status() == StatusCode::OK {
        "public, max-age=31536000, immutable"
    } else {
        REVALIDATE
    };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

/// Request ids: 16 random hex digits.
#[derive(Clone, Copy)]
struct RequestIds;

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let bytes: [u8; 8] = rand::random();
        HeaderValue::from_str(&hex::encode(bytes))
            .ok()
            .map(RequestId::new)
    }
}

fn request_span<B>(req: &axum::http::Request<B>) -> tracing::Span {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|m| m.as_str())
        .unwrap_or("-");
    tracing::info_span!("request", method = %req.method(), route, id)
}

/// A route: its path, its methods (for [`route_list`]) and its handler.
pub type HttpRoute = (&'static str, &'static str, MethodRouter<AppState>);

/// The HTTP routes besides pages, server functions, the open API and files. The router is built
/// from this table and `partner-center routes` lists it, so nothing is served unlisted.
fn http_routes(bench_routes: bool) -> Vec<HttpRoute> {
    let mut routes: Vec<HttpRoute> = vec![
        ("/healthz", "GET", get(healthz)),
        ("/lang", "GET", get(set_lang)),
        (
            "/center/certificates/{number}/pdf",
            "GET",
            get(crate::plans::api::download),
        ),
    ];
    // Exports: each list's path, as `.csv` and as `.xlsx` (the extension chooses the format).
    let exports: Vec<(&'static [&'static str; 2], MethodRouter<AppState>)> = vec![
        (
            &[
                "/center/sales/funds/records.csv",
                "/center/sales/funds/records.xlsx",
            ],
            get(crate::funds::api::records_export),
        ),
        (
            &[
                "/center/sales/vouchers/records.csv",
                "/center/sales/vouchers/records.xlsx",
            ],
            get(crate::vouchers::api::records_export),
        ),
        (
            &[
                "/center/sales/orders/export.csv",
                "/center/sales/orders/export.xlsx",
            ],
            get(crate::orders::api::orders_export),
        ),
        (
            &[
                "/center/sales/customers/export.csv",
                "/center/sales/customers/export.xlsx",
            ],
            get(crate::funds::api::parties_export),
        ),
        (
            &[
                "/center/sales/resellers/export.csv",
                "/center/sales/resellers/export.xlsx",
            ],
            get(crate::funds::api::parties_export),
        ),
        (
            &[
                "/center/sales/vouchers/coupons.csv",
                "/center/sales/vouchers/coupons.xlsx",
            ],
            get(crate::vouchers::api::coupons_export),
        ),
        (
            &[
                "/operator/plan-applications.csv",
                "/operator/plan-applications.xlsx",
            ],
            get(crate::plans::api::applications_export),
        ),
        (
            &["/messages/export.csv", "/messages/export.xlsx"],
            get(crate::messages::api::messages_export),
        ),
        (
            &["/operator/audit.csv", "/operator/audit.xlsx"],
            get(crate::console::api::audit_export),
        ),
    ];
    for (paths, handler) in exports {
        for path in paths {
            routes.push((path, "GET", handler.clone()));
        }
    }
    if bench_routes {
        routes.push(("/__bench/static", "GET,PUT", get(bench_get).put(bench_put)));
    }
    routes
}

/// Every route the server answers, as JSON: `pages` (paths), `server_fns` and `http` (path and
/// methods). Routes served only with `--bench-routes` (appended last by [`http_routes`]) say so
/// with `"only_with": "--bench-routes"`.
pub fn route_list() -> serde_json::Value {
    use serde_json::json;
    let pages: Vec<String> = generate_route_list(App)
        .iter()
        .map(|r| r.path().to_string())
        .collect();
    let server_fns: Vec<serde_json::Value> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| json!({ "path": path, "method": method.as_str() }))
        .collect();
    let plain = http_routes(false).len();
    let http: Vec<serde_json::Value> = crate::openapi::handlers::route_table()
        .into_iter()
        .chain(http_routes(false))
        .map(|(path, methods, _)| json!({ "path": path, "methods": methods }))
        .chain(
            http_routes(true).into_iter().skip(plain).map(|(path, methods, _)| {
                json!({ "path": path, "methods": methods, "only_with": "--bench-routes" })
            }),
        )
        .collect();
    json!({ "pages": pages, "server_fns": server_fns, "http": http })
}

/// Renders the app's 404 page for any path that is neither a page nor a file.
async fn not_found(State(state): State<AppState>, req: axum::extract::Request) -> Response {
    let opts = state.leptos_options.clone();
    let st = state.clone();
    let handler = leptos_axum::render_app_to_stream_with_context(
        move || provide_context(st.clone()),
        move || shell(&opts),
    );
    let mut res = handler(req).await.into_response();
    *res.status_mut() = StatusCode::NOT_FOUND;
    res
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (
            StatusCode::OK,
            axum::Json(serde_json::json!({"status": "ok", "database": "ok"})),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({"status": "error", "database": "unreachable"})),
            )
                .into_response()
        }
    }
}

#[derive(Deserialize)]
struct LangQuery {
    to: Option<String>,
    next: Option<String>,
}

/// Switches the UI language (a preference cookie) and goes back to the page. A signed-in user's
/// choice is remembered for the emails and SMS it receives.
async fn set_lang(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    Query(q): Query<LangQuery>,
) -> Response {
    let lang =
        q.to.as_deref()
            .and_then(Lang::from_code)
            .unwrap_or_default();
    if let Ok(Some(user)) = session.get::<i64>(super::session::USER_ID_KEY).await
        && let Err(e) = crate::accounts::service::remember_lang(&state.db, user, lang).await
    {
        tracing::warn!(error = ?e, "could not remember the language");
    }
    // Only a local path is followed (the same rule as after sign-in); anything else goes home.
    let next = q
        .next
        .filter(|n| crate::accounts::model::safe_next(Some(n), crate::domain::Role::Partner) == *n)
        .unwrap_or_else(|| "/".to_string());
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
        i18n::COOKIE,
        lang.code()
    );
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let (Ok(c), Ok(l)) = (HeaderValue::from_str(&cookie), HeaderValue::from_str(&next)) {
        res.headers_mut().insert(header::SET_COOKIE, c);
        res.headers_mut().insert(header::LOCATION, l);
    }
    res
}

async fn bench_get(State(state): State<AppState>) -> Response {
    let body = state
        .bench_body
        .read()
        .map(|b| b.clone())
        .unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

async fn bench_put(State(state): State<AppState>, body: Bytes) -> StatusCode {
    match state.bench_body.write() {
        Ok(mut b) => {
            *b = body;
            StatusCode::NO_CONTENT
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}
