//! Server functions of 成员管理 (the partner's administrators) and of an invited member's link:
//! thin wrappers over `service`. Which member may call what is decided by the area of each
//! path (`model::area_of`): these are [`Area::Company`](super::model::Area::Company).

#[cfg(feature = "ssr")]
use super::model::MemberRole;
use super::model::{Invitation, Member};
#[cfg(feature = "ssr")]
use crate::domain::{AccountName, Email, NewPassword, Role};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::ctx;
use leptos::prelude::*;

/// The page members are managed on.
pub const MEMBERS_PATH: &str = "/center/members";

#[cfg(feature = "ssr")]
fn role(raw: &str) -> Result<MemberRole, AppError> {
    MemberRole::parse(raw.trim()).ok_or_else(|| AppError::invalid("error.members.role"))
}

/// The partner's members, the signed-in administrator among them.
#[server(prefix = "/api", endpoint = "members/list")]
pub async fn list_members() -> Result<Vec<Member>, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::list(&cx).await
}

/// 邀请成员: a sign-in name, the colleague's email and its role.
#[server(prefix = "/api", endpoint = "members/invite")]
pub async fn invite_member(login: String, email: String, role: String) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let login = AccountName::parse(&login).map_err(AppError::invalid)?;
    let email = Email::parse(&email).map_err(AppError::invalid)?;
    let role = self::role(&role)?;
    let base = ctx::state()?.config.public_url.clone();
    super::service::invite(&cx, &login, &email, role, &base).await?;
    ctx::redirect(&format!("{MEMBERS_PATH}?done=invited"))
}

/// Sends a pending member's invitation again (the old link ends).
#[server(prefix = "/api", endpoint = "members/resend")]
pub async fn resend_invitation(user: i64) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let base = ctx::state()?.config.public_url.clone();
    super::service::resend(&cx, user, &base).await?;
    ctx::redirect(&format!("{MEMBERS_PATH}?done=resent"))
}

/// 修改角色.
#[server(prefix = "/api", endpoint = "members/role")]
pub async fn change_member_role(user: i64, role: String) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::set_role(&cx, user, self::role(&role)?).await?;
    ctx::redirect(&format!("{MEMBERS_PATH}?done=role"))
}

/// 移除: the member is signed out and cannot sign in again.
#[server(prefix = "/api", endpoint = "members/remove")]
pub async fn remove_member(user: i64) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::remove(&cx, user).await?;
    ctx::redirect(&format!("{MEMBERS_PATH}?done=removed"))
}

/// What an invitation link offers (unknown, used, replaced or expired links are refused).
#[server(prefix = "/api", endpoint = "members/invitation")]
pub async fn member_invitation(token: String) -> Result<Invitation, AppError> {
    let token = crate::accounts::links::token(&token)?;
    super::service::invitation(&ctx::state()?.db, token).await
}

/// The invited member chooses its password and can then sign in.
#[server(prefix = "/api", endpoint = "members/join")]
pub async fn join_partner(
    token: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    let token = crate::accounts::links::token(&token)?;
    let new = NewPassword::confirmed(&password, &confirm).map_err(AppError::invalid)?;
    let state = ctx::state()?;
    super::service::join(&state.db, &ctx::origin().await, token, &new).await?;
    ctx::redirect("/login?joined=1")
}
