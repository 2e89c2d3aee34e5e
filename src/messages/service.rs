//! Sending and reading messages.

use super::model::{Filter, Group, Message, Pref};
use super::repo;
use crate::accounts::audit::{Caller, Target};
use crate::domain::{Page, PageRequest};
use crate::error::AppError;
use crate::server::db::{Db, now_ms};
use sqlx::AnyConnection;
use std::collections::BTreeMap;

/// Who a message goes to: one user, or every account of a partner or of a customer.
#[derive(Debug, Clone, Copy)]
pub enum To {
    User(i64),
    Partner(i64),
    Customer(i64),
}

/// Sends a message, inside the caller's transaction.
pub async fn send(
    conn: &mut AnyConnection,
    to: To,
    kind: &str,
    params: &BTreeMap<String, String>,
    link: Option<&str>,
    now: i64,
) -> Result<(), AppError> {
    debug_assert!(
        super::model::KINDS.contains(&kind),
        "unknown message kind {kind}"
    );
    let params = serde_json::to_string(params).map_err(|e| {
        tracing::error!(error = %e, "message params");
        AppError::Internal
    })?;
    let users = match to {
        To::User(user) => vec![user],
        To::Partner(partner) => repo::partner_users(&mut *conn, partner).await?,
        To::Customer(customer) => repo::customer_users(&mut *conn, customer).await?,
    };
    for user in users {
        repo::insert(&mut *conn, user, kind, &params, link, now).await?;
    }
    Ok(())
}

/// A user's channel choices for every category that has email and SMS (both on where it chose
/// nothing).
pub async fn prefs(db: &Db, user: i64) -> Result<Vec<Pref>, AppError> {
    let chosen = repo::prefs(&db.pool, user).await?;
    Ok(super::model::DELIVERED
        .into_iter()
        .map(|category| {
            let row = chosen.iter().find(|(c, _, _)| c == category.code());
            Pref {
                category,
                email: row.is_none_or(|r| r.1 != 0),
                sms: row.is_none_or(|r| r.2 != 0),
            }
        })
        .collect())
}

/// Sets the signed-in user's channels for one category, audited.
pub async fn set_pref(cx: &Caller, pref: Pref) -> Result<Vec<Pref>, AppError> {
    if !super::model::DELIVERED.contains(&pref.category) {
        return Err(AppError::invalid("error.messages.not_delivered"));
    }
    let user = cx.user.id;
    cx.db
        .write(|tx| {
            Box::pin(async move {
                let code = pref.category.code();
                repo::set_pref(
                    &mut *tx,
                    user,
                    code,
                    i64::from(pref.email),
                    i64::from(pref.sms),
                )
                .await?;
                let detail = format!("{code} email={} sms={}", pref.email, pref.sms);
                cx.actor
                    .record(tx, "messages.prefs", Target::User(user), &detail, now_ms())
                    .await
            })
        })
        .await?;
    prefs(&cx.db, user).await
}

/// Whether a partner wants `category`'s notices by email and by SMS (its administrator's
/// choice), inside the caller's transaction.
pub async fn partner_channels(
    conn: &mut AnyConnection,
    partner: i64,
    category: Group,
) -> Result<(bool, bool), AppError> {
    Ok(repo::partner_pref(conn, partner, category.code())
        .await?
        .map_or((true, true), |(email, sms)| (email != 0, sms != 0)))
}

/// Builds message parameters from pairs.
pub fn params<const N: usize>(pairs: [(&str, &str); N]) -> BTreeMap<String, String> {
    pairs
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub async fn list(
    db: &Db,
    user: i64,
    filter: Filter,
    group: Option<Group>,
    page: PageRequest,
) -> Result<Page<Message>, AppError> {
    let kinds: Vec<&str> = match group {
        Some(g) => g.kinds().collect(),
        None => vec![],
    };
    let (rows, total) = repo::list(&db.pool, user, filter == Filter::Unread, &kinds, page).await?;
    let items = rows
        .into_iter()
        .map(|r| Message {
            id: r.id,
            params: serde_json::from_str(&r.params).unwrap_or_default(),
            kind: r.kind,
            link: r.link,
            created_at: r.created_at,
            read: r.read_at.is_some(),
        })
        .collect();
    Ok(page.answer(items, total))
}

pub async fn unread(db: &Db, user: i64) -> Result<i64, AppError> {
    Ok(repo::unread(&db.pool, user).await?)
}

pub async fn mark_read(db: &Db, user: i64, id: i64) -> Result<(), AppError> {
    let now = now_ms();
    db.write(|tx| {
        Box::pin(async move {
            if repo::mark_read(&mut **tx, user, id, now).await? {
                Ok(())
            } else {
                Err(AppError::NotFound)
            }
        })
    })
    .await
}

pub async fn mark_all_read(db: &Db, user: i64) -> Result<u64, AppError> {
    let now = now_ms();
    db.write(|tx| Box::pin(async move { Ok(repo::mark_all_read(&mut **tx, user, now).await?) }))
        .await
}
