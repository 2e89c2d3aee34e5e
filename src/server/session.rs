//! Sessions stored in the application's own database, so several server processes sharing one
//! PostgreSQL see the same sign-ins. Only the user id is kept in a session; the user row is read
//! on each request, so a deleted account is signed out at once.

use super::db::{Db, now_ms};
use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

pub const USER_ID_KEY: &str = "uid";
/// The user's session epoch when this session signed in (see `users.session_epoch`).
pub const EPOCH_KEY: &str = "ep";
pub const COOKIE_NAME: &str = "pc_session";

/// A session ends this long after it was created (at sign-in), however active it is; the idle
/// limit (8 hours without a request) ends it sooner.
pub const ABSOLUTE_LIFETIME_MS: i64 = 12 * 60 * 60 * 1000;

/// What the table keys a session on: the SHA-256 of its id, so the database holds no cookie
/// that could be replayed.
fn key(id: &Id) -> String {
    super::security::token_hash(&id.to_string())
}

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: Db,
}

crate::query_fn! {
    fn insert_new(conn, id: &str, data: &str, expires: i64, now: i64) -> changed =
        query("INSERT INTO sessions (id, data, expires_at, created_at) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (id) DO NOTHING");

    fn upsert(conn, id: &str, data: &str, expires: i64, now: i64) -> done =
        query("INSERT INTO sessions (id, data, expires_at, created_at) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at");

    /// The data and expiry (unix ms) of a live session: idle and absolute limits both hold.
    fn live(id: &str, now: i64, created_after: i64) -> optional (String, i64) =
        query_as("SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2 AND created_at > $3");

    fn remove(conn, id: &str) -> done = query("DELETE FROM sessions WHERE id = $1");

    fn remove_expired(conn, now: i64, created_before: i64) -> count =
        query("DELETE FROM sessions WHERE expires_at < $1 OR created_at < $2");
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        DbSessionStore { db }
    }

    /// Removes expired sessions; run periodically by the server.
    pub async fn delete_expired(&self) -> Result<u64, crate::error::AppError> {
        let now = now_ms();
        self.db
            .write(|tx| {
                Box::pin(async move {
                    Ok(remove_expired(&mut *tx, now, now - ABSOLUTE_LIFETIME_MS).await?)
                })
            })
            .await
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn encode(record: &Record) -> session_store::Result<(String, i64)> {
    let data = serde_json::to_string(&record.data)
        .map_err(|e| session_store::Error::Encode(e.to_string()))?;
    let expires = record.expiry_date.unix_timestamp().saturating_mul(1000);
    Ok((data, expires))
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let (data, expires) = encode(record)?;
        // A fresh random id collides with probability ~2^-128; loop anyway rather than overwrite.
        // Sessions are written through the one write path like everything else: on SQLite they
        // queue with the other writers instead of meeting them in the busy handler.
        loop {
            let (id, data) = (&key(&record.id), &data);
            let created = self
                .db
                .write(|tx| {
                    Box::pin(
                        async move { Ok(insert_new(&mut *tx, id, data, expires, now_ms()).await?) },
                    )
                })
                .await
                .map_err(backend)?;
            if created {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let (data, expires) = encode(record)?;
        let (id, data) = (&key(&record.id), &data);
        self.db
            .write(|tx| {
                Box::pin(async move { Ok(upsert(&mut *tx, id, data, expires, now_ms()).await?) })
            })
            .await
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = now_ms();
        let row = live(&self.db.pool, &key(id), now, now - ABSOLUTE_LIFETIME_MS)
            .await
            .map_err(backend)?;
        let Some((data, expires)) = row else {
            return Ok(None);
        };
        let data =
            serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date =
            tower_sessions::cookie::time::OffsetDateTime::from_unix_timestamp(expires / 1000)
                .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let id = &key(id);
        self.db
            .write(|tx| Box::pin(async move { Ok(remove(&mut *tx, id).await?) }))
            .await
            .map_err(backend)
    }
}

/// Loads the signed-in user of a page request into its extensions, where the app reads it
/// while rendering (`ui::Auth`). Server functions and static files skip it.
pub async fn load_user(
    axum::extract::State(state): axum::extract::State<super::state::AppState>,
    session: tower_sessions::Session,
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = req.uri().path();
    let page = req.method() == axum::http::Method::GET
        && !path.starts_with("/api/")
        && !path.starts_with("/pkg/")
        && path != "/healthz";
    if page {
        let user = user_of(&state.db, &session).await.ok().flatten();
        req.extensions_mut()
            .insert(crate::accounts::model::CurrentUser(user));
    }
    next.run(req).await
}

/// For plain handlers (downloads): the signed-in user, who must have the given role (and, a
/// partner member, work in the area of `path`).
pub async fn require_user(
    db: &super::db::Db,
    session: &tower_sessions::Session,
    role: crate::domain::Role,
    path: &str,
) -> Result<crate::accounts::model::SessionUser, crate::error::AppError> {
    use crate::error::AppError;
    let user = user_of(db, session)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if user.must_change_password {
        return Err(AppError::conflict("error.password.must_change"));
    }
    if user.role != role || !user.may_open(path) {
        return Err(AppError::Forbidden);
    }
    Ok(user)
}

/// The signed-in user of a session: its user, while enabled and while the session's epoch is the
/// user's (a password change ends the other sessions).
pub async fn user_of(
    db: &Db,
    session: &tower_sessions::Session,
) -> Result<Option<crate::accounts::model::SessionUser>, crate::error::AppError> {
    let Some(id) = session.get::<i64>(USER_ID_KEY).await? else {
        return Ok(None);
    };
    let epoch = session.get::<i64>(EPOCH_KEY).await?.unwrap_or(0);
    crate::accounts::service::session_user_at(db, id, epoch).await
}

/// Signs `user` in on this session: a new session id (so one fixed before sign-in is worthless),
/// the user and its current epoch.
pub async fn sign_in(
    session: &tower_sessions::Session,
    user: &crate::accounts::model::SessionUser,
) -> Result<(), crate::error::AppError> {
    session.cycle_id().await?;
    session.insert(USER_ID_KEY, user.id).await?;
    session.insert(EPOCH_KEY, user.epoch).await?;
    Ok(())
}
