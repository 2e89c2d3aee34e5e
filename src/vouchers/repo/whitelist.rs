//! SQL of the pickup whitelist and the partner's customers and resellers for forms.

use super::*;
use crate::query_fn;

query_fn! {
    pub fn whitelist_add(conn, partner: i64, customer: i64, now: i64) -> changed =
        query("INSERT INTO pickup_whitelist (partner_id, customer_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (partner_id, customer_id) DO NOTHING");

    pub fn whitelist_remove(conn, partner: i64, customer: i64) -> changed =
        query("DELETE FROM pickup_whitelist WHERE partner_id = $1 AND customer_id = $2");

    pub fn whitelisted(partner: i64, customer: i64) -> exists =
        query_scalar("SELECT COUNT(*) FROM pickup_whitelist WHERE partner_id = $1 AND customer_id = $2");
}

#[derive(FromRow)]
pub struct WhitelistRow {
    pub customer_id: i64,
    pub customer_name: String,
    pub login: Option<String>,
    pub created_at: i64,
}

query_fn! {
    /// Partners that have resale customers (the only ones a pickup whitelist can name), by name.
    pub fn partners_with_resale_customers() -> all (i64, String) =
        query_as("SELECT p.id, p.name FROM partners p \
             WHERE EXISTS (SELECT 1 FROM customers c WHERE c.partner_id = p.id AND c.mode = 'resale') \
             ORDER BY p.name, p.id LIMIT 1000");

    /// The whitelist, limited to customers still associated with the partner.
    pub fn list_whitelist(partner: i64) -> all WhitelistRow =
        query_as("SELECT w.customer_id, c.name AS customer_name, \
                    (SELECT MIN(u.login) FROM users u WHERE u.customer_id = c.id) AS login, w.created_at \
             FROM pickup_whitelist w JOIN customers c ON c.id = w.customer_id AND c.partner_id = w.partner_id \
             WHERE w.partner_id = $1 ORDER BY w.created_at DESC LIMIT 200");
}

/// Resellers of a distributor by id, with their names (only its own).
pub async fn reseller_names<'e>(
    ex: impl Executor<'e, Database = Any>,
    distributor: i64,
    ids: &[i64],
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    // Ids are integers parsed by the model, so they are safe to list in SQL.
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    sqlx::query_as(&format!(
        "SELECT id, name FROM partners WHERE parent_id = $1 AND kind = 'reseller' AND id IN ({list}) ORDER BY id"
    ))
    .bind(distributor)
    .fetch_all(ex)
    .await
}

/// The partner's customers for a form: `coupon` (all, so a refusal can be explained),
/// `pickup` (whitelisted ones), `whitelist` (resale ones not yet whitelisted): id, name, mode.
pub async fn customers_for(
    pool: &Pool,
    partner: i64,
    which: &str,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    let extra = match which {
        "pickup" => {
            "AND EXISTS (SELECT 1 FROM pickup_whitelist w WHERE w.partner_id = c.partner_id AND w.customer_id = c.id)"
        }
        "whitelist" => {
            "AND c.mode = 'resale' AND NOT EXISTS (SELECT 1 FROM pickup_whitelist w WHERE w.partner_id = c.partner_id AND w.customer_id = c.id)"
        }
        _ => "",
    };
    sqlx::query_as(&format!(
        "SELECT c.id, c.name, c.mode FROM customers c WHERE c.partner_id = $1 {extra} ORDER BY c.id LIMIT 500"
    ))
    .bind(partner)
    .fetch_all(pool)
    .await
}
