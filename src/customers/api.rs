//! Server functions of customer association: the partner's invitations and disassociation
//! requests, the customer's acceptance, answer, partner page and contract application.

use super::model::{ContractApplication, Invitation, InvitationView, MyPartner};
use crate::domain::Page;
#[cfg(feature = "ssr")]
use crate::domain::{PageRequest, Role};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::ctx;
use leptos::prelude::*;

/// Invites a customer: `channel` is `email` (7 days, single use) or `offline` (30 days, several customers).
#[server(prefix = "/api", endpoint = "customers/invite")]
pub async fn create_invitation(
    channel: String,
    #[server(default)] email: String,
    #[server(default)] label: String,
    mode: String,
) -> Result<Invitation, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let input = super::model::NewInvitation::parse(&channel, &email, &label, &mode)
        .map_err(AppError::invalid)?;
    let public_url = ctx::state()?.config.public_url.clone();
    let inv = super::service::invite(&cx, &public_url, &input).await?;
    leptos_axum::redirect(&format!(
        "/center/sales/customers/invite?created={}",
        inv.id
    ));
    Ok(inv)
}

#[server(prefix = "/api", endpoint = "customers/invitations")]
pub async fn list_invitations(page: Option<u32>) -> Result<Page<Invitation>, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::invitations(
        &cx,
        &ctx::state()?.config.public_url,
        PageRequest::new(page, None),
    )
    .await
}

#[server(prefix = "/api", endpoint = "customers/invitation-cancel")]
pub async fn cancel_invitation(id: i64) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::cancel_invitation(&cx, id).await?;
    ctx::redirect("/center/sales/customers/invite")
}

#[server(prefix = "/api", endpoint = "customers/invitation")]
pub async fn open_invitation(token: String) -> Result<InvitationView, AppError> {
    let cx = ctx::acting(&[Role::Customer]).await?;
    super::service::open_invitation(&cx, &token).await
}

#[server(prefix = "/api", endpoint = "customers/accept")]
pub async fn accept_invitation(token: String) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Customer]).await?;
    super::service::accept(&cx, &token).await?;
    ctx::redirect("/customer?accepted=1")
}

/// The partner asks (`action` = `request`) or stops asking (`cancel`) to disassociate.
#[server(prefix = "/api", endpoint = "customers/unbind")]
pub async fn unbind_customer(customer: i64, action: String) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    match action.as_str() {
        "request" => super::service::request_unbind(&cx, customer).await?,
        "cancel" => super::service::cancel_unbind(&cx, customer).await?,
        _ => return Err(AppError::BadRequest),
    }
    ctx::redirect(&format!("/center/sales/customers?unbind={action}"))
}

/// The customer confirms (`answer` = `confirm`) or declines (`decline`) the disassociation.
#[server(prefix = "/api", endpoint = "customers/unbind-answer")]
pub async fn answer_unbind(answer: String) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Customer]).await?;
    let confirm = ctx::choice(&answer, "confirm", "decline")?;
    let outcome = super::service::answer_unbind(&cx, confirm).await?;
    match outcome {
        Some(o) => leptos_axum::redirect(&format!(
            "/customer?unbound=1&returned={}&coupons={}",
            o.returned, o.coupons_reclaimed
        )),
        None => leptos_axum::redirect("/customer?declined=1"),
    }
    Ok(())
}

#[server(prefix = "/api", endpoint = "customers/my-partner")]
pub async fn get_my_partner() -> Result<Option<MyPartner>, AppError> {
    let cx = ctx::acting(&[Role::Customer]).await?;
    super::service::my_partner(&cx).await
}

#[server(prefix = "/api", endpoint = "customers/contract")]
pub async fn apply_contract() -> Result<i64, AppError> {
    let cx = ctx::acting(&[Role::Customer]).await?;
    let id = super::service::apply_contract(&cx).await?;
    leptos_axum::redirect("/customer?contract=1");
    Ok(id)
}

/// 合同申请: the operator's queue of contract applications in `state` (default 审核中), searched
/// by customer or partner name.
#[server(prefix = "/api", endpoint = "contracts/queue")]
pub async fn contract_queue(
    state: Option<String>,
    q: Option<String>,
    page: Option<u32>,
) -> Result<Page<ContractApplication>, AppError> {
    use super::model::ContractState;
    let (db, _) = ctx::caller(Role::Operator).await?;
    let state = match state.as_deref().map(str::trim) {
        None | Some("") => ContractState::Submitted,
        Some(s) => ContractState::parse(s).ok_or(AppError::BadRequest)?,
    };
    let q = q
        .map(|s| s.trim().chars().take(64).collect::<String>())
        .filter(|s| !s.is_empty());
    super::service::contract_queue(&db, state, q, PageRequest::new(page, None)).await
}

/// Approves a contract application; the customer and its partner are told.
#[server(prefix = "/api", endpoint = "contracts/approve")]
pub async fn approve_contract(id: i64) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    super::service::decide_contract(&cx, id, None).await
}

/// Rejects a contract application with the reason (required); the customer may apply again.
#[server(prefix = "/api", endpoint = "contracts/reject")]
pub async fn reject_contract(id: i64, reason: String) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    let reason = crate::domain::Reason::parse(&reason).map_err(AppError::invalid)?;
    super::service::decide_contract(&cx, id, Some(&reason)).await
}

/// 客户管理 (operator): every customer, searched by name, sign-in or id, by partner name and
/// mode (`resale`, `consulting`, `none`).
#[server(prefix = "/api", endpoint = "operator/customers")]
pub async fn operator_customers(
    q: Option<String>,
    partner: Option<String>,
    mode: Option<String>,
    page: Option<u32>,
) -> Result<Page<super::model::CustomerListItem>, AppError> {
    let (db, _) = ctx::caller(Role::Operator).await?;
    super::service::operator_list(&db, q, partner, mode, PageRequest::new(page, None)).await
}
