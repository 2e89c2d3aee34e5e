//! Business operations on accounts. Each write runs in one transaction.

use super::model::{PartnerListItem, SessionUser};
use super::repo::{self, NewPartnerRow, NewUserRow, PasswordHash};
use crate::domain::{
    AccountName, CustomerMode, DisplayName, HcpnState, NewPassword, Page, PageRequest, PartnerKind,
    PasswordAttempt, Role,
};
use crate::error::AppError;
use crate::server::db::{Db, is_unique_violation, now_ms};
use std::sync::LazyLock;

/// Failures allowed per account within [`WINDOW_MS`]; the next attempt is refused.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failures allowed per client address within [`WINDOW_MS`], across accounts.
pub const MAX_FAILURES_PER_IP: i64 = 20;
pub const WINDOW_MS: i64 = 60_000;

/// A real hash of a random password, verified against when the account does not exist so that
/// unknown accounts take as long as wrong passwords.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let random: [u8; 16] = rand::random();
    password_auth::generate_hash(format!("{random:?}"))
});

/// Runs a CPU-bound password hash under the hashing limit (`server::cpu`).
async fn hashing<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    crate::server::cpu::run(&crate::server::cpu::HASHING, f).await
}

/// Hashing is CPU-bound (tens of milliseconds); it runs off the async threads.
pub async fn hash_password(password: &NewPassword) -> Result<PasswordHash, AppError> {
    let plain = password.expose().to_string();
    hashing(move || PasswordHash(password_auth::generate_hash(plain))).await
}

pub(crate) async fn verify_password(
    password: &PasswordAttempt,
    hash: Option<PasswordHash>,
) -> Result<bool, AppError> {
    let plain = password.expose().to_string();
    hashing(move || {
        let known = hash.is_some();
        let hash = hash.map(|h| h.0).unwrap_or_else(|| DUMMY_HASH.clone());
        password_auth::verify_password(plain, &hash).is_ok() && known
    })
    .await
}

/// Computes the dummy hash ahead of the first sign-in so the first unknown account is not
/// faster (or slower) than the rest.
pub fn warm_up() {
    LazyLock::force(&DUMMY_HASH);
}

/// Remembers the language a user chose (at sign-in, or with the switch): what emails and SMS
/// to it, or to its organisation, are written in.
pub async fn remember_lang(db: &Db, user: i64, lang: crate::i18n::Lang) -> Result<(), AppError> {
    let code = lang.code();
    db.write(|tx| Box::pin(async move { Ok(repo::set_lang(&mut *tx, user, code).await?) }))
        .await
}

/// The language of an organisation's notices: its first user's (the partner administrator's).
pub async fn partner_lang(
    conn: &mut sqlx::AnyConnection,
    partner: i64,
) -> Result<crate::i18n::Lang, AppError> {
    let code = repo::partner_lang(conn, partner).await?;
    Ok(code
        .as_deref()
        .and_then(crate::i18n::Lang::from_code)
        .unwrap_or_default())
}

/// Checks a sign-in attempt. Returns the user on success; failures are counted and audited.
#[tracing::instrument(skip(db, password_raw), fields(account = %account_raw.chars().take(64).collect::<String>()))]
pub async fn login(
    db: &Db,
    account_raw: &str,
    password_raw: &str,
    origin: &Origin,
) -> Result<SessionUser, AppError> {
    let ip = origin.ip.as_str();
    let account = AccountName::parse(account_raw).map_err(|k| match k {
        "error.account_name.required" | "error.account_name.too_long" => AppError::invalid(k),
        // A malformed name cannot exist; answer as for any unknown account.
        _ => AppError::BadCredentials,
    });
    if let Err(e @ AppError::Invalid(_)) = &account {
        return Err(e.clone());
    }
    let password = PasswordAttempt::parse(password_raw).map_err(AppError::invalid)?;
    let account = match account {
        Ok(a) => a,
        Err(AppError::BadCredentials) => {
            verify_password(&password, None).await?;
            return Err(AppError::BadCredentials);
        }
        Err(e) => return Err(e),
    };
    let now = now_ms();
    // The attempt is reserved (counted as a failure) before the password is checked, atomically
    // in the database, so concurrent attempts from any number of processes cannot all pass the
    // count together. A success removes the account's rows.
    let reserved = reserve_attempt(db, account.as_str(), ip, now).await?;
    if !reserved {
        audit(
            db,
            None,
            account.as_str(),
            "login.throttled",
            account.as_str(),
            origin,
        )
        .await?;
        return Err(AppError::TooManyAttempts);
    }
    let creds = repo::credentials(&db.pool, account.as_str()).await?;
    let user_id = creds.as_ref().map(|c| c.user_id);
    let disabled = creds.as_ref().is_some_and(|c| c.disabled);
    // An invited member that has not chosen its password yet has none (`!`): it fails like an
    // unknown account, in the same time.
    let hash = creds.map(|c| c.hash).filter(|h| !h.0.starts_with('!'));
    let ok = verify_password(&password, hash).await?;
    if ok && disabled {
        // Only the right password learns that the account is disabled; the attempt stays
        // counted.
        audit(
            db,
            user_id,
            account.as_str(),
            "login.disabled",
            account.as_str(),
            origin,
        )
        .await?;
        return Err(AppError::conflict("error.account.disabled"));
    }
    match (ok, user_id) {
        (true, Some(id)) => {
            // The account's failures go with the success, in its transaction.
            let actor = Actor {
                user_id: Some(id),
                name: account.as_str().to_string(),
                origin: origin.clone(),
            };
            let (actor, name) = (&actor, account.as_str());
            db.write(|tx| {
                Box::pin(async move {
                    repo::clear_failures(&mut **tx, name).await?;
                    let target = Target::Named(name);
                    actor
                        .record(tx, "login.success", target, "", now_ms())
                        .await
                })
            })
            .await?;
            repo::session_user(&db.pool, id, None)
                .await?
                .ok_or(AppError::Internal)
        }
        _ => {
            // The reservation stays: it is this failure.
            audit(
                db,
                None,
                account.as_str(),
                "login.failure",
                account.as_str(),
                origin,
            )
            .await?;
            Err(AppError::BadCredentials)
        }
    }
}

/// Reserves one attempt at an account's password (signing in, or changing it), counted as a
/// failure until a success clears the account's rows: atomically in the database, so concurrent
/// attempts from any number of processes cannot all pass the count together. `false` when the
/// account's or the address's limit is reached.
pub async fn reserve_attempt(db: &Db, account: &str, ip: &str, now: i64) -> Result<bool, AppError> {
    let reserved = db
        .write(|tx| {
            Box::pin(async move {
                if db.backend == crate::server::db::Backend::Postgres {
                    repo::lock_attempts(&mut *tx, account, ip).await?;
                }
                let limits = (MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_IP);
                Ok(
                    repo::reserve_attempt(&mut *tx, account, ip, now - WINDOW_MS, now, limits)
                        .await?,
                )
            })
        })
        .await?;
    Ok(reserved.is_some())
}

async fn audit(
    db: &Db,
    user: Option<i64>,
    name: &str,
    action: &str,
    target: &str,
    origin: &Origin,
) -> Result<(), AppError> {
    let actor = Actor {
        user_id: user,
        name: name.to_string(),
        origin: origin.clone(),
    };
    let actor = &actor;
    db.write(|tx| {
        Box::pin(async move {
            let target = Target::Named(target);
            actor.record(tx, action, target, "", now_ms()).await
        })
    })
    .await
}

pub async fn record_logout(db: &Db, user: &SessionUser, origin: &Origin) -> Result<(), AppError> {
    audit(
        db,
        Some(user.id),
        &user.login,
        "logout",
        &user.login,
        origin,
    )
    .await
}

/// An enabled user by id (an API token's or access key's owner).
pub async fn session_user(db: &Db, user_id: i64) -> Result<Option<SessionUser>, AppError> {
    Ok(repo::session_user(&db.pool, user_id, None).await?)
}

/// The user of a browser session opened in `epoch`: `None` once the user's password changed
/// since (or the account was disabled).
pub async fn session_user_at(
    db: &Db,
    user_id: i64,
    epoch: i64,
) -> Result<Option<SessionUser>, AppError> {
    Ok(repo::session_user(&db.pool, user_id, Some(epoch)).await?)
}

pub use super::audit::{Actor, Origin, Target};

/// A new account's first password: chosen by whoever creates it (command line, demo data), or
/// generated for an operator in the console and then `temporary`: to be changed at the first
/// sign-in.
pub struct FirstPassword {
    pub password: NewPassword,
    pub temporary: bool,
}

impl From<NewPassword> for FirstPassword {
    fn from(password: NewPassword) -> Self {
        FirstPassword {
            password,
            temporary: false,
        }
    }
}

pub struct NewPartner {
    pub name: DisplayName,
    pub kind: PartnerKind,
    pub parent_id: Option<i64>,
    pub hcpn: HcpnState,
    pub email: Option<String>,
    pub login: AccountName,
    pub password: FirstPassword,
}

/// Creates a partner and its first user. A reseller needs a distributor parent; other kinds
/// must not have one.
pub async fn create_partner(db: &Db, p: NewPartner, actor: &Actor) -> Result<(i64, i64), AppError> {
    match (p.kind, p.parent_id) {
        (PartnerKind::Reseller, None) => {
            return Err(AppError::invalid("error.partner.parent_required"));
        }
        (PartnerKind::Reseller, Some(_)) => {}
        (_, Some(_)) => return Err(AppError::invalid("error.partner.parent_only_reseller")),
        (_, None) => {}
    }
    let hash = hash_password(&p.password.password).await?;
    let now = now_ms();
    let (hash, p) = (&hash, &p);
    db.write(|tx| {
        Box::pin(async move {
            if let Some(parent) = p.parent_id {
                match repo::partner_kind(&mut **tx, parent).await? {
                    Some(PartnerKind::Distributor) => {}
                    Some(_) => {
                        return Err(AppError::invalid("error.partner.parent_not_distributor"));
                    }
                    None => return Err(AppError::invalid("error.partner.parent_not_found")),
                }
            }
            let row = NewPartnerRow {
                name: p.name.as_str(),
                kind: p.kind,
                parent_id: p.parent_id,
                hcpn: p.hcpn,
                email: p.email.as_deref(),
                now,
            };
            let (partner_id, user_id) =
                insert_partner_and_admin(tx, row, &p.login, hash, p.password.temporary).await?;
            let target = Target::Partner(partner_id);
            actor
                .record(tx, "partner.create", target, p.kind.as_str(), now)
                .await?;
            Ok((partner_id, user_id))
        })
    })
    .await
}

/// Inserts a partner and its first user (its administrator) inside the caller's transaction;
/// a login already taken is a conflict.
pub async fn insert_partner_and_admin(
    tx: &mut crate::server::db::Tx<'_>,
    row: NewPartnerRow<'_>,
    login: &AccountName,
    hash: &PasswordHash,
    must_change: bool,
) -> Result<(i64, i64), AppError> {
    let now = row.now;
    let partner_id = repo::insert_partner(&mut **tx, row).await?;
    let user = NewUserRow {
        login: login.as_str(),
        hash,
        role: Role::Partner,
        partner_id: Some(partner_id),
        customer_id: None,
        must_change,
        now,
    };
    let user_id = insert_user_mapped(&mut *tx, user).await?;
    Ok((partner_id, user_id))
}

pub struct NewCustomer {
    /// The partner and mode it starts associated with; `None` for a customer still to be invited.
    pub link: Option<(i64, CustomerMode)>,
    pub name: DisplayName,
    pub login: AccountName,
    pub password: FirstPassword,
}

pub async fn create_customer(
    db: &Db,
    c: NewCustomer,
    actor: &Actor,
) -> Result<(i64, i64), AppError> {
    let hash = hash_password(&c.password.password).await?;
    let now = now_ms();
    let (c, hash) = (&c, &hash);
    db.write(|tx| {
        Box::pin(async move {
            if let Some((partner, _)) = c.link
                && repo::partner_kind(&mut **tx, partner).await?.is_none()
            {
                return Err(AppError::invalid("error.partner.not_found"));
            }
            let customer_id = repo::insert_customer(&mut *tx, c.link, c.name.as_str(), now).await?;
            let user = NewUserRow {
                login: c.login.as_str(),
                hash,
                role: Role::Customer,
                partner_id: None,
                customer_id: Some(customer_id),
                must_change: c.password.temporary,
                now,
            };
            let user_id = insert_user_mapped(&mut *tx, user).await?;
            let target = Target::Customer(customer_id);
            let mode = c.link.map(|l| l.1.as_str()).unwrap_or("unlinked");
            actor
                .record(tx, "customer.create", target, mode, now)
                .await?;
            Ok((customer_id, user_id))
        })
    })
    .await
}

pub async fn create_operator(
    db: &Db,
    login: AccountName,
    password: impl Into<FirstPassword>,
    actor: &Actor,
) -> Result<i64, AppError> {
    create_plain_user(db, login, password.into(), Role::Operator, None, actor).await
}

/// Where a personal account was registered; only China-site accounts can be real-name verified
/// for association with a partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    China,
    International,
}

impl Site {
    pub fn parse(s: &str) -> Option<Site> {
        match s {
            "cn" => Some(Site::China),
            "intl" => Some(Site::International),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Site::China => "cn",
            Site::International => "intl",
        }
    }
}

/// Creates a personal account (个人华为账号), which partners may invite as employees.
pub async fn create_personal(
    db: &Db,
    login: AccountName,
    password: impl Into<FirstPassword>,
    verified: bool,
    site: Site,
    actor: &Actor,
) -> Result<i64, AppError> {
    create_plain_user(
        db,
        login,
        password.into(),
        Role::Personal,
        Some((verified, site)),
        actor,
    )
    .await
}

/// Operator: records (or withdraws) a personal account's real-name verification.
pub async fn set_real_name(
    db: &Db,
    login: &AccountName,
    verified: bool,
    actor: &Actor,
) -> Result<i64, AppError> {
    db.write(|tx| {
        Box::pin(async move {
            let id = repo::set_real_name(&mut **tx, login.as_str(), verified)
                .await?
                .ok_or(AppError::NotFound)?;
            let detail = if verified { "verified" } else { "unverified" };
            let target = Target::User(id);
            actor
                .record(tx, "personal.real_name", target, detail, now_ms())
                .await?;
            Ok(id)
        })
    })
    .await
}

/// Operator: a partner's contact email (notices by email) and mobile phone (notices by SMS).
pub async fn set_partner_contact(
    db: &Db,
    partner: i64,
    email: Option<&str>,
    phone: Option<&str>,
    actor: &Actor,
) -> Result<(), AppError> {
    if let Some(e) = email
        && (e.len() > 254
            || !e.contains('@')
            || e.chars().any(|c| c.is_whitespace() || c.is_control()))
    {
        return Err(AppError::invalid("error.partner.email"));
    }
    if let Some(p) = phone
        && (p.len() > 20 || p.len() < 5 || !p.chars().all(|c| c.is_ascii_digit() || c == '+'))
    {
        return Err(AppError::invalid("error.partner.phone"));
    }
    db.write(|tx| {
        Box::pin(async move {
            if !repo::set_partner_contact(&mut **tx, partner, email, phone).await? {
                return Err(AppError::NotFound);
            }
            let target = Target::Partner(partner);
            actor
                .record(tx, "partner.contact", target, "", now_ms())
                .await?;
            Ok(())
        })
    })
    .await
}

async fn create_plain_user(
    db: &Db,
    login: AccountName,
    password: FirstPassword,
    role: Role,
    personal: Option<(bool, Site)>,
    actor: &Actor,
) -> Result<i64, AppError> {
    let hash = hash_password(&password.password).await?;
    let must_change = password.temporary;
    let now = now_ms();
    let (hash, login) = (&hash, &login);
    db.write(|tx| {
        Box::pin(async move {
            let user = NewUserRow {
                login: login.as_str(),
                hash,
                role,
                partner_id: None,
                customer_id: None,
                must_change,
                now,
            };
            let user_id = insert_user_mapped(&mut *tx, user).await?;
            if let Some((verified, site)) = personal {
                repo::set_personal_profile(&mut **tx, user_id, verified, site.as_str()).await?;
            }
            let action = format!("{}.create", role.as_str());
            actor
                .record(tx, &action, Target::User(user_id), "", now)
                .await?;
            Ok(user_id)
        })
    })
    .await
}

async fn insert_user_mapped(
    tx: &mut crate::server::db::Tx<'_>,
    user: NewUserRow<'_>,
) -> Result<i64, AppError> {
    repo::insert_user(&mut **tx, user).await.map_err(|e| {
        if is_unique_violation(&e) {
            AppError::conflict("error.account_name.taken")
        } else {
            AppError::from(e)
        }
    })
}

pub async fn is_empty(db: &Db) -> Result<bool, AppError> {
    Ok(repo::user_count(&db.pool).await? == 0)
}

pub async fn list_partners(
    db: &Db,
    filter: &repo::PartnerFilter,
    page: PageRequest,
) -> Result<Page<PartnerListItem>, AppError> {
    let (items, total) = repo::list_partners(&db.pool, filter, page).await?;
    Ok(page.answer(items, total))
}

/// Forgets failures older than the throttling window (run periodically).
pub async fn prune_failures(db: &Db) -> Result<(), AppError> {
    let before = now_ms() - 10 * WINDOW_MS;
    db.write(|tx| {
        Box::pin(async move { Ok(repo::delete_failures_before(&mut **tx, before).await?) })
    })
    .await
}
