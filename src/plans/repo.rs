//! SQL of the plans domain: applications and certificates.

use super::model::{ApplicationForm, Certificate, ReviewItem};
use crate::domain::PageRequest;
use crate::query_fn;
use crate::server::db::Pool;
use crate::server::sql::Where;
use sqlx::FromRow;

const APPLICATION_COLUMNS: &str = "a.id, a.partner_id, p.name AS partner_name, a.plan, a.state, \
     a.contact_name, a.contact_phone, a.statement, a.reason, a.submitted_at, a.decided_at";

/// A certificate row: its owner, and the certificate (its state still to be set).
#[derive(FromRow)]
pub struct CertificateRow {
    pub partner_id: i64,
    #[sqlx(flatten)]
    pub cert: Certificate,
}

const CERTIFICATE_COLUMNS: &str = "id, number, partner_id, partner_name, subject_kind, subject, \
     issued_at, expires_at, revoked_at, revoke_reason";

query_fn! {
    pub fn insert_application(conn, partner: i64, plan: &str, form: &ApplicationForm, now: i64) -> one i64 =
        query_scalar("INSERT INTO plan_applications \
             (partner_id, plan, state, contact_name, contact_phone, statement, submitted_at) \
         VALUES ($1, $2, 'pending', $3, $4, $5, $6) RETURNING id")
        binding (partner, plan, &form.contact_name, &form.contact_phone, &form.statement, now);

    /// The partner's applications, newest first.
    pub fn applications_of(partner: i64) -> all ReviewItem =
        query_as(&format!(
            "SELECT {APPLICATION_COLUMNS} FROM plan_applications a JOIN partners p ON p.id = a.partner_id \
             WHERE a.partner_id = $1 ORDER BY a.submitted_at DESC, a.id DESC"
        ));

    pub fn application(id: i64) -> optional ReviewItem =
        query_as(&format!(
            "SELECT {APPLICATION_COLUMNS} FROM plan_applications a JOIN partners p ON p.id = a.partner_id \
             WHERE a.id = $1"
        ));
}

/// Applications in a state (all states when `None`), oldest first, for the operator.
pub async fn applications_in(
    pool: &Pool,
    state: Option<&str>,
    like: &str,
    sort: &crate::domain::SortBy,
    page: PageRequest,
) -> Result<(Vec<ReviewItem>, i64), sqlx::Error> {
    let order = sort.order(
        &[("submitted", "a.submitted_at"), ("partner", "p.name")],
        "a.submitted_at, a.id",
    );
    Where::new()
        .and_some("a.state = ?1", state)
        .and_some(
            "LOWER(p.name) LIKE ?1 ESCAPE '\\'",
            Some(like).filter(|l| !l.is_empty()),
        )
        .page(
            pool,
            APPLICATION_COLUMNS,
            "FROM plan_applications a JOIN partners p ON p.id = a.partner_id",
            &order,
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

query_fn! {
    pub fn insert_certificate(conn, c: &NewCertificate<'_>) -> one i64 =
        query_scalar("INSERT INTO certificates (number, partner_id, partner_name, subject_kind, subject, \
             application_id, issued_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
        binding (c.number, c.partner, c.partner_name, c.subject_kind, c.subject, c.application, c.issued_at, c.expires_at);

    /// The partner's certificates for a subject kind, newest first.
    pub fn certificates_of(partner: i64, subject_kind: &str) -> all CertificateRow =
        query_as(&format!(
            "SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE partner_id = $1 AND subject_kind = $2 \
             ORDER BY issued_at DESC, id DESC"
        ));

    /// Whether the partner holds a certificate for the subject that is in force at `now`.
    pub fn holds_valid(partner: i64, subject_kind: &str, subject: &str, now: i64) -> exists =
        query_scalar("SELECT COUNT(*) FROM certificates WHERE partner_id = $1 AND subject_kind = $2 \
         AND subject = $3 AND revoked_at IS NULL AND expires_at > $4");

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
