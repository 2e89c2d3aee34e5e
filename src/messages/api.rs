//! Server functions of the message center. Any signed-in user reads its own messages.

use super::model::Message;
use crate::domain::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "messages/list")]
pub async fn list_messages(
    filter: String,
    group: String,
    page: Option<u32>,
) -> Result<Page<Message>, AppError> {
    use crate::domain::PageRequest;
    use crate::server::ctx;
    let user = ctx::current_user()
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let group = super::model::Group::parse(&group).map_err(AppError::invalid)?;
    super::service::list(
        &ctx::state()?.db,
        user.id,
        super::model::Filter::parse(&filter),
        group,
        PageRequest::new(page, None),
    )
    .await
}

#[server(prefix = "/api", endpoint = "messages/unread")]
pub async fn unread_count() -> Result<i64, AppError> {
    use crate::server::ctx;
    let user = ctx::current_user()
        .await?
        .ok_or(AppError::Unauthenticated)?;
    super::service::unread(&ctx::state()?.db, user.id).await
}

/// Marks a message read and, for a plain form post, goes back to the list.
#[server(prefix = "/api", endpoint = "messages/read")]
pub async fn mark_read(id: i64) -> Result<(), AppError> {
    use crate::server::ctx;
    let user = ctx::current_user()
        .await?
        .ok_or(AppError::Unauthenticated)?;
    super::service::mark_read(&ctx::state()?.db, user.id, id).await?;
    leptos_axum::redirect("/messages");
    Ok(())
}

#[server(prefix = "/api", endpoint = "messages/read-all")]
pub async fn mark_all_read() -> Result<u64, AppError> {
    use crate::server::ctx;
    let user = ctx::current_user()
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let n = super::service::mark_all_read(&ctx::state()?.db, user.id).await?;
    leptos_axum::redirect("/messages");
    Ok(n)
}
