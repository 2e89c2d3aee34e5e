//! SQL of HCPN onboarding.

use super::model::{Application, DistributorChoice, Enterprise};
use crate::domain::PageRequest;
use crate::query_fn;
use crate::server::db::Pool;
use crate::server::sql::Where;

const COLUMNS: &str = "a.partner_id, a.company, a.uscc, a.address, a.contact_name, a.contact_email, \
     a.contact_phone, a.kind, a.parent_id, pp.name AS parent_name, a.state, a.reason, a.submitted_at, a.decided_at";
const FROM: &str = "FROM onboarding_applications a LEFT JOIN partners pp ON pp.id = a.parent_id";

query_fn! {
    /// A partner's application.
    pub fn of_partner(partner: i64) -> optional Application =
        query_as(&format!("SELECT {COLUMNS} {FROM} WHERE a.partner_id = $1"));

    /// Inside a write: a partner's application, its state and the address last confirmed.
    pub fn state_of(conn, partner: i64) -> optional (String, Option<String>) =
        query_as("SELECT state, confirmed_email FROM onboarding_applications WHERE partner_id = $1");

    /// Whether another partner's application holds this credit code.
    pub fn uscc_taken(conn, uscc: &str, partner: i64) -> one i64 =
        query_scalar("SELECT COUNT(*) FROM onboarding_applications WHERE uscc = $1 AND partner_id <> $2");

    /// The onboarded distributors, by name: what a reseller applies under.
    pub fn distributors() -> all DistributorChoice =
        query_as("SELECT id, name FROM partners WHERE kind = 'distributor' AND hcpn_state = 'onboarded' ORDER BY name, id");

    /// Inside a write: whether `id` is an onboarded distributor.
    pub fn is_distributor(conn, id: i64) -> one i64 =
        query_scalar("SELECT COUNT(*) FROM partners WHERE id = $1 AND kind = 'distributor' AND hcpn_state = 'onboarded'");

    /// Writes a partner's application (first or again), in `state`.
    pub fn upsert(conn, partner: i64, e: &Enterprise, state: &str, confirmed: Option<&str>, now: i64) -> done =
        query("INSERT INTO onboarding_applications (partner_id, company, uscc, address, contact_name, \
               contact_email, contact_phone, kind, parent_id, state, confirmed_email, submitted_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (partner_id) DO UPDATE SET company = excluded.company, uscc = excluded.uscc, \
               address = excluded.address, contact_name = excluded.contact_name, \
               contact_email = excluded.contact_email, contact_phone = excluded.contact_phone, \
               kind = excluded.kind, parent_id = excluded.parent_id, state = excluded.state, \
               confirmed_email = excluded.confirmed_email, reason = NULL, decided_at = NULL, \
               decided_by = NULL, submitted_at = excluded.submitted_at")
        binding (partner, e.company.as_str(), e.uscc.as_str(), &e.address, &e.contact_name,
                 e.contact_email.as_str(), e.contact_phone.as_str(), e.kind.as_str(), e.parent, state,
                 confirmed, now);

    /// The partner waits under the kind (and distributor) it applies for.
    pub fn set_partner_kind(conn, partner: i64, e: &Enterprise) -> changed =
        query("UPDATE partners SET kind = $2, parent_id = $3 WHERE id = $1 AND hcpn_state = 'pending'")
        binding (partner, e.kind.as_str(), e.parent);

    /// The email was confirmed: an unconfirmed application with that address joins the queue.
    pub fn confirm(conn, partner: i64, email: &str, now: i64) -> changed =
        query("UPDATE onboarding_applications SET state = 'pending', confirmed_email = $2, submitted_at = $3 \
             WHERE partner_id = $1 AND state = 'unconfirmed' AND contact_email = $2");

    /// An operator's decision on a pending application.
    pub fn decide(conn, partner: i64, state: &str, reason: Option<&str>, by: Option<i64>, now: i64) -> changed =
        query("UPDATE onboarding_applications SET state = $2, reason = $3, decided_by = $4, decided_at = $5 \
             WHERE partner_id = $1 AND state = 'pending'");

    /// The approved partner: onboarded, with the application's name and contacts.
    pub fn onboard(conn, partner: i64) -> changed =
        query("UPDATE partners SET hcpn_state = 'onboarded', \
               name = (SELECT company FROM onboarding_applications WHERE partner_id = $1), \
               email = (SELECT contact_email FROM onboarding_applications WHERE partner_id = $1), \
               phone = (SELECT contact_phone FROM onboarding_applications WHERE partner_id = $1) \
             WHERE id = $1 AND hcpn_state = 'pending'");

    /// Registrations from one address since `since` (counted in the audit trail).
    pub fn registrations_from(conn, ip: &str, since: i64) -> one i64 =
        query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'onboarding.register' AND ip = $1 AND at >= $2");

    /// Serialises registrations from one address on PostgreSQL (SQLite writes are serial).
    pub fn lock_address(conn, ip: &str) -> done =
        query("SELECT pg_advisory_xact_lock(3, hashtext($1))");

    /// The partner a user belongs to, and the user's login.
    pub fn partner_of_user(conn, user: i64) -> optional (Option<i64>, String) =
        query_as("SELECT partner_id, login FROM users WHERE id = $1");

    /// The first user of a partner (its administrator): who confirms its email.
    pub fn admin_of(conn, partner: i64) -> optional i64 =
        query_scalar("SELECT id FROM users WHERE partner_id = $1 AND role = 'partner' ORDER BY id LIMIT 1");

}

/// The operator's queue: applications in `state`, oldest first, searched by company or code.
pub async fn queue(
    pool: &Pool,
    state: &str,
    search: Option<String>,
    page: PageRequest,
) -> Result<(Vec<Application>, i64), sqlx::Error> {
    Where::new()
        .and("a.state = ?1", state.to_string())
        .and_some(
            "(a.company LIKE ?1 OR a.uscc LIKE ?1)",
            search.map(|s| format!("%{}%", s.replace(['%', '_'], ""))),
        )
        .page(pool, COLUMNS, FROM, "a.submitted_at, a.partner_id", page)
        .await
}
