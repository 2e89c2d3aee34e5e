//! Server functions of the accounts domain: thin wrappers over `service`.

use super::model::{PartnerListItem, SessionUser};
use crate::domain::Page;
#[cfg(feature = "ssr")]
use crate::domain::{AccountName, PageRequest, Role};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::ctx;
use leptos::prelude::*;

/// Signs in and renews the session id (so a session fixed before sign-in is worthless).
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(
    account: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{ctx, session::sign_in};
    let state = ctx::state()?;
    let origin = ctx::origin().await;
    let user = super::service::login(&state.db, &account, &password, &origin).await?;
    super::service::remember_lang(&state.db, user.id, ctx::lang().await).await?;
    sign_in(&ctx::session().await?, &user).await?;
    if user.must_change_password {
        return ctx::redirect(crate::profile::model::PASSWORD_PATH);
    }
    ctx::redirect(&super::model::safe_next(next.as_deref(), user.role))
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let state = ctx::state()?;
    if let Some(user) = ctx::current_user().await? {
        let origin = ctx::origin().await;
        super::service::record_logout(&state.db, &user, &origin).await?;
    }
    ctx::session().await?.flush().await?;
    ctx::redirect("/")
}

#[server(prefix = "/api", endpoint = "me")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    crate::server::ctx::current_user().await
}

/// The operator's list of partners (伙伴管理): searched by name or id, filtered by kind, HCPN
/// state and parent distributor.
#[server(prefix = "/api", endpoint = "operator/partners")]
pub async fn list_partners(
    q: Option<String>,
    kind: Option<String>,
    hcpn: Option<String>,
    parent: Option<String>,
    page: Option<u32>,
) -> Result<Page<PartnerListItem>, AppError> {
    use crate::domain::{HcpnState, PartnerKind};
    ctx::require(Role::Operator).await?;
    let state = ctx::state()?;
    let text = |s: Option<String>| {
        s.map(|s| s.trim().chars().take(64).collect::<String>())
            .filter(|s| !s.is_empty())
    };
    let (kind, hcpn) = (text(kind), text(hcpn));
    let filter = super::repo::PartnerFilter {
        search: text(q),
        kind: match kind {
            None => None,
            Some(k) => Some(
                PartnerKind::parse(&k).ok_or_else(|| AppError::invalid("error.partner.kind"))?,
            ),
        },
        hcpn: match hcpn {
            None => None,
            Some(h) => {
                Some(HcpnState::parse(&h).ok_or_else(|| AppError::invalid("error.partner.hcpn"))?)
            }
        },
        parent: text(parent),
    };
    super::service::list_partners(&state.db, &filter, PageRequest::new(page, None)).await
}

/// Operator: records (`verified` = "true") or withdraws a personal account's real-name
/// verification.
#[server(prefix = "/api", endpoint = "operator/real-name")]
pub async fn set_real_name(login: String, verified: String) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    let login = AccountName::parse(&login).map_err(AppError::invalid)?;
    let verified = ctx::choice(&verified, "true", "false")?;
    super::service::set_real_name(&cx.db, &login, verified, &cx.actor).await?;
    ctx::redirect("/operator?real_name=1")
}
