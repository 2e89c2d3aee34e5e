//! The wire: how the API reads bodies, queries, ids, amounts and times, and how it pages lists.

use super::handlers::ApiError;
use super::signer;
use crate::domain::{Money, PageRequest};
use axum::http::Uri;
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

pub(super) fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
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

/// An amount as the SDK sends it: a JSON number (or string) read as text, never as a float.
pub(super) fn amount<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let raw = Box::<RawValue>::deserialize(d)?;
    let text = raw.get();
    let text = text
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(text);
    Ok(text.to_string())
}

/// An exact amount as a JSON number.
pub(super) fn number(m: Money) -> Box<RawValue> {
    RawValue::from_string(m.to_string())
        .unwrap_or_else(|_| RawValue::from_string("0".into()).expect("0 is JSON"))
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

/// The query of a GET operation: only the operation's parameters, each at most once.
pub(super) fn query(
    uri: &Uri,
    allowed: &[&str],
) -> Result<std::collections::HashMap<String, String>, ApiError> {
    let mut out = std::collections::HashMap::new();
    for part in uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let decode = |s: &str| signer::percent_decode(&s.replace('+', " "));
        let (Some(k), Some(v)) = (decode(k), decode(v)) else {
            return Err(ApiError::Bad("The query does not decode.".into()));
        };
        if !allowed.contains(&k.as_str()) {
            return Err(ApiError::Bad(format!("Unknown parameter {k}.")));
        }
        if out.insert(k.clone(), v).is_some() {
            return Err(ApiError::Bad(format!("Parameter {k} given twice.")));
        }
    }
    Ok(out)
}

/// `offset` (≥ 0, default 0) and `limit` (1..=100, default 10) of a query string.
pub(super) fn window(
    q: &std::collections::HashMap<String, String>,
) -> Result<PageRequest, ApiError> {
    let number = |key: &str| {
        q.get(key)
            .map(|v| v.parse::<i64>().map_err(|_| bad_window()))
            .transpose()
    };
    body_window(number("offset")?, number("limit")?)
}

/// `offset` (≥ 0, default 0) and `limit` (1..=100, default 10), as a window of a list.
pub(super) fn body_window(
    offset: Option<i64>,
    limit: Option<i64>,
) -> Result<PageRequest, ApiError> {
    let offset = u64::try_from(offset.unwrap_or(0)).map_err(|_| bad_window())?;
    let limit = limit.unwrap_or(10);
    if !(1..=i64::from(PageRequest::MAX_SIZE)).contains(&limit) {
        return Err(bad_window());
    }
    Ok(PageRequest::window(
        offset,
        u32::try_from(limit).map_err(|_| bad_window())?,
    ))
}

fn bad_window() -> ApiError {
    ApiError::Bad("offset ≥ 0 and 1 ≤ limit ≤ 100.".into())
}

/// A begin/end pair of times of a query string as inclusive bounds (unix ms).
pub(super) fn span(
    q: &std::collections::HashMap<String, String>,
    begin: &str,
    end: &str,
) -> Result<(Option<i64>, Option<i64>), ApiError> {
    body_span(q.get(begin), q.get(end))
}

/// A begin/end pair of UTC times as inclusive bounds (unix ms).
pub(super) fn body_span(
    begin: Option<&String>,
    end: Option<&String>,
) -> Result<(Option<i64>, Option<i64>), ApiError> {
    let at = |v: Option<&String>| v.map(|s| parse_utc(s)).transpose();
    Ok((at(begin)?, at(end)?))
}

/// An optional id parameter: absent or empty means none.
pub(super) fn optional_id(v: Option<&str>, field: &str) -> Result<Option<i64>, ApiError> {
    v.filter(|s| !s.is_empty())
        .map(|s| id(s, field))
        .transpose()
}

/// A time range of a query as SQL bounds: from `begin` (inclusive, else the epoch) to `end`
/// (inclusive, else the end of time), as `[from, to)` in unix ms.
pub(super) fn time_range(
    q: &std::collections::HashMap<String, String>,
    begin: &str,
    end: &str,
) -> Result<(Option<i64>, Option<i64>), ApiError> {
    let b = q.get(begin).map(|s| parse_utc(s)).transpose()?;
    let e = q.get(end).map(|s| parse_utc(s)).transpose()?;
    Ok((b, e.map(|e| e.saturating_add(1))))
}
