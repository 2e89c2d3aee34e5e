//! Partner members: the administrator invites, changes roles and removes; the invited member
//! joins through its link.

use super::model::{Member, MemberRole, MemberState, join_path};
use super::repo::{self, MemberRow};
use crate::accounts::audit::{Actor, Caller, Origin, Target};
use crate::accounts::links::{self, Purpose};
use crate::domain::{AccountName, Email, NewPassword};
use crate::error::AppError;
use crate::server::db::{Db, Tx, is_unique_violation, now_ms};

fn member(row: MemberRow, me: i64) -> Member {
    let (user_id, login, email, role, pending, disabled_at, created_at) = row;
    let state = match (disabled_at, pending) {
        (Some(_), _) => MemberState::Removed,
        (None, 1) => MemberState::Invited,
        (None, _) => MemberState::Active,
    };
    Member {
        user_id,
        login,
        email,
        role,
        state,
        created_at,
        me: user_id == me,
    }
}

/// A partner's members (the operator's partner page).
pub async fn of_partner(db: &Db, partner: i64) -> Result<Vec<Member>, AppError> {
    let rows = repo::members(&db.pool, partner).await?;
    Ok(rows.into_iter().map(|r| member(r, 0)).collect())
}

/// The signed-in administrator's partner and the partner's members.
pub async fn list(cx: &Caller) -> Result<Vec<Member>, AppError> {
    let partner = cx.user.as_partner()?.id;
    let rows = repo::members(&cx.db.pool, partner).await?;
    Ok(rows.into_iter().map(|r| member(r, cx.user.id)).collect())
}

/// Mails the invitation link of `user` (a new one ends the older).
async fn mail_invitation(
    tx: &mut Tx<'_>,
    cx: &Caller,
    (user, login, email, role): (i64, &str, &str, MemberRole),
    base_url: &str,
    now: i64,
) -> Result<(), AppError> {
    let partner = cx.user.as_partner()?;
    let name = repo::partner_name(&mut *tx, partner.id)
        .await?
        .unwrap_or_else(|| partner.name.clone());
    let token = links::issue(&mut *tx, user, Purpose::JoinPartner, email, now).await?;
    let link = format!("{base_url}{}", join_path(&token));
    let lang = crate::accounts::service::partner_lang(&mut *tx, partner.id).await?;
    crate::notify::service::queue(
        &mut *tx,
        crate::notify::service::Via::Email(email),
        lang,
        "member.invite",
        &[
            ("partner", &name),
            ("role", role.label_key()),
            ("login", login),
            ("link", &link),
        ],
        now,
    )
    .await
}

/// Invites a colleague: a user of the partner with `role`, without a password until it follows
/// the mailed link. A sign-in name already taken is refused.
pub async fn invite(
    cx: &Caller,
    login: &AccountName,
    email: &Email,
    role: MemberRole,
    base_url: &str,
) -> Result<i64, AppError> {
    let partner = cx.user.as_partner()?.id;
    cx.db
        .write(|tx| {
            Box::pin(async move {
                let now = now_ms();
                let (login, email) = (login.as_str(), email.as_str());
                let row = repo::NewMember {
                    partner,
                    login,
                    hash: "!",
                    email,
                    role,
                    pending: true,
                    invited_by: Some(cx.user.id),
                    now,
                };
                let user = insert(tx, row).await?;
                mail_invitation(tx, cx, (user, login, email, role), base_url, now).await?;
                cx.actor
                    .record(tx, "members.invite", Target::User(user), role.as_str(), now)
                    .await?;
                Ok(user)
            })
        })
        .await
}

/// Inserts a member; a sign-in name already taken is a conflict.
async fn insert(tx: &mut Tx<'_>, m: repo::NewMember<'_>) -> Result<i64, AppError> {
    repo::insert_member(&mut **tx, m).await.map_err(|e| {
        if is_unique_violation(&e) {
            AppError::conflict("error.account_name.taken")
        } else {
            AppError::from(e)
        }
    })
}

/// A member with a chosen password, active at once (the command line and demo data).
pub async fn create_active(
    db: &Db,
    actor: &Actor,
    partner: i64,
    login: &AccountName,
    email: &Email,
    role: MemberRole,
    password: &NewPassword,
) -> Result<i64, AppError> {
    let hash = crate::accounts::service::hash_password(password).await?;
    let hash = hash.0.as_str();
    db.write(|tx| {
        Box::pin(async move {
            let now = now_ms();
            if repo::partner_name(&mut *tx, partner).await?.is_none() {
                return Err(AppError::NotFound);
            }
            let row = repo::NewMember {
                partner,
                login: login.as_str(),
                hash,
                email: email.as_str(),
                role,
                pending: false,
                invited_by: None,
                now,
            };
            let user = insert(tx, row).await?;
            actor
                .record(tx, "members.create", Target::User(user), role.as_str(), now)
                .await?;
            Ok(user)
        })
    })
    .await
}

/// The member `user` of the caller's partner, which must not be the caller.
async fn other_member(tx: &mut Tx<'_>, cx: &Caller, user: i64) -> Result<Member, AppError> {
    if user == cx.user.id {
        return Err(AppError::conflict("error.members.self"));
    }
    let partner = cx.user.as_partner()?.id;
    let row = repo::member(&mut *tx, partner, user)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(member(row, cx.user.id))
}

/// Sends a pending member's invitation again: a new link, the old one ends.
pub async fn resend(cx: &Caller, user: i64, base_url: &str) -> Result<(), AppError> {
    cx.db
        .write(|tx| {
            Box::pin(async move {
                let now = now_ms();
                let m = other_member(tx, cx, user).await?;
                let email = match (m.state, &m.email) {
                    (MemberState::Invited, Some(email)) => email.clone(),
                    _ => return Err(AppError::conflict("error.members.not_invited")),
                };
                mail_invitation(tx, cx, (user, &m.login, &email, m.role), base_url, now).await?;
                cx.actor
                    .record(tx, "members.resend", Target::User(user), "", now)
                    .await
            })
        })
        .await
}

/// Gives a member another role, at once (its next request is judged by it). A member that is
/// no longer an administrator loses its open-API tokens.
pub async fn set_role(cx: &Caller, user: i64, role: MemberRole) -> Result<(), AppError> {
    cx.db
        .write(|tx| {
            Box::pin(async move {
                let now = now_ms();
                other_member(tx, cx, user).await?;
                let partner = cx.user.as_partner()?.id;
                if !repo::set_role(&mut *tx, partner, user, role).await? {
                    return Err(AppError::conflict("error.members.unchanged"));
                }
                if role != MemberRole::Admin {
                    crate::console::repo::drop_tokens(&mut *tx, user).await?;
                }
                // The member is told (message center, and its own address as it chose).
                let company = cx.user.as_partner()?.name.as_str();
                let told = [("role", role.label_key()), ("partner", company)];
                crate::messages::service::send(
                    &mut *tx,
                    crate::messages::service::To::User(user),
                    "member.role_changed",
                    &crate::messages::service::params(told),
                    Some("/center"),
                    now,
                )
                .await?;
                cx.actor
                    .record(tx, "members.role", Target::User(user), role.as_str(), now)
                    .await
            })
        })
        .await
}

/// Removes a member (or withdraws an invitation): it cannot sign in, its sessions and tokens end
/// at once, its pending link stops working. The row stays for the audit trail.
pub async fn remove(cx: &Caller, user: i64) -> Result<(), AppError> {
    cx.db
        .write(|tx| {
            Box::pin(async move {
                let now = now_ms();
                other_member(tx, cx, user).await?;
                let partner = cx.user.as_partner()?.id;
                if !repo::remove(&mut *tx, partner, user, now).await? {
                    return Err(AppError::conflict("error.members.already_removed"));
                }
                crate::console::repo::drop_tokens(&mut *tx, user).await?;
                crate::accounts::repo::end_links(&mut *tx, user, Purpose::JoinPartner.code(), now)
                    .await?;
                cx.actor
                    .record(tx, "members.remove", Target::User(user), "", now)
                    .await
            })
        })
        .await
}

/// What the invitation page shows before the member chooses its password.
pub async fn invitation(db: &Db, token: &str) -> Result<super::model::Invitation, AppError> {
    let mut conn = db.pool.acquire().await?;
    let link = links::check(&mut conn, token, Purpose::JoinPartner, now_ms()).await?;
    let (login, partner, role) = repo::invitation(&mut conn, link.user)
        .await?
        .ok_or_else(|| AppError::invalid("error.link.unknown"))?;
    Ok(super::model::Invitation {
        login,
        partner,
        role,
    })
}

/// The invited member chooses its password through its link (once); it then signs in.
pub async fn join(
    db: &Db,
    origin: &Origin,
    token: &str,
    password: &NewPassword,
) -> Result<(), AppError> {
    // Refuse a dead link before paying for the hash.
    invitation(db, token).await?;
    let hash = crate::accounts::service::hash_password(password).await?;
    let hash = &hash.0;
    db.write(|tx| {
        Box::pin(async move {
            let now = now_ms();
            let link = links::redeem(&mut *tx, token, Purpose::JoinPartner, now).await?;
            if !repo::activate(&mut *tx, link.user, hash).await? {
                return Err(AppError::conflict("error.link.used"));
            }
            let (login, _, _) = repo::invitation(&mut *tx, link.user)
                .await?
                .ok_or(AppError::NotFound)?;
            let actor = Actor {
                user_id: Some(link.user),
                name: login,
                origin: origin.clone(),
            };
            actor
                .record(tx, "members.join", Target::User(link.user), "", now)
                .await
        })
    })
    .await
}
