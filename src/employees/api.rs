//! Server functions of 项目专员 (partner side) and of the person's invitations.

use super::model::{Invitation, Member};
use crate::domain::Page;
#[cfg(feature = "ssr")]
use crate::domain::{AccountName, PageRequest, Role};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::ctx;
use leptos::prelude::*;

/// 邀请成员 by account name.
#[server(prefix = "/api", endpoint = "employees/invite")]
pub async fn invite(login: String) -> Result<i64, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let login = AccountName::parse(&login).map_err(AppError::invalid)?;
    let id = super::service::invite(&cx, &login).await?;
    leptos_axum::redirect("/center/org?invited=1");
    Ok(id)
}

#[server(prefix = "/api", endpoint = "employees/list")]
pub async fn members(page: Option<u32>) -> Result<Page<Member>, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::members(&cx, PageRequest::new(page, None)).await
}

/// Moves a link (the person answers; the partner cancels or unbinds), then shows `then`.
#[cfg(feature = "ssr")]
async fn change(id: i64, m: super::model::Move, then: &str) -> Result<(), AppError> {
    let role = if m.by_person() {
        Role::Personal
    } else {
        Role::Partner
    };
    let cx = ctx::acting(&[role]).await?;
    super::service::change(&cx, id, m).await?;
    ctx::redirect(then)
}

/// Withdraws a pending invitation.
#[server(prefix = "/api", endpoint = "employees/cancel")]
pub async fn cancel(id: i64) -> Result<(), AppError> {
    change(id, super::model::Move::Cancel, "/center/org").await
}

/// 取消绑定: ends an active membership.
#[server(prefix = "/api", endpoint = "employees/unbind")]
pub async fn unbind(id: i64) -> Result<(), AppError> {
    change(id, super::model::Move::Unbind, "/center/org").await
}

/// The signed-in person's invitations and associations.
#[server(prefix = "/api", endpoint = "employees/mine")]
pub async fn my_invitations() -> Result<Vec<Invitation>, AppError> {
    let cx = ctx::acting(&[Role::Personal]).await?;
    super::service::my_invitations(&cx).await
}

/// The signed-in person's service-partner exam panel (`None` when it works for no partner).
#[server(prefix = "/api", endpoint = "employees/exam")]
pub async fn my_exam() -> Result<Option<super::model::MyExam>, AppError> {
    let cx = ctx::acting(&[Role::Personal]).await?;
    super::service::my_exam(&cx).await
}

#[server(prefix = "/api", endpoint = "employees/accept")]
pub async fn accept(id: i64) -> Result<(), AppError> {
    change(id, super::model::Move::Accept, "/personal?accepted=1").await
}

#[server(prefix = "/api", endpoint = "employees/decline")]
pub async fn decline(id: i64) -> Result<(), AppError> {
    change(id, super::model::Move::Decline, "/personal").await
}
