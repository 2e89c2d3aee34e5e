//! Server functions of HCPN onboarding: thin wrappers over `service`.
// The form's fields are the functions' arguments (what `ActionForm` posts): more than seven.
#![allow(clippy::too_many_arguments)]

use super::model::{AppState, Application, DistributorChoice};
#[cfg(feature = "ssr")]
use super::model::{Enterprise, EnterpriseInput};
use crate::domain::Page;
#[cfg(feature = "ssr")]
use crate::domain::{AccountName, NewPassword, PageRequest, Reason, Role};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::ctx;
use leptos::prelude::*;

/// The onboarded distributors a cloud reseller may apply under (public: the registration form
/// offers them).
#[server(prefix = "/api", endpoint = "onboarding/distributors")]
pub async fn distributor_choices() -> Result<Vec<DistributorChoice>, AppError> {
    super::service::distributors(&ctx::state()?.db).await
}

#[cfg(feature = "ssr")]
fn enterprise(
    company: String,
    uscc: String,
    address: String,
    contact_name: String,
    contact_email: String,
    contact_phone: String,
    kind: String,
    parent: Option<String>,
) -> Result<Enterprise, AppError> {
    Enterprise::parse(&EnterpriseInput {
        company,
        uscc,
        address,
        contact_name,
        contact_email,
        contact_phone,
        kind,
        parent: parent.unwrap_or_default(),
    })
    .map_err(AppError::invalid)
}

/// 成为合作伙伴: registers the company's administrator account and its enterprise information,
/// mails the link that confirms the contact email, and signs the new user in.
#[server(prefix = "/api", endpoint = "onboarding/register")]
pub async fn register_partner(
    login: String,
    password: String,
    company: String,
    uscc: String,
    address: String,
    contact_name: String,
    contact_email: String,
    contact_phone: String,
    kind: String,
    parent: Option<String>,
) -> Result<(), AppError> {
    use crate::server::session::USER_ID_KEY;
    let login = AccountName::parse(&login).map_err(AppError::invalid)?;
    let password = NewPassword::parse(&password).map_err(AppError::invalid)?;
    let enterprise = enterprise(
        company,
        uscc,
        address,
        contact_name,
        contact_email,
        contact_phone,
        kind,
        parent,
    )?;
    let state = ctx::state()?;
    let registration = super::service::Registration {
        login,
        password,
        enterprise,
        lang: ctx::lang().await,
    };
    let links = super::service::Links {
        base_url: &state.config.public_url,
    };
    let origin = ctx::origin().await;
    let user = super::service::register(&state.db, &origin, registration, &links).await?;
    let session = ctx::session().await?;
    session.cycle_id().await?;
    session.insert(USER_ID_KEY, user).await?;
    ctx::redirect("/center")
}

/// The signed-in partner's application (none for a partner created before onboarding was
/// online, which submits its information first).
#[server(prefix = "/api", endpoint = "onboarding/mine")]
pub async fn my_application() -> Result<Option<Application>, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::mine(&cx).await
}

/// Submits the enterprise information (again): 提交 / 修改并重新提交.
#[server(prefix = "/api", endpoint = "onboarding/submit")]
pub async fn submit_enterprise(
    company: String,
    uscc: String,
    address: String,
    contact_name: String,
    contact_email: String,
    contact_phone: String,
    kind: String,
    parent: Option<String>,
) -> Result<AppState, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let e = enterprise(
        company,
        uscc,
        address,
        contact_name,
        contact_email,
        contact_phone,
        kind,
        parent,
    )?;
    let state = ctx::state()?;
    let links = super::service::Links {
        base_url: &state.config.public_url,
    };
    super::service::submit(&cx, &e, ctx::lang().await, &links).await
}

/// Mails the confirmation link again.
#[server(prefix = "/api", endpoint = "onboarding/resend")]
pub async fn resend_confirmation() -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let state = ctx::state()?;
    let links = super::service::Links {
        base_url: &state.config.public_url,
    };
    super::service::resend(&cx, ctx::lang().await, &links).await
}

/// Confirms a contact email with the mailed link's token (no sign-in needed).
#[server(prefix = "/api", endpoint = "onboarding/confirm")]
pub async fn confirm_email(token: String) -> Result<(), AppError> {
    if token.len() > 128 {
        return Err(AppError::invalid("error.link.unknown"));
    }
    let state = ctx::state()?;
    super::service::confirm(&state.db, &ctx::origin().await, &token).await
}

/// The operator's queue (入驻审核): applications in `state` (default 待审核), searched by
/// company name or credit code.
#[server(prefix = "/api", endpoint = "onboarding/queue")]
pub async fn onboarding_queue(
    state: Option<String>,
    q: Option<String>,
    page: Option<u32>,
) -> Result<Page<Application>, AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    let state = match state.as_deref().map(str::trim) {
        None | Some("") => AppState::Pending,
        Some(s) => AppState::parse(s).ok_or_else(|| AppError::invalid("error.onboarding.state"))?,
    };
    let q = q
        .map(|s| s.trim().chars().take(64).collect::<String>())
        .filter(|s| !s.is_empty());
    super::service::queue(&cx.db, state, q, PageRequest::new(page, None)).await
}

/// Approves an application: the partner is onboarded.
#[server(prefix = "/api", endpoint = "onboarding/approve")]
pub async fn approve_onboarding(partner_id: i64) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    super::service::approve(&cx, partner_id).await
}

/// Rejects an application with a reason (required).
#[server(prefix = "/api", endpoint = "onboarding/reject")]
pub async fn reject_onboarding(partner_id: i64, reason: String) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    let reason = Reason::parse(&reason).map_err(AppError::invalid)?;
    super::service::reject(&cx, partner_id, &reason).await
}
