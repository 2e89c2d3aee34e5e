//! SQL of the funds domain. Balances change only through `debit`/`credit`, always inside a
//! transaction that also writes the transfer and its entries.

pub use super::model::Owner;
use super::model::{AdjustRecord, Balances, FundedParty, Operation, Target};
use crate::domain::{Money, PageRequest};
use crate::query_fn;
use crate::server::db::Pool;
use crate::server::sql::{Where, for_update};
use sqlx::{Any, AnyConnection, Executor, FromRow};

/// For a partner or customer: its `owner` value, the column naming it in `fund_accounts`, and its
/// id. `None` for the external account. (Both strings are constants, safe to format into SQL.)
fn owned(owner: Owner) -> Option<(&'static str, &'static str, i64)> {
    match owner {
        Owner::External => None,
        Owner::Partner(id) => Some(("partner", "partner_id", id)),
        Owner::Customer(id) => Some(("customer", "customer_id", id)),
    }
}

/// The account id of an owner, creating the account (balance 0) on first use (one statement
/// when it exists).
pub async fn account_id(conn: &mut AnyConnection, owner: Owner) -> Result<i64, sqlx::Error> {
    let Some((kind, column, id)) = owned(owner) else {
        return sqlx::query_scalar("SELECT id FROM fund_accounts WHERE owner = 'external'")
            .fetch_one(&mut *conn)
            .await;
    };
    let find = format!("SELECT id FROM fund_accounts WHERE {column} = $1");
    if let Some(found) = sqlx::query_scalar(&find)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    {
        return Ok(found);
    }
    sqlx::query(&format!("INSERT INTO fund_accounts (owner, {column}) VALUES ('{kind}', $1) ON CONFLICT ({column}) DO NOTHING"))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query_scalar(&find)
        .bind(id)
        .fetch_one(&mut *conn)
        .await
}

/// The balances of an owner (zero when it has no account yet).
pub async fn balances<'e>(
    ex: impl Executor<'e, Database = Any>,
    owner: Owner,
) -> Result<Balances, sqlx::Error> {
    let Some((_, column, id)) = owned(owner) else {
        return Ok(Balances::ZERO);
    };
    let row: Option<(Money, Money)> = sqlx::query_as(&format!(
        "SELECT balance_fen, designated_fen FROM fund_accounts WHERE {column} = $1"
    ))
    .bind(id)
    .fetch_optional(ex)
    .await?;
    Ok(
        row.map_or(Balances::ZERO, |(balance, designated)| Balances {
            balance,
            designated,
        }),
    )
}

/// See [`low_balance`].
#[derive(FromRow)]
pub struct AlertRow {
    pub threshold: Option<i64>,
    pub told: i64,
    pub balance: Money,
    pub designated: Money,
}

/// An account after a debit or credit: its id and balances, and for a partner's account its
/// low-balance alert as it stands (threshold in fen, if set; whether it was told), read by the
/// same statement so the money path needs no statement of its own to watch the balance.
#[derive(FromRow)]
pub struct Moved {
    pub id: i64,
    pub balance_fen: i64,
    pub designated_fen: i64,
    pub threshold: Option<i64>,
    pub told: i64,
}

/// `WHERE` and `RETURNING` of a debit or credit of `owner`'s account (constants only).
fn moved_sql(owner: Owner) -> (&'static str, &'static str) {
    const PLAIN: &str = "RETURNING id, balance_fen, designated_fen, \
        CAST(NULL AS BIGINT) AS threshold, CAST(0 AS BIGINT) AS told";
    match owner {
        Owner::External => ("owner = 'external'", PLAIN),
        Owner::Partner(_) => (
            "partner_id = $1",
            "RETURNING id, balance_fen, designated_fen, \
             (SELECT p.low_balance_fen FROM partners p WHERE p.id = $1) AS threshold, \
             (SELECT p.low_balance_told FROM partners p WHERE p.id = $1) AS told",
        ),
        Owner::Customer(_) => ("customer_id = $1", PLAIN),
    }
}

/// Takes `fen` from an owner's account if its available balance (balance − designated) allows,
/// in one statement. `None` when refused (or when it has no account: nothing to take). The
/// external account has no floor.
pub async fn debit(
    conn: &mut AnyConnection,
    owner: Owner,
    fen: i64,
) -> Result<Option<Moved>, sqlx::Error> {
    let (which, returning) = moved_sql(owner);
    let floor = match owner {
        Owner::External => "",
        _ => " AND balance_fen - designated_fen >= $2",
    };
    let sql = format!(
        "UPDATE fund_accounts SET balance_fen = balance_fen - $2 WHERE {which}{floor} {returning}"
    );
    sqlx::query_as(&sql)
        .bind(owner.id())
        .bind(fen)
        .fetch_optional(&mut *conn)
        .await
}

/// Gives `fen` to an owner's account, opening it on first use (one statement when it exists).
pub async fn credit(
    conn: &mut AnyConnection,
    owner: Owner,
    fen: i64,
) -> Result<Moved, sqlx::Error> {
    let (which, returning) = moved_sql(owner);
    let sql = format!(
        "UPDATE fund_accounts SET balance_fen = balance_fen + $2 WHERE {which} {returning}"
    );
    let credit = || sqlx::query_as(&sql).bind(owner.id()).bind(fen);
    if let Some(moved) = credit().fetch_optional(&mut *conn).await? {
        return Ok(moved);
    }
    account_id(conn, owner).await?;
    credit().fetch_one(&mut *conn).await
}

pub struct NewTransfer<'a> {
    pub scope: &'a str,
    pub trans_id: &'a str,
    pub request_hash: &'a str,
    pub operation: Operation,
    pub from: i64,
    pub to: i64,
    pub fen: i64,
    pub actor_user_id: Option<i64>,
    pub actor: &'a str,
    pub ip: &'a str,
    pub now: i64,
}

query_fn! {
    pub fn insert_transfer(conn, t: &NewTransfer<'_>) -> one i64 =
        query_scalar("INSERT INTO fund_transfers (scope, trans_id, request_hash, operation, from_account, to_account, amount_fen, actor_user_id, actor, ip, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id")
        binding (t.scope, t.trans_id, t.request_hash, t.operation.code(), t.from, t.to, t.fen, t.actor_user_id, t.actor, t.ip, t.now);

    /// A transfer's two entries (`fen` leaves `from`, arrives at `to`; each with its balance
    /// after), in one statement.
    pub fn insert_entries(conn, transfer: i64, from: &Moved, to: &Moved, fen: i64, now: i64) -> done =
        query("INSERT INTO fund_entries (transfer_id, account_id, amount_fen, balance_after_fen, created_at) \
             VALUES ($1, $2, -$6, $3, $7), ($1, $4, $6, $5, $7)")
        binding (transfer, from.id, from.balance_fen, to.id, to.balance_fen, fen, now);
}

/// An earlier transfer with this idempotency key, with the balances it left.
#[derive(FromRow)]
pub struct StoredTransfer {
    pub request_hash: String,
    pub operation: String,
    pub amount: Money,
    pub created_at: i64,
    /// Signed: the external account's balance goes below zero.
    pub from_after: i64,
    pub to_after: i64,
}

query_fn! {
    pub fn find_transfer(conn, scope: &str, trans_id: &str) -> optional StoredTransfer =
        query_as("SELECT t.request_hash, t.operation, t.amount_fen AS amount, t.created_at, \
                (SELECT e.balance_after_fen FROM fund_entries e WHERE e.transfer_id = t.id AND e.account_id = t.from_account) AS from_after, \
                (SELECT e.balance_after_fen FROM fund_entries e WHERE e.transfer_id = t.id AND e.account_id = t.to_account) AS to_after \
         FROM fund_transfers t WHERE t.scope = $1 AND t.trans_id = $2");

    /// Sets a partner's designated funds if they fit in its balance; `false` when they do not.
    pub fn set_designated(conn, account: i64, fen: i64) -> changed =
        query("UPDATE fund_accounts SET designated_fen = $2 WHERE id = $1 AND balance_fen >= $2");

    /// A reseller of this distributor: its name, or `None` when it is not one.
    pub fn reseller_name(distributor: i64, reseller: i64) -> optional String =
        query_scalar("SELECT name FROM partners WHERE id = $2 AND parent_id = $1 AND kind = 'reseller'");

    /// A customer of this partner: (name, mode), or `None` when it is not one.
    pub fn customer_of(partner: i64, customer: i64) -> optional (String, String) =
        query_as("SELECT name, mode FROM customers WHERE id = $2 AND partner_id = $1");

    pub fn partner_name(partner: i64) -> optional String =
        query_scalar("SELECT name FROM partners WHERE id = $1");

    /// A partner's low-balance alert as it stands, in one statement: its threshold (fen, if
    /// set), whether it was told, and its balances (zero without an
    /// account).
    pub fn low_balance(partner: i64) -> optional AlertRow =
        query_as("SELECT p.low_balance_fen AS threshold, p.low_balance_told AS told, \
               COALESCE(a.balance_fen, 0) AS balance, COALESCE(a.designated_fen, 0) AS designated \
             FROM partners p LEFT JOIN fund_accounts a ON a.partner_id = p.id WHERE p.id = $1");

    /// A partner's contact email (where its low-balance alert goes).
    pub fn partner_email(partner: i64) -> optional Option<String> =
        query_scalar("SELECT email FROM partners WHERE id = $1");

    /// Sets (or with `None` clears) the threshold; the partner has not been told of it yet.
    pub fn set_low_balance(conn, partner: i64, fen: Option<i64>) -> changed =
        query("UPDATE partners SET low_balance_fen = $2, low_balance_told = 0 WHERE id = $1");

    /// `false` when it already was so (another transaction told the partner first).
    pub fn set_low_balance_told(conn, partner: i64, told: i64) -> changed =
        query("UPDATE partners SET low_balance_told = $2 WHERE id = $1 AND low_balance_told <> $2");
}

/// Inside a money transaction: whether the reseller is (still) this distributor's, its row
/// locked until the transaction ends so that a concurrent change of its parent waits for the
/// move or the move sees the change (`FOR UPDATE` on PostgreSQL, which re-reads the row's latest
/// version; SQLite's writers hold the database's write lock already, so there it only reads).
pub async fn hold_reseller(
    conn: &mut AnyConnection,
    distributor: i64,
    reseller: i64,
) -> Result<bool, sqlx::Error> {
    let sql = for_update(
        conn,
        "SELECT id FROM partners WHERE id = $2 AND parent_id = $1 AND kind = 'reseller'",
    );
    let held: Option<i64> = sqlx::query_scalar(&sql)
        .bind(distributor)
        .bind(reseller)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(held.is_some())
}

/// Inside a money transaction: the customer's mode if it is (still) this partner's, its row
/// locked as in [`hold_reseller`]; `None` when it is not this partner's customer.
pub async fn hold_customer(
    conn: &mut AnyConnection,
    partner: i64,
    customer: i64,
) -> Result<Option<String>, sqlx::Error> {
    let sql = for_update(
        conn,
        "SELECT mode FROM customers WHERE id = $2 AND partner_id = $1",
    );
    sqlx::query_scalar(&sql)
        .bind(partner)
        .bind(customer)
        .fetch_optional(&mut *conn)
        .await
}

/// Filters of the management lists.
pub struct ListFilter<'a> {
    /// Account name contains (already LIKE-escaped and wrapped in %…%), or empty.
    pub login_like: &'a str,
    /// Name contains, lower-case (LIKE-escaped and wrapped), or empty.
    pub name_like: &'a str,
    pub id: Option<i64>,
    /// A customer's mode (`resale`, `consulting`), or all.
    pub mode: Option<&'a str>,
    /// Balance bounds (fen, inclusive), or open.
    pub min_fen: Option<i64>,
    pub max_fen: Option<i64>,
    pub sort: &'a crate::domain::SortBy,
    pub from_ms: i64,
    pub to_ms: i64,
    pub page: PageRequest,
}

impl ListFilter<'_> {
    /// The conditions on the party `p` (its key column `id`, its users' `key` column, its
    /// `since` column).
    fn conditions(&self, p: &str, user_key: &str, since: &str) -> Where {
        Where::new()
            .and(&format!("{since} >= ?1"), self.from_ms)
            .and(&format!("{since} < ?1"), self.to_ms)
            .and_some(&format!("{p}.id = ?1"), self.id)
            .and_some(
                &format!(
                    "EXISTS (SELECT 1 FROM users u WHERE u.{user_key} = {p}.id AND u.login LIKE ?1 ESCAPE '\\')"
                ),
                Some(self.login_like).filter(|l| !l.is_empty()),
            )
            .and_some(
                &format!("LOWER({p}.name) LIKE ?1 ESCAPE '\\'"),
                Some(self.name_like).filter(|l| !l.is_empty()),
            )
    }
}

#[derive(FromRow)]
struct PartyRow {
    id: i64,
    name: String,
    login: Option<String>,
    since: i64,
    #[sqlx(rename = "balance_fen")]
    balance: Money,
    mode: String,
    unbind_pending: i64,
}

fn party(r: PartyRow) -> FundedParty {
    let resale = r.mode == "resale" || r.mode == "reseller";
    FundedParty {
        id: r.id,
        name: r.name,
        login: r.login.unwrap_or_default(),
        since: r.since,
        balance: r.balance,
        fundable: resale,
        mode_key: match r.mode.as_str() {
            "resale" => "customer_mode.resale",
            "consulting" => "customer_mode.consulting",
            _ => "partner_kind.reseller",
        }
        .to_string(),
        unbind_pending: r.unbind_pending == 1,
    }
}

/// Where a list of resellers or customers comes from: the party table's alias, its users'
/// key column, its association column, the owner and mode conditions, the columns, the join.
struct PartySql {
    alias: &'static str,
    user_key: &'static str,
    since: &'static str,
    owner: &'static str,
    mode: &'static str,
    columns: &'static str,
    from: &'static str,
}

const RESELLERS: PartySql = PartySql {
    alias: "p",
    user_key: "partner_id",
    since: "p.created_at",
    owner: "p.parent_id = ?1 AND p.kind = 'reseller'",
    mode: "p.kind = ?1",
    columns: "p.id, p.name, (SELECT MIN(u.login) FROM users u WHERE u.partner_id = p.id) AS login, \
        p.created_at AS since, COALESCE(a.balance_fen, 0) AS balance_fen, p.kind AS mode, \
        CAST(0 AS BIGINT) AS unbind_pending",
    from: "FROM partners p LEFT JOIN fund_accounts a ON a.partner_id = p.id",
};

const CUSTOMERS: PartySql = PartySql {
    alias: "c",
    user_key: "customer_id",
    since: "c.associated_at",
    owner: "c.partner_id = ?1",
    mode: "c.mode = ?1",
    columns: "c.id, c.name, (SELECT MIN(u.login) FROM users u WHERE u.customer_id = c.id) AS login, \
        c.associated_at AS since, COALESCE(a.balance_fen, 0) AS balance_fen, c.mode, \
        CAST(CASE WHEN c.unbind_requested_at IS NULL THEN 0 ELSE 1 END AS BIGINT) AS unbind_pending",
    from: "FROM customers c LEFT JOIN fund_accounts a ON a.customer_id = c.id",
};

/// A partner's resellers or customers, with their balances.
pub async fn list_parties(
    pool: &Pool,
    target: Target,
    owner: i64,
    f: &ListFilter<'_>,
) -> Result<(Vec<FundedParty>, i64), sqlx::Error> {
    let sql = match target {
        Target::Reseller => &RESELLERS,
        Target::Customer => &CUSTOMERS,
    };
    let name = format!("{}.name", sql.alias);
    let sorts = [
        ("since", sql.since),
        ("balance", "COALESCE(a.balance_fen, 0)"),
        ("name", name.as_str()),
    ];
    let order = f.sort.order(&sorts, &format!("{}.id", sql.alias));
    let (rows, total) = f
        .conditions(sql.alias, sql.user_key, sql.since)
        .and(sql.owner, owner)
        .and_some(sql.mode, f.mode)
        .and_between("COALESCE(a.balance_fen, 0)", f.min_fen, f.max_fen)
        .page::<PartyRow>(pool, sql.columns, sql.from, &order, f.page)
        .await?;
    Ok((rows.into_iter().map(party).collect(), total))
}

/// Filters of 调账记录.
pub struct RecordFilter<'a> {
    pub operation: &'a str,
    pub trans_id: &'a str,
    pub from_ms: i64,
    pub to_ms: i64,
    /// Only 拨款, 回收 and 解绑回收 with the partner's customers and its own resellers (the open
    /// API's 调账记录): not funding, payments, or the reseller's side of its distributor's.
    pub adjustments_only: bool,
    /// Only movements with this customer or reseller (by id); 0 for all.
    pub counterparty: i64,
    pub page: PageRequest,
}

#[derive(FromRow)]
struct RecordRow {
    id: i64,
    trans_id: String,
    operation: String,
    amount_fen: i64,
    outgoing: i64,
    counterparty: Option<String>,
    counterparty_customer: Option<i64>,
    counterparty_partner: Option<i64>,
    actor: String,
    created_at: i64,
}

pub async fn adjust_records(
    pool: &Pool,
    owner: Owner,
    f: &RecordFilter<'_>,
) -> Result<(Vec<AdjustRecord>, i64), sqlx::Error> {
    let Some((_, column, id)) = owned(owner) else {
        return Ok((vec![], 0));
    };
    let account: Option<i64> =
        sqlx::query_scalar(&format!("SELECT id FROM fund_accounts WHERE {column} = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await?;
    let Some(account) = account else {
        return Ok((vec![], 0));
    };
    // `o` is the other side's account ($1 is this one); filtering, counting and paging all run
    // here.
    let w = Where::after(vec![account.into()])
        .and_sql("t.from_account = $1 OR t.to_account = $1")
        .and_some(
            "t.operation = ?1",
            Some(f.operation).filter(|o| !o.is_empty()),
        )
        .and_some(
            "t.trans_id = ?1",
            Some(f.trans_id).filter(|t| !t.is_empty()),
        )
        .and("t.created_at >= ?1", f.from_ms)
        .and("t.created_at < ?1", f.to_ms)
        .and_some(
            "t.operation IN ('BEADJUST', 'BERETRIEVE', 'BEUNBIND') AND (o.customer_id IS NOT NULL \
             OR o.partner_id IN (SELECT id FROM partners WHERE parent_id = ?1))",
            f.adjustments_only.then_some(id),
        )
        .and_some(
            "o.customer_id = ?1 OR o.partner_id = ?1",
            (f.counterparty != 0).then_some(f.counterparty),
        );
    let (rows, total) = w
        .page::<RecordRow>(
            pool,
            "t.id, t.trans_id, t.operation, t.amount_fen, \
             CASE WHEN t.from_account = $1 THEN 1 ELSE 0 END AS outgoing, \
             (SELECT COALESCE(p.name, c.name) FROM fund_accounts a \
                LEFT JOIN partners p ON p.id = a.partner_id LEFT JOIN customers c ON c.id = a.customer_id \
               WHERE a.id = o.id) AS counterparty, \
             o.customer_id AS counterparty_customer, o.partner_id AS counterparty_partner, \
             t.actor, t.created_at",
            "FROM fund_transfers t JOIN fund_accounts o \
             ON o.id = CASE WHEN t.from_account = $1 THEN t.to_account ELSE t.from_account END",
            "t.id DESC",
            f.page,
        )
        .await?;
    let items = rows
        .into_iter()
        .filter_map(|r| {
            Some(AdjustRecord {
                id: r.id,
                trans_id: r.trans_id,
                operation: Operation::parse(&r.operation)?,
                signed_fen: if r.outgoing == 1 {
                    -r.amount_fen
                } else {
                    r.amount_fen
                },
                counterparty: r.counterparty.unwrap_or_else(|| "华为云".to_string()),
                counterparty_customer: r.counterparty_customer,
                counterparty_partner: r.counterparty_partner,
                operator: r.actor,
                created_at: r.created_at,
            })
        })
        .collect();
    Ok((items, total))
}

// 资金管理 maker–checker: funding requests above the threshold.

query_fn! {
    /// A new pending request; `None` when this operator already made one with this transaction
    /// id (a retry: the existing one stands).
    pub fn insert_request(conn, partner: i64, amount_fen: i64, trans_id: &str, by: i64, now: i64) -> optional i64 =
        query_scalar("INSERT INTO funding_requests (partner_id, amount_fen, trans_id, requested_by, requested_at, state) \
                      VALUES ($1, $2, $3, $4, $5, 'pending') ON CONFLICT (requested_by, trans_id) DO NOTHING RETURNING id");

    /// An operator's request by its transaction id: (id, partner, amount in fen).
    pub fn request_by_trans_id(conn, by: i64, trans_id: &str) -> optional (i64, i64, i64) =
        query_as("SELECT id, partner_id, amount_fen FROM funding_requests WHERE requested_by = $1 AND trans_id = $2");

    /// A request to decide: (partner, amount in fen, transaction id, requester, state).
    pub fn request(conn, id: i64) -> optional (i64, i64, String, i64, String) =
        query_as("SELECT partner_id, amount_fen, trans_id, requested_by, state FROM funding_requests WHERE id = $1");

    /// Decides a pending request (once: only a pending one changes).
    pub fn decide_request(conn, id: i64, state: &str, by: i64, reason: Option<&str>, now: i64) -> changed =
        query("UPDATE funding_requests SET state = $2, decided_by = $3, reason = $4, decided_at = $5 \
               WHERE id = $1 AND state = 'pending'");
}

/// One page of funding requests in `state`, newest first.
pub async fn requests(
    pool: &Pool,
    state: Option<&str>,
    page: crate::domain::PageRequest,
) -> Result<(Vec<super::model::FundingRequest>, i64), sqlx::Error> {
    crate::server::sql::Where::new()
        .and_some("r.state = ?1", state.map(String::from))
        .page(
            pool,
            "r.id, r.partner_id, p.name AS partner_name, r.amount_fen AS amount, r.trans_id, \
             r.requested_by, u.login AS requester, r.requested_at, r.state, d.login AS decider, \
             r.decided_at, r.reason",
            "FROM funding_requests r JOIN partners p ON p.id = r.partner_id \
             JOIN users u ON u.id = r.requested_by LEFT JOIN users d ON d.id = r.decided_by",
            "r.id DESC",
            page,
        )
        .await
}
