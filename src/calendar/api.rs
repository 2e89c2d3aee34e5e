//! Server functions of the operator's holiday calendar (节假日).

use super::model::Holiday;
#[cfg(feature = "ssr")]
use super::model::NewHoliday;
#[cfg(feature = "ssr")]
use crate::domain::Role;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::ctx;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One year of the calendar as the operator's page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HolidayYear {
    pub year: i32,
    pub days: Vec<Holiday>,
    /// The product knows this year's official calendar (it can be loaded in one step).
    pub official: bool,
}

/// The calendar of `year` (default: the current year, China time).
#[server(prefix = "/api", endpoint = "calendar/year")]
pub async fn holidays(year: Option<i32>) -> Result<HolidayYear, AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    let year = match year {
        Some(y) if (2000..=2100).contains(&y) => y,
        Some(_) => return Err(AppError::invalid("error.holiday.day")),
        None => chrono::Datelike::year(&super::model::china_day(crate::server::db::now_ms())),
    };
    Ok(HolidayYear {
        year,
        days: super::service::year(&cx.db, year).await?,
        official: super::model::official(year).is_some(),
    })
}

/// Sets a day: `YYYY-MM-DD`, `off` (放假) or `work` (调休上班), and its name.
#[server(prefix = "/api", endpoint = "calendar/set")]
pub async fn set_holiday(day: String, kind: String, name: String) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    let day = NewHoliday::parse(&day, &kind, &name).map_err(AppError::invalid)?;
    super::service::set(&cx.db, &cx.actor, &day).await
}

/// Takes a day out of the calendar.
#[server(prefix = "/api", endpoint = "calendar/remove")]
pub async fn remove_holiday(day: String) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    super::service::remove(&cx.db, &cx.actor, &day).await
}

/// Loads the product's built-in official calendar of `year` (only into an empty year).
#[server(prefix = "/api", endpoint = "calendar/load")]
pub async fn load_official_holidays(year: i32) -> Result<u64, AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    if super::model::official(year).is_none() {
        return Err(AppError::invalid("error.holiday.no_official"));
    }
    super::service::load_official(&cx.db, &cx.actor, year).await
}
