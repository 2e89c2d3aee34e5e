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

pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
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

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The SHA-256 (hex) of a secret token, as stored: invitation links and API tokens keep only this.
pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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
