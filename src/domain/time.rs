//! Days and instants in China time (UTC+8), the console's time zone: every date a user types or
//! reads is a China date, every stored instant is unix milliseconds.

use chrono::{FixedOffset, NaiveDate, TimeZone};

/// One day in milliseconds.
pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// China time (UTC+8).
pub const CST_OFFSET_MS: i64 = 8 * 60 * 60 * 1000;

/// The first instant of a date (China time) as unix ms.
pub fn day_start(date: NaiveDate) -> i64 {
    date.and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().timestamp_millis() - CST_OFFSET_MS)
        .unwrap_or(0)
}

/// A date that is not `YYYY-MM-DD` (or has no next day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadDay;

/// A date field (`YYYY-MM-DD`, China time) as unix ms: the start (00:00) of that day, or with
/// `end` the end (24:00, the next day's start). Blank is `None`.
pub fn parse_day(raw: &str, end: bool) -> Result<Option<i64>, BadDay> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let day = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| BadDay)?;
    let day = if end {
        day.succ_opt().ok_or(BadDay)?
    } else {
        day
    };
    Ok(Some(day_start(day)))
}

/// Formats a unix timestamp in milliseconds as China Standard Time.
pub fn format_time(ms: i64) -> String {
    let cst = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    match cst.timestamp_millis_opt(ms).single() {
        Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn china_days() {
        // 2026-01-01 00:00 in China is 2025-12-31 16:00 UTC.
        assert_eq!(parse_day("2026-01-01", false), Ok(Some(1_767_196_800_000)));
        assert_eq!(
            parse_day(" 2026-01-01 ", true),
            Ok(Some(1_767_196_800_000 + DAY_MS))
        );
        assert_eq!(parse_day("", true), Ok(None));
        assert_eq!(parse_day("2026-02-30", false), Err(BadDay));
        assert_eq!(format_time(1_767_196_800_000), "2026-01-01 00:00:00");
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert_eq!(day_start(d), 1_767_196_800_000);
    }
}
