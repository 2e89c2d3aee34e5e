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
        To::User(user) => {
            repo::insert(&mut *conn, user, kind, &encoded, link, now).await?;
            vec![user]
        }
        To::Partner(partner) => {
            repo::insert_for_partner(&mut *conn, partner, kind, &encoded, link, now).await?;
            Vec::new()
        }
        To::Customer(customer) => {
            repo::insert_for_customer(&mut *conn, customer, kind, &encoded, link, now).await?;
            repo::customer_users(&mut *conn, customer).await?
        }
    };
    let notice = Message {
        id: 0,
        kind: kind.to_string(),
        params: params.clone(),
        link: link.map(String::from),
        created_at: now,
        read: false,
    };
    let Some(group) = notice.group() else {
        return Ok(());
    };
    match to {
        // A partner hears at its contact address and number, as its administrator chose.
        To::Partner(partner) => {
            let Some(r) = repo::partner_reach(&mut *conn, partner, group.code()).await? else {
                return Ok(());
            };
            let (by_email, by_sms) = channels(r.by_email.zip(r.by_sms), group);
            let reach = Reach {
                email: known(r.email).filter(|_| by_email),
                phone: known(r.phone).filter(|_| by_sms),
                lang: r
                    .lang
                    .as_deref()
                    .and_then(crate::i18n::Lang::from_code)
                    .unwrap_or_default(),
            };
            if reach.email.is_none() && reach.phone.is_none() {
                return Ok(());
            }
            deliver(conn, &reach, &notice, now).await
        }
        // Anyone else at its own address and number, as it chose.
        To::User(_) | To::Customer(_) => {
            for user in users {
                let Some((email, phone, lang)) = repo::user_contact(&mut *conn, user).await? else {
                    continue;
                };
                let (email, phone) = (known(email), known(phone));
                if email.is_none() && phone.is_none() {
                    continue;
                }
                let (by_email, by_sms) = user_channels(&mut *conn, user, group).await?;
                let reach = Reach {
                    email: email.filter(|_| by_email),
                    phone: phone.filter(|_| by_sms),
                    lang: crate::i18n::Lang::from_code(&lang).unwrap_or_default(),
                };
                deliver(&mut *conn, &reach, &notice, now).await?;
            }
            Ok(())
        }
    }
}

/// An address or number that is there (not absent, not blank): with none, a user's choices and
/// language are not even read.
fn known(contact: Option<String>) -> Option<String> {
    contact.filter(|c| !c.trim().is_empty())
}

/// Where a notice goes besides the message center: the address and number it is wanted at
/// (absent where there is none or the reader turned the channel off), and the reader's
/// language.
struct Reach {
    email: Option<String>,
    phone: Option<String>,
    lang: crate::i18n::Lang,
}

/// Queues a notice's email (with the link to act on it) and SMS in the reader's language. A
/// notice with an email or SMS of its own ([`super::model::OWN_EMAIL`], [`super::model::OWN_SMS`])
/// is not also sent as a plain notice on that channel.
async fn deliver(
    conn: &mut AnyConnection,
    reach: &Reach,
    notice: &Message,
    now: i64,
) -> Result<(), AppError> {
    let lang = reach.lang;
    let kind = notice.kind.as_str();
    if let Some(email) = reach.email.as_deref().filter(|e| !e.is_empty())
        && !super::model::OWN_EMAIL.contains(&kind)
    {
        let mut body = notice.body(lang);
        if let (Some(base), Some(link)) = (crate::server::config::public_url(), &notice.link) {
            body.push_str(&format!("\n\n{base}{link}\n"));
        }
        let subject = format!(
            "{}{}",
            crate::i18n::t(lang, "email.notice.prefix"),
            notice.title(lang)
        );
        crate::notify::service::email(&mut *conn, email, &subject, &body, now).await?;
    }
    if let Some(phone) = reach.phone.as_deref().filter(|p| !p.is_empty())
        && !super::model::OWN_SMS.contains(&kind)
    {
        let (text, values) = notice.sms(lang);
        let values: Vec<&str> = values.iter().map(String::as_str).collect();
        let template = format!("msg.{kind}");
        crate::notify::service::sms(&mut *conn, phone, &text, &template, &values, now).await?;
    }
    Ok(())
}

/// Reads a stored choice: both channels as chosen, or the defaults of the category (email on,
/// SMS on for [`super::model::SMS_BY_DEFAULT`]).
fn channels(chosen: Option<(i64, i64)>, category: Group) -> (bool, bool) {
    chosen.map_or(
        (true, super::model::SMS_BY_DEFAULT.contains(&category)),
        |(email, sms)| (email != 0, sms != 0),
    )
}

/// A user's channel choices for every category (the defaults where it chose nothing).
pub async fn prefs(db: &Db, user: i64) -> Result<Vec<Pref>, AppError> {
    let chosen = repo::prefs(&db.pool, user).await?;
    Ok(Group::ALL
        .into_iter()
        .map(|category| {
            let row = chosen
                .iter()
                .find(|(c, _, _)| c == category.code())
                .map(|r| (r.1, r.2));
            let (email, sms) = channels(row, category);
            Pref {
                category,
                email,
                sms,
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
    let chosen = repo::partner_pref(conn, partner, category.code()).await?;
    Ok(channels(chosen, category))
}

/// Whether a user wants `category`'s notices by email and by SMS, inside the caller's
/// transaction.
async fn user_channels(
    conn: &mut AnyConnection,
    user: i64,
    category: Group,
) -> Result<(bool, bool), AppError> {
    let chosen = repo::user_pref(conn, user, category.code()).await?;
    Ok(channels(chosen, category))
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

/// The kinds whose title reads `text` (in either language, case-insensitive): a search for
/// "订单" or "order" finds order notices whatever their parameters. None for an empty search.
fn titles_containing(text: &str) -> Vec<&'static str> {
    let text = text.trim().to_lowercase();
    if text.is_empty() {
        return Vec::new();
    }
    super::model::KINDS
        .into_iter()
        .filter(|kind| {
            let key = format!("msg.{kind}.title");
            [crate::i18n::Lang::Zh, crate::i18n::Lang::En]
                .into_iter()
                .any(|lang| crate::i18n::t(lang, &key).to_lowercase().contains(&text))
        })
        .collect()
}

/// A message search: its parameters contain `like` (a LIKE pattern) or its kind is `titled`.
pub struct Search {
    pub like: String,
    pub titled: Vec<&'static str>,
}

pub async fn list(
    db: &Db,
    user: i64,
    filter: Filter,
    group: Option<Group>,
    text: &str,
    page: PageRequest,
) -> Result<Page<Message>, AppError> {
    let kinds: Vec<&str> = match group {
        Some(g) => g.kinds().collect(),
        None => vec![],
    };
    let search = Search {
        like: crate::server::sql::like_pattern(text),
        titled: titles_containing(text),
    };
    let (rows, total) = repo::list(
        &db.pool,
        user,
        filter == Filter::Unread,
        &kinds,
        &search,
        page,
    )
    .await?;
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
