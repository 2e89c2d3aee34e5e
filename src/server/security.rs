//! Request-level security: same-origin enforcement for state-changing requests, security
//! headers on every response, and the mapping of server-function errors to HTTP statuses.

use crate::error::AppError;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Refuses a state-changing request (anything but GET/HEAD/OPTIONS) that a browser tells us came
/// from another site. Browsers send `Sec-Fetch-Site` and/or `Origin` on every such request; a
/// request with neither comes from a non-browser client, which cannot be made to act with a
/// victim's cookies, so it is let through only when it carries no session cookie.
pub async fn same_origin(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    if is_same_origin(req.headers()) {
        next.run(req).await
    } else {
        tracing::warn!(path = %req.uri().path(), "cross-origin request refused");
        AppError::CrossOrigin.into_response()
    }
}

fn is_same_origin(headers: &HeaderMap) -> bool {
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if site.is_some_and(|s| s != "same-origin") {
        return false;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) => {
            let authority = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h))
        }
        None if site.is_some() => true,
        None => !carries_session(headers),
    }
}

fn carries_session(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| c.contains(super::session::COOKIE_NAME))
}

/// The policy for pages that run no script of ours (API answers, static files, errors).
const DEFAULT_CSP: &str = "default-src 'self'; img-src 'self' data:; object-src 'none'; \
     base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The policy for rendered pages: scripts only from this origin or with this response's nonce
/// (the hydration bootstrap), WebAssembly compilation allowed, nothing framed.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Who is on the other end of a request: the client's address and whether it came over https.
/// Behind a trusted proxy (`--trusted-proxy`) these come from `X-Forwarded-For` (the nearest
/// address that is not itself a trusted proxy) and `X-Forwarded-Proto`; otherwise from the
/// connection, and the forwarded headers are ignored.
#[derive(Debug, Clone, Copy)]
pub struct ClientContext {
    pub ip: std::net::IpAddr,
    pub https: bool,
}

pub fn client_context_of(
    peer: Option<std::net::IpAddr>,
    headers: &HeaderMap,
    trusted: &[std::net::IpAddr],
    https_site: bool,
) -> ClientContext {
    let unknown = std::net::IpAddr::from([0, 0, 0, 0]);
    let Some(peer) = peer else {
        return ClientContext {
            ip: unknown,
            https: https_site,
        };
    };
    if !trusted.contains(&peer) {
        return ClientContext {
            ip: peer,
            https: https_site,
        };
    }
    // Right to left: each proxy appends the address it received from.
    let forwarded: Vec<std::net::IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let ip = forwarded
        .iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .copied()
        .unwrap_or(peer);
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().eq_ignore_ascii_case("https"));
    ClientContext {
        ip,
        https: proto.unwrap_or(https_site),
    }
}

/// Puts the [`ClientContext`] of every request in its extensions.
pub async fn client_context(
    axum::extract::State(config): axum::extract::State<std::sync::Arc<super::config::Config>>,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    let ctx = client_context_of(peer, req.headers(), &config.trusted_proxies, config.https());
    req.extensions_mut().insert(ctx);
    next.run(req).await
}

pub async fn security_headers(req: Request, next: Next) -> Response {
    let https = req
        .extensions()
        .get::<ClientContext>()
        .is_some_and(|c| c.https);
    let mut res = next.run(req).await;
    if https {
        res.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    let status = res.status();
    let h = res.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    // A refusal for load or throttling says when to come back.
    if !h.contains_key(header::RETRY_AFTER) {
        match status {
            StatusCode::TOO_MANY_REQUESTS => {
                h.insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
            }
            StatusCode::SERVICE_UNAVAILABLE => {
                h.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
    }
    // Dynamic answers (pages with balances, CSV exports, API results) are never stored by a
    // browser or a proxy; static files set their own policy before this point.
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DEFAULT_CSP),
        );
    }
    res
}

/// Server functions answer every error with 500; this gives each its real status (400 for a
/// malformed form, 401, 403, 409, 429…). For a plain HTML form post (before the WebAssembly
/// loads) the server-function layer redirects back to the form; the error key is added to that
/// redirect so the page can show the message.
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if !res.headers().contains_key("serverfnerror") {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = match to_bytes(body, 64 * 1024).await {
        Ok(b) => b,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let err: AppError = serde_json::from_slice(&bytes).unwrap_or(AppError::Internal);
    if parts.status == StatusCode::FOUND {
        if let Some(loc) = parts
            .headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
        {
            let with_error = add_query(loc, "error", err.key());
            if let Ok(v) = HeaderValue::from_str(&with_error) {
                parts.headers.insert(header::LOCATION, v);
            }
        }
    } else {
        parts.status =
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Replaces (or adds) one query parameter of a URL or path.
pub fn add_query(url: &str, key: &str, value: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty() && p.split('=').next() != Some(key))
        .map(str::to_string)
        .collect();
    pairs.push(format!("{key}={}", urlencode(value)));
    format!("{base}?{}", pairs.join("&"))
}

use crate::openapi::signer::url_encode as urlencode;

/// The SHA-256 (hex) of a secret token, as stored: invitation links and API tokens keep only this.
pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new secret for a mailed link: 256 random bits, hex. Only its [`token_hash`] is stored.
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn same_origin_posts_pass_and_cross_site_posts_do_not() {
        assert!(is_same_origin(&headers(&[
            ("host", "a.test:3000"),
            ("origin", "http://a.test:3000")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("host", "a.test:3000"),
            ("origin", "http://evil.test")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("host", "a.test"),
            ("origin", "null")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("host", "a.test"),
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(is_same_origin(&headers(&[
            ("host", "a.test"),
            ("sec-fetch-site", "same-origin")
        ])));
    }

    #[test]
    fn headerless_requests_pass_only_without_a_session_cookie() {
        assert!(is_same_origin(&headers(&[("host", "a.test")])));
        assert!(!is_same_origin(&headers(&[
            ("host", "a.test"),
            ("cookie", "pc_session=x")
        ])));
    }

    #[test]
    fn forwarded_headers_count_only_from_a_trusted_proxy() {
        let proxy: std::net::IpAddr = "10.0.0.5".parse().unwrap();
        let client: std::net::IpAddr = "203.0.113.7".parse().unwrap();
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.1, 203.0.113.7"),
            ("x-forwarded-proto", "https"),
        ]);
        // Not trusted: the connection's address, the header ignored.
        let c = client_context_of(Some(client), &h, &[], false);
        assert_eq!((c.ip, c.https), (client, false));
        // Trusted: the nearest untrusted address (the first entry could be forged by the client).
        let c = client_context_of(Some(proxy), &h, &[proxy], false);
        assert_eq!((c.ip, c.https), (client, true));
        // A trusted proxy without the header: its own address.
        let c = client_context_of(Some(proxy), &HeaderMap::new(), &[proxy], true);
        assert_eq!((c.ip, c.https), (proxy, true));
    }

    #[test]
    fn error_keys_are_added_to_redirects() {
        assert_eq!(
            add_query("/login?next=%2Fcenter", "error", "error.bad_credentials"),
            "/login?next=%2Fcenter&error=error.bad_credentials"
        );
        assert_eq!(
            add_query("/login?error=old", "error", "x y"),
            "/login?error=x%20y"
        );
    }
}
