//! Runtime configuration, from the command line and the environment.

use std::net::SocketAddr;

/// The default database: a SQLite file under `./data/`, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/partner-center.db";

/// The sender of emails unless `PC_MAIL_FROM` says otherwise.
pub const DEFAULT_MAIL_FROM: &str = "华为云伙伴中心 <no-reply@partner-center.local>";

/// Operator funding above this waits for a second operator (资金管理 maker–checker).
pub const DEFAULT_FUNDING_THRESHOLD: &str = "100000.00";

/// The address users reach the site at, once known (set by `serve`, or from `PC_PUBLIC_URL` for
/// the command line): links in notices sent by email are made from it.
static PUBLIC_URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Records the site's public address (the first value set wins).
pub fn set_public_url(url: &str) {
    let _ = PUBLIC_URL.set(url.trim_end_matches('/').to_string());
}

/// The site's public address, if this process knows it.
pub fn public_url() -> Option<&'static str> {
    PUBLIC_URL.get().map(String::as_str)
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub addr: SocketAddr,
    /// Set when the site is served over https (e.g. behind a proxy): cookies get `Secure`.
    pub secure_cookies: bool,
    /// Enables the in-memory comparison route used by `scripts/bench`. Never on in production.
    pub bench_routes: bool,
    /// Where the built site (`pkg/`, `public/` files) lives.
    pub site_root: String,
    /// The address users reach the site at (no trailing slash), for links that leave the
    /// browser: the verification URL printed on certificates, links in emails.
    pub public_url: String,
    /// The certificates' font file; `None` looks in the usual Debian places.
    pub cert_font: Option<String>,
    /// The SMTP server email goes to (`smtp://host:port`); `None` keeps emails in the outbox.
    pub smtp_url: Option<String>,
    /// The sender of emails.
    pub mail_from: String,
    /// Proxies whose `X-Forwarded-For` / `X-Forwarded-Proto` are believed (none by default:
    /// the headers are then ignored, so a client cannot pick its own address).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Operator funding above this amount needs a second operator's approval.
    pub funding_threshold: crate::domain::Amount,
}

impl Config {
    /// Whether users reach the site over https: cookies get `Secure` and pages send HSTS.
    pub fn https(&self) -> bool {
        self.secure_cookies || self.public_url.starts_with("https://")
    }
}

/// Parses `--trusted-proxy` (comma-separated addresses).
pub fn parse_proxies(raw: &str) -> Result<Vec<std::net::IpAddr>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse()
                .map_err(|_| format!("--trusted-proxy: {s} is not an IP address"))
        })
        .collect()
}

impl Config {
    pub fn database_url_from_env() -> String {
        std::env::var("DATABASE_URL")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string())
    }

    pub fn site_root_from_env() -> String {
        std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".to_string())
    }
}
