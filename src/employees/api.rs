//! Server functions of 项目专员 (partner side) and of the person's invitations.

use super::model::{Invitation, Member};
use crate::domain::Page;
use crate::error::AppError;
use leptos::prelude::*;

/// 邀请成员 by account name.
#[server(prefix = "/api", endpoint = "employees/invite")]
pub async fn invite(login: String) -> Result<i64, AppError> {
    use crate::domain::{AccountName, Role};
    use crate::server::ctx;
    let user = ctx::require(Role::Partner).await?;
    let login = AccountName::parse(&login).map_err(AppError::invalid)?;
    let origin = ctx::origin().await;
    let id = super::service::invite(&ctx::state()?.db, &user, &origin, &login).await?;
    leptos_axum::redirect("/center/org?invited=1");
    Ok(id)
}

#[server(prefix = "/api", endpoint = "employees/list")]
pub async fn members(page: Option<u32>) -> Result<Page<Member>, AppError> {
    use crate::domain::{PageRequest, Role};
    use crate::server::ctx;
    let user = ctx::require(Role::Partner).await?;
    super::service::members(&ctx::state()?.db, &user, PageRequest::new(page, None)).await
}

/// Withdraws a pending invitation.
#[server(prefix = "/api", endpoint = "employees/cancel")]
pub async fn cancel(id: i64) -> Result<(), AppError> {
    use crate::domain::Role;
    use crate::server::ctx;
    let user = ctx::require(Role::Partner).await?;
    let origin = ctx::origin().await;
    super::service::end(&ctx::state()?.db, &user, &origin, id, false).await?;
    leptos_axum::redirect("/center/org");
    Ok(())
}

/// 取消绑定: ends an active membership.
#[server(prefix = "/api", endpoint = "employees/unbind")]
pub async fn unbind(id: i64) -> Result<(), AppError> {
    use crate::domain::Role;
    use crate::server::ctx;
    let user = ctx::require(Role::Partner).await?;
    let origin = ctx::origin().await;
    super::service::end(&ctx::state()?.db, &user, &origin, id, true).await?;
    leptos_axum::redirect("/center/org");
    Ok(())
}

/// The signed-in person's invitations and associations.
#[server(prefix = "/api", endpoint = "employees/mine")]
pub async fn my_invitations() -> Result<Vec<Invitation>, AppError> {
    use crate::domain::Role;
    use crate::server::ctx;
    let user = ctx::require(Role::Personal).await?;
    super::service::my_invitations(&ctx::state()?.db, &user).await
}

/// The signed-in person's service-partner exam panel (`None` when it works for no partner).
#[server(prefix = "/api", endpoint = "employees/exam")]
pub async fn my_exam() -> Result<Option<super::model::MyExam>, AppError> {
    use crate::domain::Role;
    use crate::server::ctx;
    let user = ctx::require(Role::Personal).await?;
    super::service::my_exam(&ctx::state()?.db, &user).await
}

#[server(prefix = "/api", endpoint = "employees/accept")]
pub async fn accept(id: i64) -> Result<(), AppError> {
    use crate::domain::Role;
    use crate::server::ctx;
    let user = ctx::require(Role::Personal).await?;
    let origin = ctx::origin().await;
    super::service::respond(&ctx::state()?.db, &user, &origin, id, true).await?;
    leptos_axum::redirect("/personal?accepted=1");
    Ok(())
}

#[server(prefix = "/api", endpoint = "employees/decline")]
pub async fn decline(id: i64) -> Result<(), AppError> {
    use crate::domain::Role;
    use crate::server::ctx;
    let user = ctx::require(Role::Personal).await?;
    let origin = ctx::origin().await;
    super::service::respond(&ctx::state()?.db, &user, &origin, id, false).await?;
    leptos_axum::redirect("/personal");
    Ok(())
}
