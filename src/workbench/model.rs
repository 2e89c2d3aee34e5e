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
        };
        assert!(w(&[0, 0]).all_clear());
        assert!(w(&[]).all_clear());
        assert!(!w(&[0, 2]).all_clear());
    }
}
