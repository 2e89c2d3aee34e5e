//! Mailed single-use links (`account_links`): an email confirmation (HCPN onboarding), a
//! password reset or a partner member's invitation. The link is the credential, so only the
//! SHA-256 of its token is stored; it works once, before it expires, and a newer link of the
//! same purpose for the same user ends the older ones.

use super::repo;
use crate::error::AppError;
use crate::server::security::{new_token, token_hash};

/// What a link does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    ConfirmEmail,
    ResetPassword,
    /// A partner member's invitation: the invited member chooses its password.
    JoinPartner,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::ConfirmEmail => "confirm_email",
            Purpose::ResetPassword => "reset_password",
            Purpose::JoinPartner => "join_partner",
        }
    }

    /// How long a link of this purpose works.
    pub fn lifetime_ms(self) -> i64 {
        match self {
            Purpose::ConfirmEmail => 24 * 3_600_000,
            Purpose::ResetPassword => 30 * 60_000,
            Purpose::JoinPartner => crate::members::model::INVITATION_MS,
        }
    }
}

/// Writes a new link for `user` (ending its older ones of the purpose) and returns its token,
/// to be mailed. `target` is what the link is about (the address it confirms).
pub async fn issue(
    conn: &mut sqlx::AnyConnection,
    user: i64,
    purpose: Purpose,
    target: &str,
    now: i64,
) -> Result<String, AppError> {
    let token = new_token();
    repo::end_links(&mut *conn, user, purpose.code(), now).await?;
    repo::insert_link(
        &mut *conn,
        &token_hash(&token),
        user,
        purpose.code(),
        target,
        now,
        now + purpose.lifetime_ms(),
    )
    .await?;
    Ok(token)
}

/// A token as a link carries it: anything longer than a token is unknown at once.
pub fn token(raw: &str) -> Result<&str, AppError> {
    if raw.len() > 128 {
        return Err(AppError::invalid("error.link.unknown"));
    }
    Ok(raw)
}

/// A link that can still be used: its user and target.
pub struct Redeemable {
    pub user: i64,
    pub target: String,
}

/// What a token is worth now, without using it: unknown (or of another purpose), used (or
/// replaced by a newer one), expired, or good.
pub async fn check(
    conn: &mut sqlx::AnyConnection,
    token: &str,
    purpose: Purpose,
    now: i64,
) -> Result<Redeemable, AppError> {
    let Some((user, kind, target, expires_at, used_at)) =
        repo::link(&mut *conn, &token_hash(token.trim())).await?
    else {
        return Err(AppError::invalid("error.link.unknown"));
    };
    if kind != purpose.code() {
        return Err(AppError::invalid("error.link.unknown"));
    }
    if used_at.is_some() {
        return Err(AppError::conflict("error.link.used"));
    }
    if expires_at <= now {
        return Err(AppError::conflict("error.link.expired"));
    }
    Ok(Redeemable { user, target })
}

/// Uses a link once, inside the caller's transaction: a second use (even a concurrent one) is
/// refused.
pub async fn redeem(
    conn: &mut sqlx::AnyConnection,
    token: &str,
    purpose: Purpose,
    now: i64,
) -> Result<Redeemable, AppError> {
    let link = check(&mut *conn, token, purpose, now).await?;
    if !repo::use_link(&mut *conn, &token_hash(token.trim()), now).await? {
        return Err(AppError::conflict("error.link.used"));
    }
    Ok(link)
}

/// Deletes links that expired a week ago or more (housekeeping).
pub async fn purge(db: &crate::server::db::Db, now: i64) -> Result<u64, AppError> {
    db.write(|tx| {
        Box::pin(async move { Ok(repo::purge_links(&mut *tx, now - 7 * 86_400_000).await?) })
    })
    .await
}
