//! Server functions of account self-service: thin wrappers over `service`.

use super::model::{IssuedPassword, Profile};
#[cfg(feature = "ssr")]
use crate::domain::{Email, NewPassword, PasswordAttempt, Role};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::ctx;
use leptos::prelude::*;

/// An optional contact field: empty is none, anything else must parse.
#[cfg(feature = "ssr")]
fn optional<T>(
    raw: Option<String>,
    parse: fn(&str) -> Result<T, &'static str>,
) -> Result<Option<T>, AppError> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => parse(s).map(Some).map_err(AppError::invalid),
    }
}

/// The signed-in user's profile.
#[server(prefix = "/api", endpoint = "account/profile")]
pub async fn my_profile() -> Result<Profile, AppError> {
    let (db, user) = ctx::signed_in().await?;
    super::service::profile(&db, &user).await
}

/// Saves one's contact email and mobile; a partner user also its partner's (`partner_email`,
/// `partner_phone`).
#[server(prefix = "/api", endpoint = "account/contact")]
pub async fn save_contact(
    email: Option<String>,
    phone: Option<String>,
    partner_email: Option<String>,
    partner_phone: Option<String>,
) -> Result<(), AppError> {
    use crate::onboarding::model::Mobile;
    let cx = ctx::acting(&[
        Role::Partner,
        Role::Customer,
        Role::Operator,
        Role::Personal,
    ])
    .await?;
    let mine = super::service::Contact {
        email: optional(email, Email::parse)?,
        phone: optional(phone, Mobile::parse)?,
    };
    // The company's contacts are the administrators' to change; other members keep their own.
    let partner = if cx.user.works_in(crate::members::model::Area::Company) {
        Some(super::service::Contact {
            email: optional(partner_email, Email::parse)?,
            phone: optional(partner_phone, Mobile::parse)?,
        })
    } else {
        None
    };
    super::service::set_contact(&cx, &mine, partner.as_ref()).await?;
    ctx::redirect("/account?saved=1")
}

/// Changes one's password (the current one required); the other sessions end, this one stays.
/// The one thing a user whose password an operator set may do.
#[server(prefix = "/api", endpoint = "account/password")]
pub async fn change_password(
    current: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::server::session::EPOCH_KEY;
    let user = ctx::signed_in_any().await?;
    let current = PasswordAttempt::parse(&current).map_err(AppError::invalid)?;
    let new = NewPassword::confirmed(&password, &confirm).map_err(AppError::invalid)?;
    let cx = crate::accounts::audit::Caller::new(ctx::state()?.db, user, &ctx::origin().await);
    let epoch = super::service::change_password(&cx, &current, &new).await?;
    let session = ctx::session().await?;
    session.cycle_id().await?;
    session.insert(EPOCH_KEY, epoch).await?;
    ctx::redirect(&format!("{}?changed=1", super::model::PASSWORD_PATH))
}

/// Asks for a password-reset link by email. The answer does not say whether the account exists.
#[server(prefix = "/api", endpoint = "account/forgot")]
pub async fn forgot_password(account: String) -> Result<(), AppError> {
    let state = ctx::state()?;
    let origin = ctx::origin().await;
    super::service::forgot(&state.db, &origin, &account, &state.config.public_url).await?;
    ctx::redirect("/login/forgot?sent=1")
}

/// Whether a reset link still works (unknown, used, replaced or expired links are refused).
#[server(prefix = "/api", endpoint = "account/reset-check")]
pub async fn check_reset_link(token: String) -> Result<(), AppError> {
    let token = crate::accounts::links::token(&token)?;
    super::service::check_reset(&ctx::state()?.db, token).await
}

/// Sets a new password with a reset link; every session of the account ends.
#[server(prefix = "/api", endpoint = "account/reset")]
pub async fn reset_password(
    token: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    let token = crate::accounts::links::token(&token)?;
    let new = NewPassword::confirmed(&password, &confirm).map_err(AppError::invalid)?;
    let state = ctx::state()?;
    super::service::reset(&state.db, &ctx::origin().await, token, &new).await?;
    ctx::redirect("/login?reset=1")
}

/// Operator (账号管理): sets a generated password on an account (shown once), to be changed at
/// its next sign-in.
#[server(prefix = "/api", endpoint = "console/reset-password")]
pub async fn operator_reset_password(user: i64) -> Result<IssuedPassword, AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    super::service::reset_by_operator(&cx, user).await
}
