//! Reading and maintaining the holiday calendar.

use super::model::{Calendar, Holiday, NewHoliday, china_day, official, parse_day};
use super::repo;
use crate::accounts::audit::{Actor, Target};
use crate::error::AppError;
use crate::server::db::{Db, now_ms};
use chrono::NaiveDate;
use sqlx::AnyConnection;

/// Far enough around an instant for any business-day count the product makes (3 days forward,
/// 1 back) across the longest run of days off (春节: 9 days).
const SPAN_DAYS: i64 = 60;

/// The calendar around `at`, inside the caller's transaction.
pub async fn around(conn: &mut AnyConnection, at: i64) -> Result<Calendar, AppError> {
    let day = china_day(at);
    let from = (day - chrono::Duration::days(SPAN_DAYS)).to_string();
    let to = (day + chrono::Duration::days(SPAN_DAYS)).to_string();
    let rows = repo::between(conn, &from, &to).await?;
    Ok(Calendar::new(rows.into_iter().filter_map(|(d, k)| {
        NaiveDate::parse_from_str(&d, "%Y-%m-%d")
            .ok()
            .map(|d| (d, k))
    })))
}

/// One year's days, in order.
pub async fn year(db: &Db, year: i32) -> Result<Vec<Holiday>, AppError> {
    Ok(repo::year(&db.pool, &format!("{year}-01-01"), &format!("{year}-12-31")).await?)
}

/// Sets a day of the calendar (an operator's change, audited).
pub async fn set(db: &Db, op: &Actor, day: &NewHoliday) -> Result<(), AppError> {
    let now = now_ms();
    let text = day.day.to_string();
    let text = text.as_str();
    db.write(|tx| {
        Box::pin(async move {
            repo::upsert(&mut *tx, text, day.kind, &day.name, now, &op.name).await?;
            let detail = format!("{} {}", day.kind.code(), day.name);
            op.record(tx, "holiday.set", Target::Named(text), &detail, now)
                .await
        })
    })
    .await
}

/// Takes a day out of the calendar (it is an ordinary day again).
pub async fn remove(db: &Db, op: &Actor, day: &str) -> Result<(), AppError> {
    let day = parse_day(day).map_err(AppError::invalid)?.to_string();
    let day = day.as_str();
    let now = now_ms();
    db.write(|tx| {
        Box::pin(async move {
            if !repo::remove(&mut *tx, day).await? {
                return Err(AppError::NotFound);
            }
            op.record(tx, "holiday.remove", Target::Named(day), "", now)
                .await
        })
    })
    .await
}

/// Loads the built-in official calendar of `year` when that year has no day yet: what
/// `seed-demo` does for the current year. Returns how many days were loaded.
pub async fn load_official(db: &Db, op: &Actor, year: i32) -> Result<u64, AppError> {
    let Some(days) = official(year) else {
        return Ok(0);
    };
    let now = now_ms();
    db.write(|tx| {
        Box::pin(async move {
            let (from, to) = (format!("{year}-01-01"), format!("{year}-12-31"));
            if repo::count(&mut *tx, &from, &to).await? > 0 {
                return Ok(0);
            }
            for (day, kind, name) in days {
                repo::upsert(&mut *tx, day, *kind, name, now, &op.name).await?;
            }
            op.record(
                tx,
                "holiday.load",
                Target::Named(&year.to_string()),
                "",
                now,
            )
            .await?;
            Ok(days.len() as u64)
        })
    })
    .await
}
