//! Server functions of the workbench.

use super::model::{ProgrammeBoard, SalesBoard, Workbench};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::ctx;
use leptos::prelude::*;

/// The signed-in partner member's to-dos and figures (those of its role's areas).
#[server(prefix = "/api", endpoint = "workbench/partner")]
pub async fn partner_workbench() -> Result<Workbench, AppError> {
    let cx = ctx::acting(&[crate::domain::Role::Partner]).await?;
    super::service::partner(&cx).await
}

/// The operator's queues, the programme's money and its partners by kind and state.
#[server(prefix = "/api", endpoint = "workbench/operator")]
pub async fn operator_workbench() -> Result<ProgrammeBoard, AppError> {
    let (db, _) = ctx::caller(crate::domain::Role::Operator).await?;
    super::service::operator(&db).await
}

/// The signed-in customer's orders waiting to be paid, expiring coupons, unread messages and
/// balance.
#[server(prefix = "/api", endpoint = "workbench/customer")]
pub async fn customer_workbench() -> Result<Workbench, AppError> {
    let cx = ctx::acting(&[crate::domain::Role::Customer]).await?;
    super::service::customer(&cx).await
}

/// 销售 overview: the signed-in member's figures and the charts of its role's areas.
#[server(prefix = "/api", endpoint = "workbench/sales")]
pub async fn sales_overview() -> Result<SalesBoard, AppError> {
    let cx = ctx::acting(&[crate::domain::Role::Partner]).await?;
    super::service::sales(&cx).await
}
