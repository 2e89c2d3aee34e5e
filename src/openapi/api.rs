//! Server functions of the 访问密钥 page.

use super::model::{AccessKey, NewKey};
#[cfg(feature = "ssr")]
use crate::domain::Role;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::ctx;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "openapi/keys")]
pub async fn list_keys() -> Result<Vec<AccessKey>, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::keys(&cx).await
}

/// Creates a key; the answer carries the secret key, shown this once.
#[server(prefix = "/api", endpoint = "openapi/key-create")]
pub async fn create_key(#[server(default)] description: String) -> Result<NewKey, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let description = super::model::parse_description(&description).map_err(AppError::invalid)?;
    super::service::create_for(&cx, &description).await
}

/// `action`: `enable`, `disable` or `delete`.
#[server(prefix = "/api", endpoint = "openapi/key-change")]
pub async fn change_key(ak: String, action: String) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let state = match action.as_str() {
        "enable" => Some("active"),
        "disable" => Some("disabled"),
        "delete" => None,
        _ => return Err(AppError::BadRequest),
    };
    super::service::change_key(&cx, &ak, state).await?;
    ctx::redirect("/center/keys")
}

/// API Explorer: runs one operation of the open API as the signed-in partner user, through the
/// same handlers as signed calls (no key or signature in the browser), and shows both sides.
#[server(prefix = "/api", endpoint = "openapi/explore")]
pub async fn explore(
    operation: String,
    #[server(default)] query: String,
    #[server(default)] body: String,
    #[server(default)] client_token: String,
) -> Result<super::model::Exchange, AppError> {
    let user = ctx::require(Role::Partner).await?;
    let op = super::catalog::find(&operation).ok_or(AppError::BadRequest)?;
    super::handlers::explore(ctx::state()?, user, op, &query, body, client_token.trim()).await
}
