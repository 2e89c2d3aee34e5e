//! Replaying and remembering answers inside the write path's transaction.

use super::repo;
use crate::error::AppError;
use crate::server::db::{Db, Tx, WriteFuture, is_unique_violation};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// What an idempotent request answers. A replayed answer may say so (`replayed: true` on the
/// wire), which is what [`Answer::replayed`] is for.
pub trait Answer: Serialize + DeserializeOwned {
    fn replayed(self) -> Self {
        self
    }
}

impl Answer for serde_json::Value {}

/// One idempotent request: whose key, the key, and what the request asks (its hash).
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub scope: &'a str,
    pub key: &'a str,
    pub hash: &'a str,
}

/// The answer to an earlier copy of this request, if there was one; refused when the key was
/// used for another request.
pub async fn replay<T: Answer>(tx: &mut Tx<'_>, r: Request<'_>) -> Result<Option<T>, AppError> {
    answer(repo::find(&mut **tx, r.scope, r.key).await?, r)
}

fn answer<T: Answer>(
    found: Option<(String, String)>,
    r: Request<'_>,
) -> Result<Option<T>, AppError> {
    let Some((hash, result)) = found else {
        return Ok(None);
    };
    if hash != r.hash {
        return Err(crate::funds::FundsError::TransIdReused.conflict());
    }
    serde_json::from_str(&result)
        .map(|a: T| Some(a.replayed()))
        .map_err(|e| {
            tracing::error!(error = %e, scope = r.scope, "stored answer does not decode");
            AppError::Internal
        })
}

/// Stores this request's answer with the work that produced it. Another copy that stored its
/// answer first makes this attempt start again (`AppError::Busy`), and then replay that one.
pub async fn remember<T: Answer>(
    tx: &mut Tx<'_>,
    r: Request<'_>,
    result: &T,
    now: i64,
) -> Result<(), AppError> {
    let result = serde_json::to_string(result).map_err(|_| AppError::Internal)?;
    match repo::insert(&mut **tx, r.scope, r.key, r.hash, &result, now).await {
        Ok(()) => Ok(()),
        Err(e) if is_unique_violation(&e) => Err(AppError::Busy),
        Err(e) => Err(e.into()),
    }
}

/// Records that `r.key` names `r.hash`, with no answer to replay (the open API's
/// `X-Client-Token`, whose operations replay on their own keys): the same key with another
/// request is refused.
pub async fn claim(tx: &mut Tx<'_>, r: Request<'_>, now: i64) -> Result<(), AppError> {
    if replay::<serde_json::Value>(tx, r).await?.is_none() {
        remember(tx, r, &serde_json::Value::Null, now).await?;
    }
    Ok(())
}

/// Runs an idempotent write (which [`replay`]s and [`remember`]s inside `work`) through the one
/// write path. A refusal may come from the work of a concurrent copy of this very request that
/// committed after this one looked for it (PostgreSQL reads committed rows statement by
/// statement): then that copy's answer is the answer, as it would have been a moment later.
pub async fn settle<'a, T, F>(db: &'a Db, r: Request<'_>, work: F) -> Result<T, AppError>
where
    T: Answer + Send,
    F: for<'t> FnMut(&'t mut Tx<'a>) -> WriteFuture<'t, T> + Send,
{
    match db.write(work).await {
        Err(AppError::Conflict(key)) => {
            match answer(repo::find(&db.pool, r.scope, r.key).await?, r) {
                Ok(Some(prev)) => Ok(prev),
                _ => Err(AppError::Conflict(key)),
            }
        }
        other => other,
    }
}
