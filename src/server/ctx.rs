//! What a server function needs from the request it runs in: the state, the session, the
//! caller and where the call came from.

use super::state::AppState;
use crate::accounts::model::SessionUser;
use crate::domain::Role;
use crate::error::AppError;
use leptos::prelude::*;
use tower_sessions::Session;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from server function context");
        AppError::Internal
    })
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = %e, "session layer missing");
        AppError::Internal
    })
}

/// The client's address (used for rate limits and the audit trail): the connection's, or the
/// one a trusted proxy forwarded (see `security::client_context`).
pub async fn client_ip() -> String {
    use super::security::ClientContext;
    match leptos_axum::extract::<axum::Extension<ClientContext>>().await {
        Ok(axum::Extension(c)) => c.ip.to_string(),
        Err(_) => "unknown".to_string(),
    }
}

/// The language of this request (its language cookie).
pub async fn lang() -> crate::i18n::Lang {
    leptos_axum::extract::<axum::http::HeaderMap>()
        .await
        .ok()
        .and_then(|h| {
            h.get(axum::http::header::COOKIE)
                .and_then(|c| c.to_str().ok())
                .map(crate::i18n::Lang::from_cookie_header)
        })
        .unwrap_or_default()
}

/// Where this server-function call came from: the web console, at the client's address.
pub async fn origin() -> crate::accounts::audit::Origin {
    crate::accounts::audit::Origin::web(&client_ip().await)
}

/// The signed-in user, if any. During server rendering the `load_user` middleware has already
/// read it for this request; only server-function calls over HTTP read it here.
///
/// A partner member is refused (403) outside the areas of its role: the request's path (the
/// server function's, or the page's while it renders) names the area.
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    let parts = use_context::<axum::http::request::Parts>();
    let loaded = parts.as_ref().and_then(|p| {
        p.extensions
            .get::<crate::accounts::model::CurrentUser>()
            .cloned()
    });
    let user = match loaded {
        Some(loaded) => loaded.0,
        None => super::session::user_of(&state()?.db, &session().await?).await?,
    };
    if let (Some(u), Some(p)) = (&user, &parts)
        && !u.may_open(p.uri.path())
    {
        return Err(AppError::Forbidden);
    }
    Ok(user)
}

/// The signed-in user, who must have the given role.
pub async fn require(role: Role) -> Result<SessionUser, AppError> {
    require_any(&[role]).await
}

/// The signed-in user, who must have one of the given roles (an order's parties: its customer
/// and their partner).
pub async fn require_any(roles: &[Role]) -> Result<SessionUser, AppError> {
    let user = signed_in_user().await?;
    if !roles.contains(&user.role) {
        return Err(AppError::Forbidden);
    }
    Ok(user)
}

/// The signed-in user, who has chosen its own password: one whose password an operator set may
/// only change it (and sign out) until then.
async fn signed_in_user() -> Result<SessionUser, AppError> {
    let user = current_user().await?.ok_or(AppError::Unauthenticated)?;
    if user.must_change_password {
        return Err(AppError::conflict("error.password.must_change"));
    }
    Ok(user)
}

/// The signed-in user even if it must still change its password (changing it, reading who
/// one is).
pub async fn signed_in_any() -> Result<SessionUser, AppError> {
    current_user().await?.ok_or(AppError::Unauthenticated)
}

/// What most server functions start with: the database, and the signed-in user, who must have
/// the given role.
pub async fn caller(role: Role) -> Result<(super::db::Db, SessionUser), AppError> {
    caller_any(&[role]).await
}

/// The database, and the signed-in user, who must have one of the given roles.
pub async fn caller_any(roles: &[Role]) -> Result<(super::db::Db, SessionUser), AppError> {
    let user = require_any(roles).await?;
    Ok((state()?.db, user))
}

/// A server function that changes something: the database, the signed-in user (who must have
/// one of `roles`) and the client's address, for the service and its audit entry.
pub async fn acting(roles: &[Role]) -> Result<crate::accounts::audit::Caller, AppError> {
    let (db, user) = caller_any(roles).await?;
    let origin = origin().await;
    Ok(crate::accounts::audit::Caller::new(db, user, &origin))
}

/// The database, and the signed-in user whatever its role.
pub async fn signed_in() -> Result<(super::db::Db, SessionUser), AppError> {
    let user = signed_in_user().await?;
    Ok((state()?.db, user))
}

/// A form's two-way choice: `yes` is `true`, `no` is `false`, anything else a bad request.
pub fn choice(raw: &str, yes: &str, no: &str) -> Result<bool, AppError> {
    match raw {
        r if r == yes => Ok(true),
        r if r == no => Ok(false),
        _ => Err(AppError::BadRequest),
    }
}

/// A change done: the browser goes on to `to` (a plain form post follows the redirect; an
/// action called after hydration navigates there).
pub fn redirect(to: &str) -> Result<(), AppError> {
    leptos_axum::redirect(to);
    Ok(())
}
