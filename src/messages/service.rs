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
    let encoded = serde_json::to_string(params).map_err(|e| {
        tracing::error!(error = %e, "message params");
        AppError::Internal
    })?;
    let users = match to {
        To::User(user) => vec![user],
        To::Partner(partner) => repo::partner_users(&mut *conn, partner).await?,
        To::Customer(customer) => repo::customer_users(&mut *conn, customer).await?,
    };
    for user in users {
        repo::insert(&mut *conn, user, kind, &encoded, link, now).await?;
    }
    if let To::Partner(partner) = to
        && !super::model::OWN_EMAIL.contains(&kind)
    {
        mail_partner(conn, partner, kind, params, link, now).await?;
    }
    Ok(())
}

/// A notice to a partner also goes by email to its contact address (unless its administrator
/// turned email off for the category), in its language, with the link to act on it.
async fn mail_partner(
    conn: &mut AnyConnection,
    partner: i64,
    kind: &str,
    params: &BTreeMap<String, String>,
    link: Option<&str>,
    now: i64,
) -> Result<(), AppError> {
    let Some(group) = Group::of(kind) else {
        return Ok(());
    };
    let Some(email) = repo::partner_email(&mut *conn, partner)
        .await?
        .flatten()
        .filter(|e| !e.is_empty())
    else {
        return Ok(());
    };
    if !partner_channels(&mut *conn, partner, group).await?.0 {
        return Ok(());
    }
    let lang = crate::accounts::service::partner_lang(&mut *conn, partner).await?;
    let notice = Message {
        id: 0,
        kind: kind.to_string(),
        params: params.clone(),
        link: link.map(String::from),
        created_at: now,
        read: false,
    };
    let mut body = notice.body(lang);
    if let (Some(base), Some(link)) = (crate::server::config::public_url(), link) {
        body.push_str(&format!("\n\n{base}{link}\n"));
    }
    let subject = format!(
        "{}{}",
        crate::i18n::t(lang, "email.notice.prefix"),
        notice.title(lang)
    );
    crate::notify::service::email(&mut *conn, &email, &subject, &body, now).await
}

/// A user's channel choices for every category (both on where it chose nothing; SMS matters
/// only for the categories in [`super::model::BY_SMS`]).
pub async fn prefs(db: &Db, user: i64) -> Result<Vec<Pref>, AppError> {
    let chosen = repo::prefs(&db.pool, user).await?;
    Ok(Group::ALL
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

/// Tells a partner (every account of it) inside the caller's transaction: the common case of
/// [`send`].
pub async fn tell_partner<const N: usize>(
    conn: &mut AnyConnection,
    partner: i64,
    kind: &str,
    pairs: [(&str, &str); N],
    link: &str,
    now: i64,
) -> Result<(), AppError> {
    send(
        conn,
        To::Partner(partner),
        kind,
        &params(pairs),
        Some(link),
        now,
    )
    .await
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
