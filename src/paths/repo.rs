//! SQL of development paths.

use super::model::{Application, Evidence, Facts};
use crate::query_fn;
use crate::server::db::Pool;
use sqlx::{Any, Executor, FromRow};

query_fn! {
    pub fn memberships(partner: i64) -> all (String, i64) =
        query_as("SELECT path, joined_at FROM path_memberships WHERE partner_id = $1 ORDER BY joined_at, id");

    /// Joins a path; `false` when the partner is on it already.
    pub fn insert_membership(partner: i64, path: &str, now: i64) -> changed =
        query("INSERT INTO path_memberships (partner_id, path, joined_at) VALUES ($1, $2, $3) \
             ON CONFLICT (partner_id, path) DO NOTHING");
}

/// The facts a path's requirements are computed from. Only approved evidence counts; employee
/// certificates count while their holder is an associated, real-name-verified employee; cases
/// count when delivered at or after `cases_since`.
pub async fn facts(
    pool: &Pool,
    partner: i64,
    path: &str,
    cases_since: i64,
) -> Result<Facts, sqlx::Error> {
    // One statement: the certified employees, the other approved evidence by kind, the resellers.
    let row: FactsRow = sqlx::query_as(
        "SELECT c.people, c.certificates, k.cases, k.offerings, k.labels, k.solutions, k.courses, r.resellers FROM \
           (SELECT COUNT(DISTINCT e.holder_user_id) AS people, COUNT(*) AS certificates FROM path_evidence e \
              JOIN employee_links l ON l.user_id = e.holder_user_id AND l.partner_id = e.partner_id AND l.state = 'active' \
              JOIN users u ON u.id = e.holder_user_id AND u.real_name_verified = 1 \
            WHERE e.partner_id = $1 AND e.path = $2 AND e.kind = 'employee_cert' AND e.state = 'approved') c, \
           (SELECT COUNT(CASE WHEN kind = 'case' AND occurred_at >= $3 THEN 1 END) AS cases, \
                   COUNT(CASE WHEN kind = 'offering' THEN 1 END) AS offerings, \
                   COUNT(CASE WHEN kind = 'label' THEN 1 END) AS labels, \
                   COUNT(CASE WHEN kind = 'solution' THEN 1 END) AS solutions, \
                   COUNT(CASE WHEN kind = 'course' THEN 1 END) AS courses \
              FROM path_evidence WHERE partner_id = $1 AND path = $2 AND state = 'approved') k, \
           (SELECT COUNT(*) AS resellers FROM partners WHERE parent_id = $1 AND kind = 'reseller') r",
    )
    .bind(partner)
    .bind(path)
    .bind(cases_since)
    .fetch_one(pool)
    .await?;
    Ok(Facts {
        certified_people: row.people,
        certificates: row.certificates,
        recent_cases: row.cases,
        offerings: row.offerings,
        labels: row.labels,
        solutions: row.solutions,
        courses: row.courses,
        resellers: row.resellers,
    })
}

#[derive(FromRow)]
struct FactsRow {
    people: i64,
    certificates: i64,
    cases: i64,
    offerings: i64,
    labels: i64,
    solutions: i64,
    courses: i64,
    resellers: i64,
}

#[derive(FromRow)]
pub struct CertRow {
    pub stage: String,
    pub state: String,
    pub certified_at: i64,
    pub valid_until: i64,
    pub revoked_reason: String,
}

query_fn! {
    pub fn certifications(partner: i64, path: &str) -> all CertRow =
        query_as("SELECT stage, state, certified_at, valid_until, revoked_reason FROM path_certifications \
             WHERE partner_id = $1 AND path = $2");

    /// The active certification's validity end, if the partner holds the stage.
    pub fn active_certification(partner: i64, path: &str, stage: &str) -> optional i64 =
        query_scalar("SELECT valid_until FROM path_certifications \
             WHERE partner_id = $1 AND path = $2 AND stage = $3 AND state = 'active'");

    /// Grants (or grants again) a stage.
    pub fn certify(partner: i64, path: &str, stage: &str, now: i64, valid_until: i64) -> done =
        query("INSERT INTO path_certifications (partner_id, path, stage, state, certified_at, valid_until) \
             VALUES ($1, $2, $3, 'active', $4, $5) \
             ON CONFLICT (partner_id, path, stage) DO UPDATE SET state = 'active', certified_at = $4, \
               valid_until = $5, revoked_reason = '', revoked_at = NULL");

    pub fn extend_certification(partner: i64, path: &str, stage: &str, valid_until: i64) -> done =
        query("UPDATE path_certifications SET valid_until = $4 \
             WHERE partner_id = $1 AND path = $2 AND stage = $3 AND state = 'active'");

    pub fn revoke_certification(partner: i64, path: &str, stage: &str, reason: &str, now: i64) -> done =
        query("UPDATE path_certifications SET state = 'revoked', revoked_reason = $4, revoked_at = $5 \
             WHERE partner_id = $1 AND path = $2 AND stage = $3");
}

const APPLICATION: &str = "SELECT a.id, a.partner_id, p.name AS partner_name, a.path, a.stage, a.review_year, \
       a.state, a.reason, a.created_at, a.decided_at \
     FROM path_applications a JOIN partners p ON p.id = a.partner_id";

query_fn! {
    /// A partner's applications on a path, newest first.
    pub fn applications(partner: i64, path: &str) -> all Application =
        query_as(&format!(
            "{APPLICATION} WHERE a.partner_id = $1 AND a.path = $2 ORDER BY a.id DESC LIMIT 50"
        ));

    /// One page of the pending applications, oldest first.
    pub fn pending_applications(limit: i64, offset: i64) -> all Application =
        query_as(&format!(
        "{APPLICATION} WHERE a.state = 'pending' ORDER BY a.id LIMIT $1 OFFSET $2"
    ));

    pub fn pending_application_count() -> one i64 =
        query_scalar("SELECT COUNT(*) FROM path_applications WHERE state = 'pending'");

    pub fn application(id: i64) -> optional Application =
        query_as(&format!("{APPLICATION} WHERE a.id = $1"));
}

pub struct NewApplication<'a> {
    pub partner: i64,
    pub path: &'a str,
    pub stage: &'a str,
    pub review_year: Option<i64>,
    pub now: i64,
}

impl NewApplication<'_> {
    fn kind(&self) -> &'static str {
        if self.review_year.is_some() {
            "review"
        } else {
            "certification"
        }
    }
}

query_fn! {
    /// Files an application; a unique violation means one is pending already.
    pub fn insert_application(a: &NewApplication<'_>) -> one i64 =
        query_scalar("INSERT INTO path_applications (partner_id, path, stage, kind, review_year, state, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'pending', $6) RETURNING id")
        binding (a.partner, a.path, a.stage, a.kind(), a.review_year, a.now);

    /// The state of a partner's review application for a stage in a year, if any (the latest).
    pub fn review_state(partner: i64, path: &str, stage: &str, year: i64) -> optional String =
        query_scalar("SELECT state FROM path_applications WHERE partner_id = $1 AND path = $2 AND stage = $3 \
               AND kind = 'review' AND review_year = $4 ORDER BY id DESC LIMIT 1");
}

/// Decides a pending application or evidence (`table`); `false` when it is not pending.
pub async fn decide<'e>(
    ex: impl Executor<'e, Database = Any>,
    table: Decided,
    id: i64,
    state: &str,
    reason: &str,
    now: i64,
    by: &str,
) -> Result<bool, sqlx::Error> {
    let table = match table {
        Decided::Application => "path_applications",
        Decided::Evidence => "path_evidence",
    };
    let r = sqlx::query(&format!(
        "UPDATE {table} SET state = $2, reason = $3, decided_at = $4, decided_by = $5 \
         WHERE id = $1 AND state = 'pending'"
    ))
    .bind(id)
    .bind(state)
    .bind(reason)
    .bind(now)
    .bind(by)
    .execute(ex)
    .await?;
    Ok(r.rows_affected() == 1)
}

#[derive(Debug, Clone, Copy)]
pub enum Decided {
    Application,
    Evidence,
}

const EVIDENCE: &str = "SELECT e.id, e.partner_id, p.name AS partner_name, e.path, e.kind, e.title, \
       u.login AS holder, e.occurred_at, e.state, e.reason, e.created_at \
     FROM path_evidence e JOIN partners p ON p.id = e.partner_id LEFT JOIN users u ON u.id = e.holder_user_id";

query_fn! {
    pub fn evidence(partner: i64, path: &str) -> all Evidence =
        query_as(&format!(
            "{EVIDENCE} WHERE e.partner_id = $1 AND e.path = $2 ORDER BY e.id DESC LIMIT 200"
        ));

    /// One page of the pending evidence, oldest first.
    pub fn pending_evidence(limit: i64, offset: i64) -> all Evidence =
        query_as(&format!(
        "{EVIDENCE} WHERE e.state = 'pending' ORDER BY e.id LIMIT $1 OFFSET $2"
    ));

    pub fn pending_evidence_count() -> one i64 =
        query_scalar("SELECT COUNT(*) FROM path_evidence WHERE state = 'pending'");
}

pub struct NewEvidence<'a> {
    pub partner: i64,
    pub path: &'a str,
    pub kind: &'a str,
    pub title: &'a str,
    pub holder: Option<i64>,
    pub occurred_at: Option<i64>,
    pub now: i64,
}

query_fn! {
    pub fn insert_evidence(e: &NewEvidence<'_>) -> one i64 =
        query_scalar("INSERT INTO path_evidence (partner_id, path, kind, title, holder_user_id, occurred_at, state, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7) RETURNING id")
        binding (e.partner, e.path, e.kind, e.title, e.holder, e.occurred_at, e.now);
}

/// The partner's currently associated employees: (user id, login, real-name verified).
pub async fn employees(pool: &Pool, partner: i64) -> Result<Vec<(i64, String, bool)>, sqlx::Error> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT u.id, u.login, u.real_name_verified FROM employee_links l JOIN users u ON u.id = l.user_id \
         WHERE l.partner_id = $1 AND l.state = 'active' ORDER BY u.login",
    )
    .bind(partner)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(i, l, v)| (i, l, v == 1)).collect())
}

#[derive(FromRow, Clone)]
pub struct WindowRow {
    pub id: i64,
    pub year: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub covers: String,
}

query_fn! {
    pub fn insert_window(w: &WindowRow, now: i64, by: &str) -> one i64 =
        query_scalar("INSERT INTO review_windows (year, starts_at, ends_at, covers, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        binding (w.year, w.starts_at, w.ends_at, &w.covers, now, by);

    /// Moves a window that has not opened yet (`false` once it opened, or if there is none).
    pub fn update_window(conn, id: i64, starts_at: i64, ends_at: i64, covers: &str, now: i64) -> changed =
        query("UPDATE review_windows SET starts_at = $2, ends_at = $3, covers = $4 \
               WHERE id = $1 AND starts_at > $5");

    /// Ends an open window now (`false` unless it is open).
    pub fn close_window(conn, id: i64, now: i64) -> changed =
        query("UPDATE review_windows SET ends_at = $2 WHERE id = $1 AND starts_at < $2 AND ends_at > $2");

    pub fn windows() -> all WindowRow =
        query_as("SELECT id, year, starts_at, ends_at, covers FROM review_windows ORDER BY starts_at DESC, id DESC LIMIT 50");

    /// Windows open at `now`.
    pub fn open_windows(now: i64) -> all WindowRow =
        query_as("SELECT id, year, starts_at, ends_at, covers FROM review_windows \
             WHERE starts_at <= $1 AND ends_at >= $1 ORDER BY id");

    pub fn insert_invitation(partner: i64, email: &str, token_hash: &str, expires_at: i64, now: i64) -> one i64 =
        query_scalar("INSERT INTO path_invitations (partner_id, email, token_hash, state, expires_at, created_at) \
             VALUES ($1, $2, $3, 'sent', $4, $5) RETURNING id");

    /// (id, partner, partner name, state, expires_at) of an invitation by its token's hash.
    pub fn invitation(token_hash: &str) -> optional (i64, i64, String, String, i64) =
        query_as("SELECT i.id, i.partner_id, p.name, i.state, i.expires_at FROM path_invitations i \
               JOIN partners p ON p.id = i.partner_id WHERE i.token_hash = $1");

    /// Uses an invitation; `false` when it was used (or cancelled) meanwhile.
    pub fn use_invitation(id: i64, now: i64) -> changed =
        query("UPDATE path_invitations SET state = 'used', used_at = $2 WHERE id = $1 AND state = 'sent'");

    /// (name, hcpn state, kind) of a partner.
    pub fn partner(id: i64) -> optional (String, String, String) =
        query_as("SELECT name, hcpn_state, kind FROM partners WHERE id = $1");

    /// (partner, email, state) of an invitation by id.
    pub fn invitation_by_id(conn, id: i64) -> optional (i64, String, String) =
        query_as("SELECT partner_id, email, state FROM path_invitations WHERE id = $1");

    /// Cancels an invitation that was sent and not used (`false` otherwise).
    pub fn cancel_invitation(conn, id: i64) -> changed =
        query("UPDATE path_invitations SET state = 'cancelled' WHERE id = $1 AND state = 'sent'");

    /// (partner, title) of evidence.
    pub fn evidence_owner(id: i64) -> optional (i64, String) =
        query_as("SELECT partner_id, title FROM path_evidence WHERE id = $1");
}

/// A certification whose validity has ended.
#[derive(FromRow)]
pub struct DueCertification {
    pub partner_id: i64,
    pub path: String,
    pub stage: String,
}

query_fn! {
    /// Active certifications whose validity ended by `now`, roles first.
    pub fn due_certifications(conn, now: i64, limit: i64) -> all DueCertification =
        query_as("SELECT partner_id, path, stage FROM path_certifications \
             WHERE state = 'active' AND valid_until <= $1 ORDER BY valid_until, stage DESC, id LIMIT $2");

    /// Ends an active certification: `state` is 'expired' (validity over) or 'revoked' (a
    /// review failed or never came); `false` when it was not active.
    pub fn end_certification(conn, partner: i64, path: &str, stage: &str, state: &str, reason: &str, now: i64) -> changed =
        query("UPDATE path_certifications SET state = $4, revoked_reason = $5, revoked_at = $6 \
             WHERE partner_id = $1 AND path = $2 AND stage = $3 AND state = 'active'");

    /// Review windows that opened by `now` and closed after `since`.
    pub fn windows_in_play(now: i64, since: i64) -> all WindowRow =
        query_as("SELECT id, year, starts_at, ends_at, covers FROM review_windows \
             WHERE starts_at <= $1 AND ends_at >= $2 ORDER BY id");

    /// Partners that hold `path`'s `stage` since before the window opened, have no pending or
    /// approved review of the window's year, and were not yet sent the notice `kind`.
    #[allow(clippy::too_many_arguments)]
    pub fn review_due(conn, window: i64, path: &str, stage: &str, opened: i64, year: i64, kind: &str, limit: i64) -> all i64 =
        query_scalar("SELECT c.partner_id FROM path_certifications c \
             WHERE c.path = $2 AND c.stage = $3 AND c.state = 'active' AND c.certified_at < $4 \
               AND NOT EXISTS (SELECT 1 FROM path_applications a WHERE a.partner_id = c.partner_id \
                 AND a.path = $2 AND a.stage = $3 AND a.kind = 'review' AND a.review_year = $5 \
                 AND a.state IN ('pending', 'approved')) \
               AND NOT EXISTS (SELECT 1 FROM review_notices n WHERE n.window_id = $1 \
                 AND n.partner_id = c.partner_id AND n.path = $2 AND n.stage = $3 AND n.kind = $6) \
             ORDER BY c.partner_id LIMIT $7");

    /// Records a review notice; `false` when it was already sent.
    pub fn record_notice(conn, window: i64, partner: i64, path: &str, stage: &str, kind: &str, now: i64) -> changed =
        query("INSERT INTO review_notices (window_id, partner_id, path, stage, kind, sent_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING");
}

/// Every distributor-path invitation, newest first.
pub async fn invitations(
    pool: &Pool,
    page: crate::domain::PageRequest,
) -> Result<(Vec<super::model::OperatorInvitation>, i64), sqlx::Error> {
    crate::server::sql::Where::new()
        .page(
            pool,
            "i.id, i.partner_id, p.name AS partner_name, i.email, i.state, i.expires_at, i.created_at, i.used_at",
            "FROM path_invitations i JOIN partners p ON p.id = i.partner_id",
            "i.id DESC",
            page,
        )
        .await
}
