//! Server functions of the message center. Any signed-in user reads its own messages.

use super::model::Message;
use crate::domain::Page;
#[cfg(feature = "ssr")]
use crate::domain::PageRequest;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::ctx;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "messages/list")]
pub async fn list_messages(
    filter: String,
    group: String,
    page: Option<u32>,
    /// Text the message holds (a name, a number) or its title's words, in either language.
    #[server(default)]
    q: String,
    #[server(default)] size: Option<u32>,
) -> Result<Page<Message>, AppError> {
    let (db, user) = ctx::signed_in().await?;
    let group = super::model::Group::parse(&group).map_err(AppError::invalid)?;
    super::service::list(
        &db,
        user.id,
        super::model::Filter::parse(&filter),
        group,
        &q,
        PageRequest::new(page, size),
    )
    .await
}

#[server(prefix = "/api", endpoint = "messages/unread")]
pub async fn unread_count() -> Result<i64, AppError> {
    let (db, user) = ctx::signed_in().await?;
    super::service::unread(&db, user.id).await
}

/// Marks a message read and, for a plain form post, goes back to the list.
#[server(prefix = "/api", endpoint = "messages/read")]
pub async fn mark_read(id: i64) -> Result<(), AppError> {
    let (db, user) = ctx::signed_in().await?;
    super::service::mark_read(&db, user.id, id).await?;
    ctx::redirect("/messages")
}

#[server(prefix = "/api", endpoint = "messages/read-all")]
pub async fn mark_all_read() -> Result<u64, AppError> {
    let (db, user) = ctx::signed_in().await?;
    let n = super::service::mark_all_read(&db, user.id).await?;
    leptos_axum::redirect("/messages");
    Ok(n)
}

/// Who receives notices, so chooses how: everyone but operators.
#[cfg(feature = "ssr")]
const READERS: [crate::domain::Role; 3] = [
    crate::domain::Role::Partner,
    crate::domain::Role::Customer,
    crate::domain::Role::Personal,
];

/// The signed-in user's channel choices per category of notice (email and SMS reach a partner's
/// contact address and number, anyone else's own ones).
#[server(prefix = "/api", endpoint = "messages/prefs")]
pub async fn notification_prefs() -> Result<Vec<super::model::Pref>, AppError> {
    let (db, user) = ctx::caller_any(&READERS).await?;
    super::service::prefs(&db, user.id).await
}

/// Sets one category's channels: a checked box sends `on`, an unchecked one nothing.
#[server(prefix = "/api", endpoint = "messages/prefs-set")]
pub async fn set_notification_pref(
    category: String,
    #[server(default)] email: Option<String>,
    #[server(default)] sms: Option<String>,
) -> Result<Vec<super::model::Pref>, AppError> {
    let cx = ctx::acting(&READERS).await?;
    let category = super::model::Group::parse(&category)
        .map_err(AppError::invalid)?
        .ok_or_else(|| AppError::invalid("error.messages.group"))?;
    let pref = super::model::Pref {
        category,
        email: email.is_some(),
        sms: sms.is_some(),
    };
    super::service::set_pref(&cx, pref).await
}
