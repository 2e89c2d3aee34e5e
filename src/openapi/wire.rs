//! The wire: how the API reads bodies, queries, ids, amounts and times, and how it pages lists.

use super::handlers::ApiError;
use super::schema::Decimal;
use crate::domain::{Amount, PageRequest};
use crate::error::AppError;
use axum::http::Uri;

/// The JSON body of a POST operation as its typed request; an empty body is `{}`. Unknown
/// fields, wrong types and malformed JSON are refused (400).
pub(super) fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let body: &[u8] = if body.is_empty() { b"{}" } else { body };
    serde_json::from_slice(body).map_err(|e| {
        let msg = format!(
            "Invalid request body: {}.",
            e.to_string()
                .split(" at line")
                .next()
                .unwrap_or("malformed")
        );
        ApiError::Bad(msg.to_string())
    })
}

/// The query of a GET operation as its typed request: only the operation's parameters, each at
/// most once, of their types (400 otherwise).
pub(super) fn parse_query<T: serde::de::DeserializeOwned>(uri: &Uri) -> Result<T, ApiError> {
    axum::extract::Query::<T>::try_from_uri(uri)
        .map(|q| q.0)
        .map_err(|e| ApiError::Bad(format!("Invalid query: {}.", e.body_text())))
}

/// An amount to move: > 0 with at most 2 decimals (the funds rules' refusal otherwise).
pub(super) fn amount(raw: &Decimal) -> Result<Amount, ApiError> {
    Amount::parse(&raw.0).map_err(|k| ApiError::App(AppError::invalid(k)))
}

pub(super) fn utc(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

pub(super) fn parse_utc(s: &str) -> Result<i64, ApiError> {
    chrono::DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.timestamp_millis())
        .map_err(|_| ApiError::Bad("Times are UTC like 2019-05-06T08:05:01Z.".to_string()))
}

/// Parses a list of ids (already counted by the caller) in order, without duplicates, in linear
/// time.
pub(super) fn dedup_ids(raw: &[String], field: &str) -> Result<Vec<i64>, ApiError> {
    let mut seen = std::collections::HashSet::with_capacity(raw.len());
    let mut out = Vec::with_capacity(raw.len());
    for r in raw {
        let v = id(r, field)?;
        if seen.insert(v) {
            out.push(v);
        }
    }
    Ok(out)
}

pub(super) fn id(s: &str, field: &str) -> Result<i64, ApiError> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|i| *i > 0)
        .ok_or_else(|| ApiError::Bad(format!("Invalid {field}.").to_string()))
}

/// `offset` (≥ 0, default 0) and `limit` (1..=100, default 10), as a window of a list.
pub(super) fn window(offset: Option<i64>, limit: Option<i64>) -> Result<PageRequest, ApiError> {
    let bad = || ApiError::Bad("offset ≥ 0 and 1 ≤ limit ≤ 100.".into());
    let offset = u64::try_from(offset.unwrap_or(0)).map_err(|_| bad())?;
    let limit = limit.unwrap_or(10);
    if !(1..=i64::from(PageRequest::MAX_SIZE)).contains(&limit) {
        return Err(bad());
    }
    Ok(PageRequest::window(
        offset,
        u32::try_from(limit).map_err(|_| bad())?,
    ))
}

/// A begin/end pair of UTC times as inclusive bounds (unix ms).
pub(super) fn span(
    begin: &Option<String>,
    end: &Option<String>,
) -> Result<(Option<i64>, Option<i64>), ApiError> {
    let at = |v: &Option<String>| v.as_deref().map(parse_utc).transpose();
    Ok((at(begin)?, at(end)?))
}

/// A begin/end pair of UTC times as SQL bounds `[from, to)` in unix ms: `end` is inclusive.
pub(super) fn range(
    begin: &Option<String>,
    end: &Option<String>,
) -> Result<(Option<i64>, Option<i64>), ApiError> {
    let (from, to) = span(begin, end)?;
    Ok((from, to.map(|e| e.saturating_add(1))))
}

/// An optional id parameter: absent or empty means none.
pub(super) fn optional_id(v: &Option<String>, field: &str) -> Result<Option<i64>, ApiError> {
    v.as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| id(s, field))
        .transpose()
}
