//! SQL of employee links.

use super::model::LinkState;
use crate::domain::PageRequest;
use crate::query_fn;
use crate::server::db::Pool;
use crate::server::sql::Where;
use sqlx::FromRow;

#[derive(FromRow)]
pub struct Account {
    pub id: i64,
    pub login: String,
    pub role: String,
    pub real_name_verified: i64,
    pub site: String,
}

query_fn! {
    pub fn account_by_login(login: &str) -> optional Account =
        query_as("SELECT id, login, role, real_name_verified, site FROM users WHERE login = $1");

    pub fn account_by_id(id: i64) -> optional Account =
        query_as("SELECT id, login, role, real_name_verified, site FROM users WHERE id = $1");

    /// Whether the partner's currently associated employees may sit the exam: (login, real-name
    /// verified, site), by login.
    pub fn exam_candidates(partner: i64) -> all (String, i64, String) =
        query_as("SELECT u.login, u.real_name_verified, u.site FROM employee_links l JOIN users u ON u.id = l.user_id \
             WHERE l.partner_id = $1 AND l.state = 'active' ORDER BY u.login");

    /// The partner the person is an active member of.
    pub fn active_partner(conn, user: i64) -> optional i64 =
        query_scalar("SELECT partner_id FROM employee_links WHERE user_id = $1 AND state = 'active'");

    pub fn pending_exists(conn, partner: i64, user: i64) -> exists =
        query_scalar("SELECT COUNT(*) FROM employee_links WHERE partner_id = $1 AND user_id = $2 AND state = 'pending'");

    /// Distinct partners other than `partner` the person was associated with after `since`.
    pub fn recent_other_partners(conn, user: i64, partner: i64, since: i64) -> one i64 =
        query_scalar("SELECT COUNT(DISTINCT partner_id) FROM employee_links WHERE user_id = $1 AND partner_id <> $2 \
         AND joined_at IS NOT NULL AND (ended_at IS NULL OR ended_at > $3)");

    pub fn insert_pending(conn, partner: i64, user: i64, now: i64) -> one i64 =
        query_scalar("INSERT INTO employee_links (partner_id, user_id, state, invited_at) VALUES ($1, $2, 'pending', $3) RETURNING id");
}

#[derive(FromRow)]
pub struct LinkRow {
    pub id: i64,
    pub partner_id: i64,
    pub partner_name: String,
    pub user_id: i64,
    pub login: String,
    pub state: LinkState,
    pub invited_at: i64,
    pub joined_at: Option<i64>,
    pub ended_at: Option<i64>,
}

const LINK_COLUMNS: &str = "l.id, l.partner_id, p.name AS partner_name, l.user_id, u.login, l.state, \
     l.invited_at, l.joined_at, l.ended_at";
const LINK_FROM: &str = "FROM employee_links l \
     JOIN partners p ON p.id = l.partner_id JOIN users u ON u.id = l.user_id";

query_fn! {
    pub fn link(id: i64) -> optional LinkRow =
        query_as(&format!(
            "SELECT {LINK_COLUMNS} {LINK_FROM} WHERE l.id = $1"
        ));
}

pub async fn links_of_partner(
    pool: &Pool,
    partner: i64,
    page: PageRequest,
) -> Result<(Vec<LinkRow>, i64), sqlx::Error> {
    Where::new()
        .and("l.partner_id = ?1", partner)
        .page(
            pool,
            LINK_COLUMNS,
            LINK_FROM,
            "l.invited_at DESC, l.id DESC",
            page,
        )
        .await
}

query_fn! {
    pub fn links_of_user(user: i64) -> all LinkRow =
        query_as(&format!(
            "SELECT {LINK_COLUMNS} {LINK_FROM} WHERE l.user_id = $1 ORDER BY l.invited_at DESC, l.id DESC LIMIT 100"
        ));

    /// Moves a link from one state to another; `false` when it was not in `from` any more.
    /// `joined` / `ended` set those times when given.
    pub fn transition(conn, id: i64, from: &str, to: &str, joined: Option<i64>, ended: Option<i64>) -> changed =
        query("UPDATE employee_links SET state = $3, joined_at = COALESCE($4, joined_at), \
         ended_at = COALESCE($5, ended_at) WHERE id = $1 AND state = $2");
}
