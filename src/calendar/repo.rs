//! SQL of the holiday calendar.

use super::model::{DayKind, Holiday};
use crate::query_fn;

query_fn! {
    /// The days of one year, in order.
    pub fn year(from: &str, to: &str) -> all Holiday =
        query_as("SELECT day, kind, name FROM holidays WHERE day >= $1 AND day <= $2 ORDER BY day");

    /// The days from `from` on (`YYYY-MM-DD`), for counting business days forward or back.
    pub fn between(conn, from: &str, to: &str) -> all (String, DayKind) =
        query_as("SELECT day, kind FROM holidays WHERE day >= $1 AND day <= $2");

    /// Sets a day (again: its kind and name are replaced).
    pub fn upsert(conn, day: &str, kind: DayKind, name: &str, now: i64, by: &str) -> done =
        query("INSERT INTO holidays (day, kind, name, created_at, created_by) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name, \
               created_at = excluded.created_at, created_by = excluded.created_by");

    pub fn remove(conn, day: &str) -> changed =
        query("DELETE FROM holidays WHERE day = $1");

    pub fn count(conn, from: &str, to: &str) -> one i64 =
        query_scalar("SELECT COUNT(*) FROM holidays WHERE day >= $1 AND day <= $2");
}
