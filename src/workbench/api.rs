//! Server functions of the workbench.

use super::model::Workbench;
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
