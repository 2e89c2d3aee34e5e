//! What the workbench shows: to-dos (a count that links to the list holding them) and figures.

use crate::domain::Money;
use serde::{Deserialize, Serialize};

/// One thing that needs the user: how many, where they are, and when the nearest is due.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Todo {
    /// The text key naming it (`workbench.todo.<kind>`).
    pub key: String,
    pub count: i64,
    /// The list that holds them, filtered.
    pub link: String,
    /// For deadlines: when the nearest is due (unix ms), or days left.
    pub due: Option<Due>,
    /// For money waiting: the total of the items.
    pub amount: Option<Money>,
}

/// When the nearest of a to-do's items is due.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Due {
    At(i64),
    DaysLeft(i64),
}

/// A figure the user watches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// The text key naming it (`workbench.figure.<kind>`).
    pub key: String,
    pub value: Value,
    pub link: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Value {
    Money(Money),
    Count(i64),
}

/// A partner member's workbench: its to-dos (every one its role may act on, zero or not) and
/// its figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workbench {
    pub todos: Vec<Todo>,
    pub figures: Vec<Figure>,
    /// The partner's joined development paths (主页's 发展路径模块 shows them): read once for the
    /// to-dos and the module alike. Empty for customers and members outside 发展路径.
    #[serde(default)]
    pub paths: Vec<crate::paths::model::JoinedPath>,
}

impl Workbench {
    /// Whether nothing needs the user.
    pub fn all_clear(&self) -> bool {
        self.todos.iter().all(|t| t.count == 0)
    }
}

/// How many partners are of a kind and HCPN state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerTally {
    pub kind: crate::domain::PartnerKind,
    pub hcpn: crate::domain::HcpnState,
    pub count: i64,
}

/// The operator's workbench: the queues waiting for a decision, the programme's money, and its
/// partners by kind and state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeBoard {
    pub queues: Vec<Todo>,
    pub figures: Vec<Figure>,
    pub partners: Vec<PartnerTally>,
    /// The money held by partners and customers equals the sum of their ledger entries (it
    /// always must; `false` is shown as an alarm).
    pub ledger_agrees: bool,
}

/// The window in which quotas and coupons count as expiring.
pub const EXPIRING_DAYS: i64 = 30;

/// The first instant (unix ms) of the calendar month, in China time, that holds `now`.
pub fn month_start(now: i64) -> i64 {
    use chrono::{Datelike, FixedOffset, NaiveDate, TimeZone};
    let cst = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    let Some(t) = cst.timestamp_millis_opt(now).single() else {
        return now;
    };
    NaiveDate::from_ymd_opt(t.year(), t.month(), 1)
        .map(crate::domain::day_start)
        .unwrap_or(now)
}

/// One point of a chart: its label (a day `MM-DD`, a month `YYYY-MM`) and one value per series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub label: String,
    pub values: Vec<Money>,
}

/// A bar chart: its title's key, its series' keys (one colour each), its points in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    pub key: String,
    pub series: Vec<String>,
    pub points: Vec<Point>,
}

/// 销售 overview: the partner member's figures, and the charts of its role's areas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalesBoard {
    pub figures: Vec<Figure>,
    pub charts: Vec<Chart>,
}

/// How many days the balance chart shows, and months the monthly charts.
pub const BALANCE_DAYS: i64 = 90;
pub const CHART_MONTHS: usize = 12;
/// How many quotas (the newest current ones) the quota chart shows.
pub const QUOTA_BARS: i64 = 12;

/// A day number (days since 1970-01-01 in China time) of an instant.
pub fn day_of(ms: i64) -> i64 {
    (ms + crate::domain::CST_OFFSET_MS).div_euclid(crate::domain::DAY_MS)
}

/// The date of a day number.
pub fn date_of(day: i64) -> Option<chrono::NaiveDate> {
    // 1970-01-01 is day 719 163 of the common era.
    chrono::NaiveDate::from_num_days_from_ce_opt(i32::try_from(719_163 + day).ok()?)
}

/// Daily closing balances over `days` days ending with `last_day`: each day's close is the
/// balance left by its last entry, or the day before's when it had none (`opening` before the
/// first). `closes` are (day, balance after the day's last entry), in any order.
pub fn daily_balances(
    opening: i64,
    closes: &[(i64, i64)],
    last_day: i64,
    days: i64,
) -> Vec<(i64, i64)> {
    let mut sorted = closes.to_vec();
    sorted.sort_unstable();
    let mut out = Vec::with_capacity(usize::try_from(days).unwrap_or(0));
    let mut current = opening;
    let mut next = sorted.iter().peekable();
    for day in (last_day - days + 1)..=last_day {
        while let Some((d, bal)) = next.peek() {
            if *d > day {
                break;
            }
            current = *bal;
            next.next();
        }
        out.push((day, current));
    }
    out
}

/// The last `months` calendar months (China time) ending with the one of `last_day`, oldest
/// first, as (year, month).
pub fn last_months(last_day: i64, months: usize) -> Vec<(i32, u32)> {
    use chrono::Datelike;
    let Some(date) = date_of(last_day) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(months);
    let (mut y, mut m) = (date.year(), date.month());
    for _ in 0..months {
        out.push((y, m));
        if m == 1 {
            y -= 1;
            m = 12;
        } else {
            m -= 1;
        }
    }
    out.reverse();
    out
}

/// Sums per-day rows (day, one value per series) into the given months.
pub fn by_month(rows: &[(i64, Vec<i64>)], months: &[(i32, u32)], series: usize) -> Vec<Vec<i64>> {
    use chrono::Datelike;
    let mut out = vec![vec![0; series]; months.len()];
    for (day, values) in rows {
        let Some(date) = date_of(*day) else { continue };
        if let Some(i) = months
            .iter()
            .position(|m| *m == (date.year(), date.month()))
        {
            for (slot, v) in out[i].iter_mut().zip(values) {
                *slot += v;
            }
        }
    }
    out
}

/// The first instant of the first of `months` (China time).
pub fn months_start(months: &[(i32, u32)]) -> i64 {
    months
        .first()
        .and_then(|(y, m)| chrono::NaiveDate::from_ymd_opt(*y, *m, 1))
        .map(crate::domain::day_start)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_starts_at_china_midnight_on_its_first() {
        // 2026-12-01 00:00 China time is 2026-11-30 16:00 UTC.
        let first = chrono::DateTime::parse_from_rfc3339("2026-12-01T00:00:00+08:00")
            .unwrap()
            .timestamp_millis();
        assert_eq!(month_start(first), first);
        assert_eq!(month_start(first + 20 * 86_400_000), first);
        assert!(month_start(first - 1) < first);
        let nov = chrono::DateTime::parse_from_rfc3339("2026-11-01T00:00:00+08:00")
            .unwrap()
            .timestamp_millis();
        assert_eq!(month_start(first - 1), nov);
    }

    #[test]
    fn all_clear_means_every_count_is_zero() {
        let todo = |count| Todo {
            key: "workbench.todo.unread".into(),
            count,
            link: "/messages".into(),
            due: None,
            amount: None,
        };
        let w = |counts: &[i64]| Workbench {
            todos: counts.iter().map(|c| todo(*c)).collect(),
            figures: vec![],
            paths: vec![],
        };
        assert!(w(&[0, 0]).all_clear());
        assert!(w(&[]).all_clear());
        assert!(!w(&[0, 2]).all_clear());
    }

    #[test]
    fn a_day_without_entries_closes_at_the_day_befores_balance() {
        let got = daily_balances(500, &[(12, 700), (10, 600)], 13, 5);
        assert_eq!(got, [(9, 500), (10, 600), (11, 600), (12, 700), (13, 700)]);
        assert_eq!(daily_balances(0, &[], 3, 2), [(2, 0), (3, 0)]);
    }

    #[test]
    fn days_and_months_follow_china_time() {
        // 2026-12-01 00:30 China time is still 2026-11-30 in UTC.
        let t = chrono::DateTime::parse_from_rfc3339("2026-12-01T00:30:00+08:00")
            .unwrap()
            .timestamp_millis();
        assert_eq!(date_of(day_of(t)).unwrap().to_string(), "2026-12-01");
        let months = last_months(day_of(t), 12);
        assert_eq!(months.first(), Some(&(2026, 1)));
        assert_eq!(months.last(), Some(&(2026, 12)));
        assert_eq!(last_months(day_of(t), 13).first(), Some(&(2025, 12)));
        let dec1 = day_of(t);
        let rows = vec![
            (dec1, vec![100, 5]),
            (dec1 - 1, vec![7, 0]),
            (dec1 - 400, vec![9, 9]),
        ];
        let summed = by_month(&rows, &months, 2);
        assert_eq!(summed[11], [100, 5]);
        assert_eq!(summed[10], [7, 0], "November");
        assert_eq!(
            summed.iter().flatten().sum::<i64>(),
            112,
            "a day out of range counts nowhere"
        );
        assert_eq!(
            months_start(&months),
            chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00+08:00")
                .unwrap()
                .timestamp_millis()
        );
    }
}
