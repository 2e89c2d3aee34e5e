//! Access keys and request authentication.

use super::model::{AccessKey, MAX_KEYS, NewKey};
use super::repo;
use super::signer::{self, Authorization, Refusal};
use crate::accounts::audit::Caller;
use crate::accounts::audit::{Actor, Origin, Target};
use crate::accounts::model::SessionUser;
use crate::domain::Role;
use crate::error::AppError;
use crate::server::db::{Db, now_ms};

/// How far `X-Sdk-Date` may be from the server's clock, either way.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

fn random(len: usize, alphabet: &[u8]) -> String {
    (0..len)
        .map(|_| alphabet[rand::random::<u32>() as usize % alphabet.len()] as char)
        .collect()
}

/// Creates an access key for a partner user (at most [`MAX_KEYS`]).
pub async fn create_key(
    db: &Db,
    user: i64,
    partner: i64,
    actor: &Actor,
    description: &str,
) -> Result<NewKey, AppError> {
    let ak = random(20, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
    let sk = random(
        40,
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    );
    let now = now_ms();
    let (ak, sk) = (&ak, &sk);
    db.write(|tx| {
        Box::pin(async move {
            if repo::count_keys(&mut **tx, user).await? >= MAX_KEYS {
                return Err(AppError::conflict("error.openapi.too_many_keys"));
            }
            // Only the sealed form is stored (AES-256-GCM under the master key, bound to the AK).
            let sealed = db.keys.seal(ak, sk)?;
            repo::insert_key(&mut **tx, user, ak, &sealed, description, now).await?;
            let target = Target::AccessKey(ak);
            actor
                .record(tx, "openapi.key_create", target, "", now)
                .await?;
            Ok(NewKey {
                ak: ak.clone(),
                sk: sk.clone(),
                domain_id: partner.to_string(),
            })
        })
    })
    .await
}

fn partner_user(user: &SessionUser) -> Result<(i64, i64), AppError> {
    Ok((user.id, user.as_partner()?.id))
}

pub async fn create_for(cx: &Caller, description: &str) -> Result<NewKey, AppError> {
    let Caller { db, user, .. } = cx;
    let (id, partner) = partner_user(user)?;
    create_key(db, id, partner, &cx.actor, description).await
}

/// `admin create-access-key --login L`.
pub async fn create_for_login(db: &Db, login: &str) -> Result<NewKey, AppError> {
    let (user, partner) = repo::user_by_login(&db.pool, login)
        .await?
        .ok_or_else(|| AppError::invalid("error.openapi.not_a_partner_user"))?;
    create_key(
        db,
        user,
        partner.ok_or(AppError::Internal)?,
        &Actor::cli(),
        "",
    )
    .await
}

pub async fn keys(cx: &Caller) -> Result<Vec<AccessKey>, AppError> {
    let Caller { db, user, .. } = cx;
    let (id, _) = partner_user(user)?;
    Ok(repo::list_keys(&db.pool, id)
        .await?
        .into_iter()
        .map(|k| AccessKey {
            ak: k.ak,
            active: k.state == "active",
            description: k.description,
            created_at: k.created_at,
            last_used_at: k.last_used_at,
        })
        .collect())
}

/// Enables, disables (`state`) or deletes (`None`) one of the user's keys.
pub async fn change_key(cx: &Caller, ak: &str, state: Option<&str>) -> Result<(), AppError> {
    let Caller { db, user, .. } = cx;
    let (id, _) = partner_user(user)?;
    let now = now_ms();
    db.write(|tx| {
        Box::pin(async move {
            let done = match state {
                Some(s) => repo::set_state(&mut **tx, id, ak, s).await?,
                None => repo::delete_key(&mut **tx, id, ak).await?,
            };
            if !done {
                return Err(AppError::NotFound);
            }
            let target = Target::AccessKey(ak);
            let action = match state {
                Some("active") => "openapi.key_enable",
                Some(_) => "openapi.key_disable",
                None => "openapi.key_delete",
            };
            let actor = cx.actor.clone();
            actor.record(tx, action, target, "", now).await
        })
    })
    .await
}

/// Why a request is not authenticated; each becomes a 401 with its own code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthError {
    Missing,
    UnknownKey,
    BadSignature,
    Expired,
    Replayed,
    /// An `X-Auth-Token` that was never issued.
    UnknownToken,
    /// An `X-Auth-Token` past its 24 hours.
    TokenExpired,
}

impl AuthError {
    pub fn code(self) -> &'static str {
        match self {
            AuthError::Missing => "APIGW.0301",
            AuthError::UnknownKey => "APIGW.0301",
            AuthError::BadSignature => "APIGW.0301",
            AuthError::Expired => "APIGW.0303",
            AuthError::Replayed => "APIGW.0304",
            AuthError::UnknownToken => "APIGW.0301",
            AuthError::TokenExpired => "APIGW.0307",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            AuthError::Missing => {
                "Missing or malformed SDK-HMAC-SHA256 Authorization or X-Sdk-Date header."
            }
            // The same words for both: an answer must not tell whether an access key exists.
            AuthError::UnknownKey | AuthError::BadSignature => "Incorrect access key or signature.",
            AuthError::Expired => "X-Sdk-Date is more than 15 minutes from the server time.",
            AuthError::Replayed => "This signed request was already received.",
            AuthError::UnknownToken => "Incorrect X-Auth-Token.",
            AuthError::TokenExpired => "The X-Auth-Token has expired; request a new one.",
        }
    }
}

/// Authenticates a signed request: the user it acts as. For an operation that changes something
/// (`changes`), a signature already accepted is refused as a replay; a repeated read is answered
/// (the SDK signs to the second, so two identical reads in one second carry the same signature).
pub async fn authenticate(
    db: &Db,
    r: &signer::Request<'_>,
    changes: bool,
) -> Result<Result<SessionUser, AuthError>, AppError> {
    let count = |name: &str| {
        r.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .count()
    };
    let header = |name: &str| {
        r.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    // A header given twice is ambiguous (which one was signed?): refused before anything else.
    if count("authorization") > 1 || count("x-sdk-date") > 1 {
        return Ok(Err(AuthError::Missing));
    }
    let Some(auth) = header("authorization").and_then(Authorization::parse) else {
        return Ok(Err(AuthError::Missing));
    };
    if auth.signed_headers.iter().any(|h| count(h) > 1) {
        return Ok(Err(AuthError::Missing));
    }
    let Some(date) = header("x-sdk-date").and_then(signer::parse_sdk_date) else {
        return Ok(Err(AuthError::Missing));
    };
    // One clock for the window and the replay store: the database's, shared by every process.
    let now = db.clock_ms().await?;
    if (now - date).abs() > WINDOW_MS {
        return Ok(Err(AuthError::Expired));
    }
    let Some((sk, user)) = repo::active_key(&db.pool, &auth.access).await? else {
        return Ok(Err(AuthError::UnknownKey));
    };
    let sk = db.keys.open(&auth.access, &sk)?;
    match signer::verify(r, &auth, &sk) {
        Ok(()) => {}
        Err(Refusal::Malformed) => return Ok(Err(AuthError::Missing)),
        Err(Refusal::Mismatch) => return Ok(Err(AuthError::BadSignature)),
    }
    // Keyed on the canonical signature: any rewrite the check ignores maps to the same row. A
    // row may go once no request carrying its date can pass the window check (same clock).
    let (signature, access) = (&auth.canonical_signature(), &auth.access);
    let fresh = db
        .write(|tx| {
            Box::pin(async move {
                if changes
                    && !repo::remember_signature(tx, signature, date + WINDOW_MS, now).await?
                {
                    return Ok(false);
                }
                repo::touch(tx, access, now).await?;
                Ok(true)
            })
        })
        .await?;
    if !fresh {
        return Ok(Err(AuthError::Replayed));
    }
    match crate::accounts::service::session_user(db, user).await? {
        Some(u) if api_caller(&u) => Ok(Ok(u)),
        _ => Ok(Err(AuthError::UnknownKey)),
    }
}

/// Who may call the open API: a partner's administrator (access keys and tokens are created by
/// administrators only; a member whose role changed loses them at once).
fn api_caller(u: &SessionUser) -> bool {
    u.role == Role::Partner
        && u.partner
            .as_ref()
            .is_some_and(|p| p.role == crate::members::model::MemberRole::Admin)
}

/// How long a token of `POST /v3/auth/tokens` is valid.
pub const TOKEN_TTL_MS: i64 = 24 * 60 * 60 * 1000;

/// A token just issued: the only time it is seen; the database keeps its SHA-256.
pub struct IssuedToken {
    pub token: String,
    pub user: SessionUser,
    pub issued_at: i64,
    pub expires_at: i64,
}

use crate::server::security::token_hash;

/// Issues a token for a partner user's login and password. The sign-in goes through the console's
/// login, so failures are counted, throttled and audited the same way.
pub async fn issue_token(
    db: &Db,
    login: &str,
    password: &str,
    origin: &Origin,
) -> Result<IssuedToken, AppError> {
    let user = crate::accounts::service::login(db, login, password, origin).await?;
    partner_user(&user)?;
    let token = random(
        64,
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    );
    let now = now_ms();
    let expires_at = now + TOKEN_TTL_MS;
    let actor = Actor::user(&user, origin);
    let (hash, actor, login, user_id) = (&token_hash(&token), &actor, &user.login, user.id);
    db.write(|tx| {
        Box::pin(async move {
            repo::insert_token(tx, hash, user_id, now, expires_at).await?;
            let target = Target::Named(login);
            actor
                .record(tx, "openapi.token_issue", target, "", now)
                .await
        })
    })
    .await?;
    Ok(IssuedToken {
        token,
        user,
        issued_at: now,
        expires_at,
    })
}

/// Authenticates an `X-Auth-Token`: the partner user it was issued to.
pub async fn authenticate_token(
    db: &Db,
    token: &str,
) -> Result<Result<SessionUser, AuthError>, AppError> {
    let Some((user, expires_at)) = repo::token(&db.pool, &token_hash(token.trim())).await? else {
        return Ok(Err(AuthError::UnknownToken));
    };
    if now_ms() >= expires_at {
        return Ok(Err(AuthError::TokenExpired));
    }
    match crate::accounts::service::session_user(db, user).await? {
        Some(u) if api_caller(&u) => Ok(Ok(u)),
        _ => Ok(Err(AuthError::UnknownToken)),
    }
}

/// Seals every secret key not yet sealed under the current master key: plaintext rows of an
/// older version (on start) and rows of a previous key (`admin rotate-master-key`). Each row is
/// rewritten only if it still holds what was read. Returns how many rows changed.
pub async fn reseal_keys(db: &Db) -> Result<u64, AppError> {
    let mut changed = 0;
    for (ak, stored) in repo::all_secrets(&db.pool).await? {
        if db.keys.is_current(&stored) {
            continue;
        }
        let plain = if crate::server::secrets::Keyring::is_sealed(&stored) {
            // A row whose key is not configured stays as it is (and is counted by the caller).
            match db.keys.open(&ak, &stored) {
                Ok(p) => p,
                Err(_) => continue,
            }
        } else {
            stored.clone()
        };
        let sealed = db.keys.seal(&ak, &plain)?;
        if repo::replace_secret(&db.pool, &ak, &stored, &sealed).await? {
            changed += 1;
        }
    }
    Ok(changed)
}

/// How many stored secrets are not sealed under the current master key.
pub async fn stale_keys(db: &Db) -> Result<usize, AppError> {
    Ok(repo::all_secrets(&db.pool)
        .await?
        .iter()
        .filter(|(_, stored)| !db.keys.is_current(stored))
        .count())
}

/// Checks an `X-Client-Token` against the request it comes with: the same key for another
/// request (another operation or body) is refused, as a reused 交易流水号 is in the console.
pub async fn claim_client_token(
    db: &Db,
    user: &SessionUser,
    token: &str,
    method: &str,
    path: &str,
    body: &[u8],
) -> Result<(), AppError> {
    let (_, partner) = partner_user(user)?;
    let mut request = format!("{method} {path}\n").into_bytes();
    request.extend_from_slice(body);
    let hash = signer::hex_sha256(&request);
    let scope = crate::idempotency::Scope::Api(partner).to_string();
    let r = crate::idempotency::Request {
        scope: &scope,
        key: token,
        hash: &hash,
    };
    let now = now_ms();
    db.write(|tx| Box::pin(crate::idempotency::claim(tx, r, now)))
        .await
}
