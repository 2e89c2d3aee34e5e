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

/// One message as its export writes it, in the reader's language.
#[cfg(feature = "ssr")]
pub struct MessageLine {
    id: i64,
    at: i64,
    kind: String,
    title: String,
    text: String,
    read: bool,
    link: String,
}

/// 消息 as CSV or XLSX, with the list's filters, in the reader's language (its language cookie).
#[cfg(feature = "ssr")]
pub async fn messages_export(
    export: crate::domain::export::ReaderExport,
    headers: axum::http::HeaderMap,
) -> Result<axum::response::Response, AppError> {
    use crate::domain::export::{Cell, Sheet, respond};
    let lang = headers
        .get(axum::http::header::COOKIE)
        .and_then(|c| c.to_str().ok())
        .map(crate::i18n::Lang::from_cookie_header)
        .unwrap_or_default();
    let filter = super::model::Filter::parse(export.get("filter"));
    let group = super::model::Group::parse(export.get("group")).map_err(AppError::invalid)?;
    let text = export.get("q").to_string();
    let sheet = Sheet {
        name: "messages",
        header: &["time", "kind", "title", "text", "read", "link"],
        row: |m: MessageLine| {
            vec![
                Cell::Time(m.at),
                m.kind.into(),
                m.title.into(),
                m.text.into(),
                if m.read { "yes" } else { "" }.into(),
                m.link.into(),
            ]
        },
        id: |m| m.id,
    };
    let (db, user) = (export.cx.db, export.cx.user.id);
    respond(export.format, sheet, move |page| {
        let (db, text) = (db.clone(), text.clone());
        async move {
            let p = super::service::list(&db, user, filter, group, &text, page).await?;
            let items = p
                .items
                .into_iter()
                .map(|m| MessageLine {
                    id: m.id,
                    at: m.created_at,
                    title: m.title(lang),
                    text: m.body(lang),
                    kind: m.kind,
                    read: m.read,
                    link: m.link.unwrap_or_default(),
                })
                .collect();
            Ok(Page {
                items,
                number: p.number,
                size: p.size,
                total: p.total,
            })
        }
    })
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
