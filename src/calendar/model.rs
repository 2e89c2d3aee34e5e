//! Days off, extra working days, and counting business days.

use crate::domain::{CST_OFFSET_MS, DAY_MS};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a calendar day is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DayKind {
    /// 放假: no business on a day that would be a weekday.
    Off,
    /// 调休上班: a business day on a weekend.
    Work,
}

impl DayKind {
    pub const ALL: [DayKind; 2] = [DayKind::Off, DayKind::Work];

    pub fn code(self) -> &'static str {
        match self {
            DayKind::Off => "off",
            DayKind::Work => "work",
        }
    }

    pub fn parse(s: &str) -> Option<DayKind> {
        DayKind::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            DayKind::Off => "holiday.kind.off",
            DayKind::Work => "holiday.kind.work",
        }
    }
}

#[cfg(feature = "ssr")]
crate::sql_text!(code: DayKind);

/// One day of the calendar as the operator sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Holiday {
    /// `YYYY-MM-DD`.
    pub day: String,
    pub kind: DayKind,
    pub name: String,
}

/// A day being set: parsed from the operator's form.
#[derive(Debug, Clone, PartialEq)]
pub struct NewHoliday {
    pub day: NaiveDate,
    pub kind: DayKind,
    pub name: String,
}

impl NewHoliday {
    /// The form's fields: a `YYYY-MM-DD` date between 2000 and 2100, `off` or `work`, and a
    /// name of at most 20 characters (optional).
    pub fn parse(day: &str, kind: &str, name: &str) -> Result<NewHoliday, &'static str> {
        let day = parse_day(day)?;
        let kind = DayKind::parse(kind.trim()).ok_or("error.holiday.kind")?;
        let name = name.trim();
        if name.chars().count() > 20 {
            return Err("error.holiday.name");
        }
        Ok(NewHoliday {
            day,
            kind,
            name: name.to_string(),
        })
    }
}

/// A calendar date as the forms send it.
pub fn parse_day(raw: &str) -> Result<NaiveDate, &'static str> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (2000..=2100).contains(&d.year()))
        .ok_or("error.holiday.day")
}

/// The China date of an instant (unix ms).
pub fn china_day(ms: i64) -> NaiveDate {
    let days = (ms + CST_OFFSET_MS).div_euclid(DAY_MS);
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|epoch| epoch.checked_add_signed(chrono::Duration::days(days)))
        .unwrap_or(NaiveDate::MIN)
}

/// Which days are business days.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Calendar {
    days: BTreeMap<NaiveDate, DayKind>,
}

impl Calendar {
    pub fn new(days: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> Calendar {
        Calendar {
            days: days.into_iter().collect(),
        }
    }

    /// Monday–Friday unless a day off; any day the calendar makes a working day.
    pub fn is_business_day(&self, day: NaiveDate) -> bool {
        match self.days.get(&day) {
            Some(DayKind::Off) => false,
            Some(DayKind::Work) => true,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The same clock time on the `days`-th business day after `from` (China time): shared on
    /// a Friday, 3 business days end on Wednesday; shared on the eve of a week off, they end
    /// after it.
    pub fn add_business_days(&self, from: i64, days: u32) -> i64 {
        self.step(from, days, DAY_MS)
    }

    /// The same clock time on the `days`-th business day before `from`.
    pub fn sub_business_days(&self, from: i64, days: u32) -> i64 {
        self.step(from, days, -DAY_MS)
    }

    fn step(&self, from: i64, days: u32, by: i64) -> i64 {
        let mut t = from;
        let mut left = days;
        // A calendar cannot hold more than a few weeks off in a row; the bound keeps a broken
        // one (every day off) from looping forever.
        let mut guard = 0;
        while left > 0 && guard < 3660 {
            t += by;
            guard += 1;
            if self.is_business_day(china_day(t)) {
                left -= 1;
            }
        }
        t
    }
}

/// China's 2026 public holidays and make-up working days (国务院办公厅, 2025-11-04).
pub const CHINA_2026: &[(&str, DayKind, &str)] = &[
    ("2026-01-01", DayKind::Off, "元旦"),
    ("2026-01-02", DayKind::Off, "元旦"),
    ("2026-01-03", DayKind::Off, "元旦"),
    ("2026-01-04", DayKind::Work, "元旦调休"),
    ("2026-02-14", DayKind::Work, "春节调休"),
    ("2026-02-15", DayKind::Off, "春节"),
    ("2026-02-16", DayKind::Off, "春节"),
    ("2026-02-17", DayKind::Off, "春节"),
    ("2026-02-18", DayKind::Off, "春节"),
    ("2026-02-19", DayKind::Off, "春节"),
    ("2026-02-20", DayKind::Off, "春节"),
    ("2026-02-21", DayKind::Off, "春节"),
    ("2026-02-22", DayKind::Off, "春节"),
    ("2026-02-23", DayKind::Off, "春节"),
    ("2026-02-28", DayKind::Work, "春节调休"),
    ("2026-04-04", DayKind::Off, "清明节"),
    ("2026-04-05", DayKind::Off, "清明节"),
    ("2026-04-06", DayKind::Off, "清明节"),
    ("2026-05-01", DayKind::Off, "劳动节"),
    ("2026-05-02", DayKind::Off, "劳动节"),
    ("2026-05-03", DayKind::Off, "劳动节"),
    ("2026-05-04", DayKind::Off, "劳动节"),
    ("2026-05-05", DayKind::Off, "劳动节"),
    ("2026-05-09", DayKind::Work, "劳动节调休"),
    ("2026-06-19", DayKind::Off, "端午节"),
    ("2026-06-20", DayKind::Off, "端午节"),
    ("2026-06-21", DayKind::Off, "端午节"),
    ("2026-09-20", DayKind::Work, "国庆节调休"),
    ("2026-09-25", DayKind::Off, "中秋节"),
    ("2026-09-26", DayKind::Off, "中秋节"),
    ("2026-09-27", DayKind::Off, "中秋节"),
    ("2026-10-01", DayKind::Off, "国庆节"),
    ("2026-10-02", DayKind::Off, "国庆节"),
    ("2026-10-03", DayKind::Off, "国庆节"),
    ("2026-10-04", DayKind::Off, "国庆节"),
    ("2026-10-05", DayKind::Off, "国庆节"),
    ("2026-10-06", DayKind::Off, "国庆节"),
    ("2026-10-07", DayKind::Off, "国庆节"),
    ("2026-10-10", DayKind::Work, "国庆节调休"),
];

/// A built-in year's calendar, if the product knows it.
pub fn official(year: i32) -> Option<&'static [(&'static str, DayKind, &'static str)]> {
    match year {
        2026 => Some(CHINA_2026),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::parse_day as instant;

    fn at(day: &str, hour: i64) -> i64 {
        instant(day, false).unwrap().unwrap() + hour * 3_600_000
    }

    fn china_2026() -> Calendar {
        Calendar::new(
            CHINA_2026
                .iter()
                .map(|(d, k, _)| (parse_day(d).unwrap(), *k)),
        )
    }

    #[test]
    fn without_a_calendar_business_days_are_weekdays() {
        let cal = Calendar::default();
        // Friday 2026-11-20 10:00 + 3 business days = Wednesday 2026-11-25 10:00.
        assert_eq!(
            cal.add_business_days(at("2026-11-20", 10), 3),
            at("2026-11-25", 10)
        );
        assert_eq!(
            cal.sub_business_days(at("2026-11-25", 10), 1),
            at("2026-11-24", 10)
        );
        // Monday back one business day is the Friday before.
        assert_eq!(
            cal.sub_business_days(at("2026-11-23", 10), 1),
            at("2026-11-20", 10)
        );
    }

    #[test]
    fn the_national_day_week_is_skipped_and_its_make_up_saturday_counts() {
        let cal = china_2026();
        // Shared Wednesday 2026-09-30 10:00: Oct 1–7 are off; Thu 8 and Fri 9 count, and
        // Saturday Oct 10 is a working day: the deadline is Saturday Oct 10, 10:00.
        let due = cal.add_business_days(at("2026-09-30", 10), 3);
        assert_eq!(due, at("2026-10-10", 10));
        assert_eq!(cal.sub_business_days(due, 1), at("2026-10-09", 10));
        // Sunday 2026-09-20 is a make-up working day; 2026-09-25 (Friday) is 中秋节.
        assert!(cal.is_business_day(parse_day("2026-09-20").unwrap()));
        assert!(!cal.is_business_day(parse_day("2026-09-25").unwrap()));
        assert!(!cal.is_business_day(parse_day("2026-10-11").unwrap()));
    }

    #[test]
    fn late_evening_in_china_is_still_that_day() {
        // Friday 23:59 China time is 15:59 UTC the same day; Saturday 00:30 China time is
        // still Friday in UTC, but Saturday here.
        let cal = Calendar::default();
        let friday_late = at("2026-11-20", 0) + 23 * 3_600_000 + 59 * 60_000;
        assert_eq!(china_day(friday_late), parse_day("2026-11-20").unwrap());
        let saturday = at("2026-11-21", 0) + 30 * 60_000;
        assert_eq!(china_day(saturday), parse_day("2026-11-21").unwrap());
        assert_eq!(
            cal.add_business_days(saturday, 1),
            at("2026-11-23", 0) + 30 * 60_000
        );
    }

    #[test]
    fn a_calendar_of_nothing_but_days_off_still_ends() {
        let start = parse_day("2026-01-01").unwrap();
        let cal =
            Calendar::new((0..4000).map(|i| (start + chrono::Duration::days(i), DayKind::Off)));
        let from = at("2026-01-01", 0);
        assert!(cal.add_business_days(from, 3) > from);
    }

    #[test]
    fn the_form_is_parsed() {
        assert_eq!(
            NewHoliday::parse(" 2026-10-01 ", "off", " 国庆节 "),
            Ok(NewHoliday {
                day: parse_day("2026-10-01").unwrap(),
                kind: DayKind::Off,
                name: "国庆节".into()
            })
        );
        assert_eq!(
            NewHoliday::parse("2026-02-30", "off", ""),
            Err("error.holiday.day")
        );
        assert_eq!(
            NewHoliday::parse("1999-10-01", "off", ""),
            Err("error.holiday.day")
        );
        assert_eq!(
            NewHoliday::parse("2026-10-01", "holiday", ""),
            Err("error.holiday.kind")
        );
        assert_eq!(
            NewHoliday::parse("2026-10-01", "work", &"长".repeat(21)),
            Err("error.holiday.name")
        );
    }

    #[test]
    fn the_built_in_year_is_consistent() {
        for (d, kind, _) in CHINA_2026 {
            let day = parse_day(d).unwrap();
            let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
            // A make-up working day is a weekend day; listing a weekend as off is harmless
            // but a weekday as a working day would mean nothing.
            if *kind == DayKind::Work {
                assert!(weekend, "{d} is a weekday");
            }
        }
        assert!(official(2026).is_some());
        assert!(official(1999).is_none());
    }
}
