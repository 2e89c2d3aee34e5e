//! SQL of the plans domain: applications and certificates.

use super::model::{ApplicationForm, ApplicationState, Plan};
use crate::domain::PageRequest;
use crate::query_fn;
use crate::server::sql::Where;
use sqlx::{Any, AnyConnection, AnyPool, Executor, FromRow};

#[derive(FromRow)]
pub struct ApplicationRow {
    pub id: i64,
    pub partner_id: i64,
    pub partner_name: String,
    pub plan: Plan,
    pub state: ApplicationState,
    pub contact_name: String,
    pub contact_phone: String,
    pub statement: String,
    pub reason: Option<String>,
    pub submitted_at: i64,
    pub decided_at: Option<i64>,
}

const APPLICATION_COLUMNS: &str = "a.id, a.partner_id, p.name AS partner_name, a.plan, a.state, \
     a.contact_name, a.contact_phone, a.statement, a.reason, a.submitted_at, a.decided_at";

#[derive(FromRow)]
pub struct CertificateRow {
    pub id: i64,
    pub number: String,
    pub partner_id: i64,
    pub partner_name: String,
    pub subject_kind: String,
    pub subject: String,
    pub issued_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    pub revoke_reason: Option<String>,
}

const CERTIFICATE_COLUMNS: &str = "id, number, partner_id, partner_name, subject_kind, subject, \
     issued_at, expires_at, revoked_at, revoke_reason";

pub async fn insert_application(
    conn: &mut AnyConnection,
    partner: i64,
    plan: &str,
    form: &ApplicationForm,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO plan_applications \
             (partner_id, plan, state, contact_name, contact_phone, statement, submitted_at) \
         VALUES ($1, $2, 'pending', $3, $4, $5, $6) RETURNING id",
    )
    .bind(partner)
    .bind(plan)
    .bind(&form.contact_name)
    .bind(&form.contact_phone)
    .bind(&form.statement)
    .bind(now)
    .fetch_one(conn)
    .await
}

query_fn! {
    /// The partner's applications, newest first.
    pub fn applications_of(partner: i64) -> all ApplicationRow =
        query_as(&format!(
            "SELECT {APPLICATION_COLUMNS} FROM plan_applications a JOIN partners p ON p.id = a.partner_id \
             WHERE a.partner_id = $1 ORDER BY a.submitted_at DESC, a.id DESC"
        ));

    pub fn application(id: i64) -> optional ApplicationRow =
        query_as(&format!(
            "SELECT {APPLICATION_COLUMNS} FROM plan_applications a JOIN partners p ON p.id = a.partner_id \
             WHERE a.id = $1"
        ));
}

/// Applications in a state (all states when `None`), oldest first, for the operator.
pub async fn applications_in(
    pool: &AnyPool,
    state: Option<&str>,
    page: PageRequest,
) -> Result<(Vec<super::model::ReviewItem>, i64), sqlx::Error> {
    Where::new()
        .and_some("a.state = ?1", state)
        .page(
            pool,
            APPLICATION_COLUMNS,
            "FROM plan_applications a JOIN partners p ON p.id = a.partner_id",
            "a.submitted_at, a.id",
            page,
        )
        .await
}

query_fn! {
    /// Moves a pending application to its decision. `false` when it was no longer pending (another
    /// operator decided first): the conditional update is the guard against deciding twice.
    pub fn decide(conn, id: i64, state: &str, reason: Option<&str>, operator: i64, now: i64) -> changed =
        query("UPDATE plan_applications SET state = $2, reason = $3, decided_at = $5, decided_by = $4 \
         WHERE id = $1 AND state = 'pending'");
}

pub struct NewCertificate<'a> {
    pub number: &'a str,
    pub partner: i64,
    pub partner_name: &'a str,
    pub subject_kind: &'a str,
    pub subject: &'a str,
    pub application: Option<i64>,
    pub issued_at: i64,
    pub expires_at: i64,
}

pub async fn insert_certificate(
    conn: &mut AnyConnection,
    c: &NewCertificate<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO certificates (number, partner_id, partner_name, subject_kind, subject, \
             application_id, issued_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(c.number)
    .bind(c.partner)
    .bind(c.partner_name)
    .bind(c.subject_kind)
    .bind(c.subject)
    .bind(c.application)
    .bind(c.issued_at)
    .bind(c.expires_at)
    .fetch_one(conn)
    .await
}

query_fn! {
    /// The partner's certificates for a subject kind, newest first.
    pub fn certificates_of(partner: i64, subject_kind: &str) -> all CertificateRow =
        query_as(&format!(
            "SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE partner_id = $1 AND subject_kind = $2 \
             ORDER BY issued_at DESC, id DESC"
        ));
}

/// Whether the partner holds a certificate for the subject that is in force at `now`.
pub async fn holds_valid<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner: i64,
    subject_kind: &str,
    subject: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM certificates WHERE partner_id = $1 AND subject_kind = $2 \
         AND subject = $3 AND revoked_at IS NULL AND expires_at > $4",
    )
    .bind(partner)
    .bind(subject_kind)
    .bind(subject)
    .bind(now)
    .fetch_one(ex)
    .await?;
    Ok(n > 0)
}

query_fn! {
    pub fn certificate(number: &str) -> optional CertificateRow =
        query_as(&format!(
            "SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE number = $1"
        ));

    /// Revokes a certificate that is not revoked yet; `false` if there was none to revoke.
    pub fn revoke(conn, number: &str, reason: &str, now: i64) -> changed =
        query("UPDATE certificates SET revoked_at = $3, revoke_reason = $2 \
         WHERE number = $1 AND revoked_at IS NULL");

    /// The partner's name (for the certificate) and kind and onboarding state (for eligibility).
    pub fn partner_profile(partner: i64) -> optional (String, String, String) =
        query_as("SELECT name, kind, hcpn_state FROM partners WHERE id = $1");
}
