//! Server functions of 机会点共享.

use super::model::Opportunity;
use crate::domain::Page;
#[cfg(feature = "ssr")]
use crate::domain::{PageRequest, Role};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::ctx;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "pce/list")]
pub async fn list(direction: String, page: Option<u32>) -> Result<Page<Opportunity>, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::list(&cx, &direction, PageRequest::new(page, None)).await
}

/// Registers a PO. `consent` is the checkbox "客户已同意共享" (present = "on").
#[server(prefix = "/api", endpoint = "pce/register")]
pub async fn register(
    customer: String,
    product: String,
    amount: String,
    stage: String,
    #[server(default)] consent: Option<String>,
) -> Result<i64, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let consent = consent.is_some_and(|c| matches!(c.as_str(), "on" | "true" | "1"));
    let input = super::model::NewOpportunity::parse(&customer, &product, &amount, &stage, consent)
        .map_err(AppError::invalid)?;
    let id = super::service::register_po(&cx, &input).await?;
    leptos_axum::redirect("/center/sales/opportunities?registered=1");
    Ok(id)
}

/// Accepts (`accept` = "true") or rejects an HO; rejecting needs a reason.
#[server(prefix = "/api", endpoint = "pce/answer")]
pub async fn answer(
    id: i64,
    accept: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let accept = ctx::choice(&accept, "true", "false")?;
    let reason = if accept {
        None
    } else {
        Some(crate::plans::model::Reason::parse(&reason).map_err(AppError::invalid)?)
    };
    super::service::answer_ho(&cx, id, accept, reason.as_ref()).await?;
    ctx::redirect("/center/sales/opportunities?tab=ho")
}

/// Moves an opportunity to another stage (丢单 with its reason).
#[server(prefix = "/api", endpoint = "pce/stage")]
pub async fn set_stage(
    id: i64,
    stage: String,
    #[server(default)] lost_reason: String,
) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let stage =
        super::model::Stage::parse(&stage).ok_or_else(|| AppError::invalid("error.pce.stage"))?;
    let lost = crate::domain::optional(
        &lost_reason,
        super::model::LostReason::parse,
        AppError::invalid("error.pce.lost_reason"),
    )?;
    super::service::set_stage(&cx, id, stage, lost).await?;
    ctx::redirect("/center/sales/opportunities")
}

/// Operator: Huawei Cloud shares an HO with a PCE partner.
#[server(prefix = "/api", endpoint = "operator/share-ho")]
pub async fn share_ho(
    partner: i64,
    customer: String,
    product: String,
    amount: String,
    #[server(default)] back: Option<String>,
) -> Result<i64, AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    let input =
        super::model::NewOpportunity::parse(&customer, &product, &amount, "discovery", true)
            .map_err(AppError::invalid)?;
    let id = super::service::share_ho(&cx.db, &cx.actor, partner, &input, None).await?;
    // Back to the partner's page when the form was there, else to 机会点.
    let page =
        crate::console::model::partner_page(back.as_deref()).unwrap_or("/operator/opportunities");
    leptos_axum::redirect(&format!("{page}?shared=1"));
    Ok(id)
}

/// 机会点 (operator): every partner's POs and HOs, by direction, HO state and name.
#[server(prefix = "/api", endpoint = "operator/opportunities")]
pub async fn operator_opportunities(
    direction: Option<String>,
    state: Option<String>,
    q: Option<String>,
    page: Option<u32>,
) -> Result<Page<super::model::OperatorOpportunity>, AppError> {
    let (db, _) = ctx::caller(Role::Operator).await?;
    super::service::operator_list(&db, direction, state, q, PageRequest::new(page, None)).await
}
