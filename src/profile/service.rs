//! Self-service operations: profile, password change, forgotten password, operator reset.

use super::model::{IssuedPassword, PartnerContact, Profile};
use super::repo;
use crate::accounts::audit::{Actor, Caller, Origin, Target};
use crate::accounts::links::{self, Purpose};
use crate::accounts::model::SessionUser;
use crate::accounts::service::{hash_password, verify_password};
use crate::domain::{AccountName, Email, NewPassword, PasswordAttempt, Role};
use crate::error::AppError;
use crate::onboarding::model::Mobile;
use crate::server::db::{Backend, Db, now_ms};

/// Forgotten-password requests allowed from one client address per hour.
pub const FORGOT_PER_HOUR: i64 = 10;

/// The path of a password-reset link.
pub fn reset_path(token: &str) -> String {
    format!("/reset-password/{token}")
}

/// Contact details as entered: each optional.
#[derive(Debug, Default)]
pub struct Contact {
    pub email: Option<Email>,
    pub phone: Option<Mobile>,
}

pub async fn profile(db: &Db, user: &SessionUser) -> Result<Profile, AppError> {
    let (login, role, email, phone, pid, pname, pemail, pphone) = repo::profile(&db.pool, user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let role = Role::parse(&role).ok_or(AppError::Internal)?;
    // The company's contacts are shown to (and changed by) its administrators only.
    let admin = user.works_in(crate::members::model::Area::Company);
    let partner = match (pid, pname) {
        (Some(_), Some(name)) if admin => Some(PartnerContact {
            name,
            email: pemail,
            phone: pphone,
        }),
        _ => None,
    };
    Ok(Profile {
        login,
        role,
        email,
        phone,
        partner,
    })
}

/// Saves the user's own contact details and, for a partner user, its partner's (each partner
/// contact only when given: a partner keeps an address for its notices).
pub async fn set_contact(
    cx: &Caller,
    mine: &Contact,
    partner: Option<&Contact>,
) -> Result<(), AppError> {
    let partner_id = match partner {
        Some(_) => Some(cx.user.as_partner()?.id),
        None => None,
    };
    cx.db
        .write(|tx| {
            Box::pin(async move {
                let now = now_ms();
                let email = mine.email.as_ref().map(Email::as_str);
                let phone = mine.phone.as_ref().map(Mobile::as_str);
                repo::set_contact(&mut *tx, cx.user.id, email, phone).await?;
                cx.actor
                    .record(tx, "profile.contact", Target::User(cx.user.id), "", now)
                    .await?;
                if let (Some(id), Some(c)) = (partner_id, partner) {
                    let email = c.email.as_ref().map(Email::as_str);
                    let phone = c.phone.as_ref().map(Mobile::as_str);
                    crate::accounts::repo::set_partner_contact(&mut **tx, id, email, phone).await?;
                    cx.actor
                        .record(tx, "partner.contact", Target::Partner(id), "", now)
                        .await?;
                }
                Ok(())
            })
        })
        .await
}

/// Changes the signed-in user's password. The current one is checked under the sign-in
/// throttle; the user's other sessions end. Returns the new session epoch (for this session).
pub async fn change_password(
    cx: &Caller,
    current: &PasswordAttempt,
    new: &NewPassword,
) -> Result<i64, AppError> {
    if current.expose() == new.expose() {
        return Err(AppError::invalid("error.password.same"));
    }
    let (user, login, ip) = (cx.user.id, cx.user.login.as_str(), cx.actor.ip());
    let reserved = crate::accounts::service::reserve_attempt(&cx.db, login, ip, now_ms()).await?;
    if !reserved {
        return Err(AppError::TooManyAttempts);
    }
    let hash = repo::password_hash(&cx.db.pool, user).await?;
    let hash = hash.map(crate::accounts::repo::PasswordHash);
    if !verify_password(current, hash).await? {
        cx.db
            .write(|tx| {
                Box::pin(async move {
                    let target = Target::User(user);
                    cx.actor
                        .record(tx, "password.change_failed", target, "", now_ms())
                        .await
                })
            })
            .await?;
        return Err(AppError::invalid("error.password.current"));
    }
    let hash = hash_password(new).await?;
    let hash = &hash.0;
    cx.db
        .write(|tx| {
            Box::pin(async move {
                let now = now_ms();
                let epoch = repo::set_password(&mut *tx, user, hash, 0)
                    .await?
                    .ok_or(AppError::NotFound)?;
                crate::accounts::repo::clear_failures(&mut **tx, login).await?;
                cx.actor
                    .record(tx, "password.change", Target::User(user), "", now)
                    .await?;
                Ok(epoch)
            })
        })
        .await
}

/// A forgotten password: mails a reset link to the account's email if it has one. The answer is
/// the same either way; only the number of requests from one address is limited.
pub async fn forgot(
    db: &Db,
    origin: &Origin,
    account_raw: &str,
    base_url: &str,
) -> Result<(), AppError> {
    let typed: String = account_raw.trim().chars().take(64).collect();
    let account = AccountName::parse(&typed).ok();
    let now = now_ms();
    let (typed, account) = (&typed, &account);
    db.write(|tx| {
        Box::pin(async move {
            let ip = origin.ip.as_str();
            if db.backend == Backend::Postgres {
                repo::lock_address(&mut *tx, ip).await?;
            }
            if repo::requests_from(&mut *tx, ip, now - 3_600_000).await? >= FORGOT_PER_HOUR {
                return Err(AppError::TooManyAttempts);
            }
            let target = match account {
                Some(a) => repo::reset_target(&mut *tx, a.as_str()).await?,
                None => None,
            };
            let actor = Actor {
                user_id: None,
                name: typed.to_lowercase(),
                origin: origin.clone(),
            };
            let mailed = match target {
                Some((user, login, lang, Some(email))) => {
                    let token =
                        links::issue(&mut *tx, user, Purpose::ResetPassword, "", now).await?;
                    let link = format!("{base_url}{}", reset_path(&token));
                    let lang = crate::i18n::Lang::from_code(&lang).unwrap_or_default();
                    crate::notify::service::queue(
                        &mut *tx,
                        crate::notify::service::Via::Email(&email),
                        lang,
                        "account.reset",
                        &[("login", &login), ("link", &link)],
                        now,
                    )
                    .await?;
                    "mailed"
                }
                Some(_) => "no_email",
                None => "unknown",
            };
            actor
                .record(tx, "login.forgot", Target::Named(typed), mailed, now)
                .await
        })
    })
    .await
}

/// Whether a reset link can still be used (the page asks before showing the form).
pub async fn check_reset(db: &Db, token: &str) -> Result<(), AppError> {
    let mut conn = db.pool.acquire().await?;
    links::check(&mut conn, token, Purpose::ResetPassword, now_ms()).await?;
    Ok(())
}

/// Sets a new password with a reset link (once): every session of the user ends and its sign-in
/// failures are forgotten.
pub async fn reset(
    db: &Db,
    origin: &Origin,
    token: &str,
    new: &NewPassword,
) -> Result<(), AppError> {
    // Refuse a dead link before paying for the hash.
    check_reset(db, token).await?;
    let hash = hash_password(new).await?;
    let hash = &hash.0;
    db.write(|tx| {
        Box::pin(async move {
            let now = now_ms();
            let link = links::redeem(&mut *tx, token, Purpose::ResetPassword, now).await?;
            let (login, _) = repo::user(&mut *tx, link.user)
                .await?
                .ok_or(AppError::NotFound)?;
            repo::set_password(&mut *tx, link.user, hash, 0).await?;
            crate::accounts::repo::clear_failures(&mut **tx, &login).await?;
            let actor = Actor {
                user_id: Some(link.user),
                name: login,
                origin: origin.clone(),
            };
            actor
                .record(tx, "password.reset", Target::User(link.user), "link", now)
                .await
        })
    })
    .await
}

/// A password to hand to someone once: three groups of four letters and digits without the
/// ones people confuse (about 59 bits), e.g. `k7mp-2xqd-9hra`.
pub fn temporary_password() -> NewPassword {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let groups: Vec<String> = (0..3)
        .map(|_| {
            (0..4)
                .map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char)
                .collect()
        })
        .collect();
    NewPassword::parse(&groups.join("-")).expect("letters or digits and dashes pass the policy")
}

/// Operator (账号管理): sets a generated password on an account, which must change it at its
/// next sign-in; its sessions end. The password is returned once, for the operator to pass on.
pub async fn reset_by_operator(cx: &Caller, user: i64) -> Result<IssuedPassword, AppError> {
    if user == cx.user.id {
        return Err(AppError::conflict("error.console.reset_self"));
    }
    let password = temporary_password();
    let hash = hash_password(&password).await?;
    let hash = &hash.0;
    let login = cx
        .db
        .write(|tx| {
            Box::pin(async move {
                let now = now_ms();
                let (login, _) = repo::user(&mut *tx, user)
                    .await?
                    .ok_or(AppError::NotFound)?;
                repo::set_password(&mut *tx, user, hash, 1).await?;
                cx.actor
                    .record(tx, "account.password_reset", Target::User(user), "", now)
                    .await?;
                Ok(login)
            })
        })
        .await?;
    Ok(IssuedPassword {
        user_id: user,
        login,
        password: password.expose().to_string(),
    })
}
