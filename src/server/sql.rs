//! Lists filtered, counted and paged in SQL.
//!
//! A [`Where`] collects the conditions a list's caller chose (each optional filter adds one, or
//! nothing), with their arguments bound, never spliced into the text: only integers the type
//! system vouches for (`IN` lists of ids, status codes) are written inline. The same conditions
//! then count the matching rows and read one window of them, so a list's total and its pages
//! agree however many rows there are.

use crate::domain::PageRequest;
use crate::server::db::Pool;
use sqlx::any::AnyArguments;
use sqlx::{Any, FromRow};

/// What a "contains" search matches, as a `LIKE … ESCAPE '\'` pattern: the text trimmed and
/// lower-cased (compare with `LOWER(column)`), its wildcards escaped, wrapped in `%…%`; empty
/// for an empty search.
/// `select` locking the rows it reads until the transaction ends: `FOR UPDATE` on PostgreSQL;
/// on SQLite as it is (a write transaction there holds the whole database's write lock).
pub fn for_update(conn: &sqlx::AnyConnection, select: &str) -> String {
    if conn.backend_name() == "PostgreSQL" {
        format!("{select} FOR UPDATE")
    } else {
        select.to_string()
    }
}

pub fn like_pattern(s: &str) -> String {
    let s = s.trim().to_ascii_lowercase();
    if s.is_empty() {
        return String::new();
    }
    let escaped: String = s
        .chars()
        .flat_map(|c| {
            if matches!(c, '%' | '_' | '\\') {
                vec!['\\', c]
            } else {
                vec![c]
            }
        })
        .collect();
    format!("%{escaped}%")
}

/// An argument of a condition.
#[derive(Debug, Clone)]
pub enum Arg {
    Int(i64),
    Text(String),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(v.to_string())
    }
}

impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(v)
    }
}

/// The conditions of a list, joined with `AND`.
#[derive(Debug, Clone, Default)]
pub struct Where {
    clauses: Vec<String>,
    args: Vec<Arg>,
}

impl Where {
    pub fn new() -> Self {
        Self::default()
    }

    /// Conditions after arguments that the list's own `FROM` (and columns) use as `$1`…`$n`;
    /// the `FROM` must use each of them, since the count reads only the `FROM` and the
    /// conditions.
    pub fn after(args: Vec<Arg>) -> Self {
        Where {
            clauses: Vec::new(),
            args,
        }
    }

    /// A condition with arguments: `?1`, `?2`… in `clause` stand for `args` in order (each may
    /// appear more than once).
    pub fn and_args(mut self, clause: &str, args: Vec<Arg>) -> Self {
        let base = self.args.len();
        let mut sql = clause.to_string();
        // From the highest so `?1` does not eat the start of `?12`.
        for i in (1..=args.len()).rev() {
            sql = sql.replace(&format!("?{i}"), &format!("${}", base + i));
        }
        self.args.extend(args);
        self.clauses.push(format!("({sql})"));
        self
    }

    /// A condition with one argument, written `?1`.
    pub fn and(self, clause: &str, arg: impl Into<Arg>) -> Self {
        self.and_args(clause, vec![arg.into()])
    }

    /// A condition without arguments.
    pub fn and_sql(self, clause: &str) -> Self {
        self.and_args(clause, Vec::new())
    }

    /// The condition only when the filter is given.
    pub fn and_some<T: Into<Arg>>(self, clause: &str, arg: Option<T>) -> Self {
        match arg {
            Some(a) => self.and(clause, a),
            None => self,
        }
    }

    /// `expr` is one of `values` (an empty list matches nothing); no condition when `None`.
    pub fn and_in(self, expr: &str, values: Option<&[i64]>) -> Self {
        match values {
            None => self,
            Some([]) => self.and_sql("1 = 0"),
            Some(v) => {
                let list: Vec<String> = v.iter().map(i64::to_string).collect();
                self.and_sql(&format!("{expr} IN ({})", list.join(", ")))
            }
        }
    }

    /// `expr` is one of `values`, bound as arguments; no condition when `values` is empty ("any").
    pub fn and_text_in(self, expr: &str, values: &[&str]) -> Self {
        if values.is_empty() {
            return self;
        }
        let marks: Vec<String> = (1..=values.len()).map(|i| format!("?{i}")).collect();
        let args = values.iter().map(|v| Arg::from(*v)).collect();
        self.and_args(&format!("{expr} IN ({})", marks.join(", ")), args)
    }

    /// `expr` lies between the bounds, both inclusive; a missing bound is open.
    pub fn and_between(self, expr: &str, from: Option<i64>, to: Option<i64>) -> Self {
        self.and_some(&format!("{expr} >= ?1"), from)
            .and_some(&format!("{expr} <= ?1"), to)
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            "1 = 1".to_string()
        } else {
            self.clauses.join(" AND ")
        }
    }

    fn arguments(&self) -> AnyArguments<'_> {
        use sqlx::Arguments;
        let mut a = AnyArguments::default();
        for arg in &self.args {
            // Adding an i64 or a string to `Any` arguments cannot fail.
            let _ = match arg {
                Arg::Int(v) => a.add(*v),
                Arg::Text(s) => a.add(s.as_str()),
            };
        }
        a
    }

    /// How many rows of `from` (a `FROM …` clause with its joins) match.
    pub async fn count(&self, pool: &Pool, from: &str) -> Result<i64, sqlx::Error> {
        let sql = format!("SELECT COUNT(*) {from} WHERE {}", self.sql());
        sqlx::query_scalar_with(&sql, self.arguments())
            .fetch_one(pool)
            .await
    }

    /// The window `offset`/`limit` of `select` (`SELECT … FROM …`) in `order`.
    pub async fn window<T>(
        &self,
        pool: &Pool,
        select: &str,
        order: &str,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<T>, sqlx::Error>
    where
        T: for<'r> FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        let n = self.args.len();
        let sql = format!(
            "{select} WHERE {} ORDER BY {order} LIMIT ${} OFFSET ${}",
            self.sql(),
            n + 1,
            n + 2
        );
        let mut args = self.arguments();
        {
            use sqlx::Arguments;
            let _ = args.add(limit);
            let _ = args.add(offset);
        }
        sqlx::query_as_with::<Any, T, _>(&sql, args)
            .fetch_all(pool)
            .await
    }

    /// One page of the list and how many rows match in all: `from` is the `FROM …` clause
    /// both share, `columns` what a row reads.
    pub async fn page<T>(
        &self,
        pool: &Pool,
        columns: &str,
        from: &str,
        order: &str,
        page: PageRequest,
    ) -> Result<(Vec<T>, i64), sqlx::Error>
    where
        T: for<'r> FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        let total = self.count(pool, from).await?;
        let rows = self
            .window(
                pool,
                &format!("SELECT {columns} {from}"),
                order,
                page.offset(),
                page.limit(),
            )
            .await?;
        Ok((rows, total))
    }
}

/// Declares repository functions that run one statement: each takes the executor first, then
/// its parameters, which are bound in the order they are declared (`$1` is the first), or, after
/// `binding`, the listed expressions in that order (fields of a row struct, a code for an enum).
///
/// ```ignore
/// query_fn! {
///     /// A coupon this partner issued.
///     pub fn coupon_of_partner(partner: i64, id: i64) -> optional CouponRow =
///         query_as(&format!("SELECT {COLUMNS} FROM coupons k WHERE k.partner_id = $1 AND k.id = $2"));
///     /// Inside a write transaction: `conn` first takes the transaction's connection.
///     pub fn hold(conn, id: i64) -> changed = query("UPDATE partners SET id = id WHERE id = $1");
///     pub fn insert(p: &NewRow<'_>) -> one i64 =
///         query_scalar("INSERT INTO t (a, b) VALUES ($1, $2) RETURNING id") binding (p.a, p.b.as_str());
/// }
/// ```
/// What a function answers: `one T` (exactly one row), `optional T`, `all T` (every row),
/// `exists` (whether a `COUNT(*)` is above zero), `changed` (whether exactly one row changed),
/// `count` (how many rows changed) or `done`.
#[macro_export]
macro_rules! query_fn {
    () => {};
    ($(#[$m:meta])* $vis:vis fn $name:ident(conn $(, $a:ident: $t:ty)* $(,)?) -> $kind:ident $($r:ty)? = $q:ident($sql:expr) $(binding ($($b:expr),+ $(,)?))?; $($rest:tt)*) => {
        $crate::query_fn!(@fn [$(#[$m])*] [$vis] $name [] [conn: &mut sqlx::AnyConnection] [&mut *conn] ($($a: $t),*) $kind [$($r)?] $q($sql) [$($a),*] [$($($b),+)?]);
        $crate::query_fn! { $($rest)* }
    };
    ($(#[$m:meta])* $vis:vis fn $name:ident($($a:ident: $t:ty),* $(,)?) -> $kind:ident $($r:ty)? = $q:ident($sql:expr) $(binding ($($b:expr),+ $(,)?))?; $($rest:tt)*) => {
        $crate::query_fn!(@fn [$(#[$m])*] [$vis] $name [<'e>] [ex: impl sqlx::Executor<'e, Database = sqlx::Any>] [ex] ($($a: $t),*) $kind [$($r)?] $q($sql) [$($a),*] [$($($b),+)?]);
        $crate::query_fn! { $($rest)* }
    };
    (@fn [$($attr:tt)*] [$($vis:tt)*] $name:ident [$($g:tt)*] [$($ex:tt)*] [$($call:tt)*] ($($a:ident: $t:ty),*) $kind:ident [$($r:ty)?] $q:ident($sql:expr) [$($arg:expr),*] [$($b:expr),*]) => {
        $($attr)*
        $($vis)* async fn $name $($g)* ($($ex)*, $($a: $t),*) -> Result<$crate::query_fn!(@out $kind $($r)?), sqlx::Error> {
            $crate::query_fn!(@run $kind ($($call)*) $crate::query_fn!(@bind sqlx::$q($sql); [$($arg),*] [$($b),*]))
        }
    };
    (@bind $q:expr; [$($arg:expr),*] []) => { $q$(.bind($arg))* };
    (@bind $q:expr; [$($arg:expr),*] [$($b:expr),+]) => { $q$(.bind($b))+ };
    (@out one $r:ty) => { $r };
    (@out optional $r:ty) => { Option<$r> };
    (@out all $r:ty) => { Vec<$r> };
    (@out exists) => { bool };
    (@out changed) => { bool };
    (@out count) => { u64 };
    (@out done) => { () };
    (@run one ($($ex:tt)*) $q:expr) => { $q.fetch_one($($ex)*).await };
    (@run optional ($($ex:tt)*) $q:expr) => { $q.fetch_optional($($ex)*).await };
    (@run all ($($ex:tt)*) $q:expr) => { $q.fetch_all($($ex)*).await };
    (@run exists ($($ex:tt)*) $q:expr) => {{
        let n: i64 = $q.fetch_one($($ex)*).await?;
        Ok(n > 0)
    }};
    (@run changed ($($ex:tt)*) $q:expr) => { Ok($q.execute($($ex)*).await?.rows_affected() == 1) };
    (@run count ($($ex:tt)*) $q:expr) => { Ok($q.execute($($ex)*).await?.rows_affected()) };
    (@run done ($($ex:tt)*) $q:expr) => { $q.execute($($ex)*).await.map(|_| ()) };
}

/// A value stored as text in SQL and read back through its parser: an unknown text is a decode
/// error (the query fails and is logged), never a default. `sql_text!(as_str: A, B)` names the
/// method that gives the stored text; the parser is `parse(&str) -> Option<Self>`.
#[macro_export]
macro_rules! sql_text {
    ($text:ident: $($t:ty),* $(,)?) => {$(
        $crate::sql_stored!($t, &str, <$t>::parse, <$t>::$text);
    )*};
}

/// A value stored as an integer code in SQL (`code()`, read back by `from_code`), with the same
/// rule as [`sql_text!`]: an unknown code is a decode error.
#[macro_export]
macro_rules! sql_code {
    ($($t:ty),* $(,)?) => {$(
        $crate::sql_stored!($t, i64, <$t>::from_code, <$t>::code);
    )*};
}

/// What [`sql_text!`] and [`sql_code!`] share: `$t` is stored as `$stored`, read back through
/// `$parse` (`None` is a decode error) and written through `$store` (a `Copy` type's method).
#[macro_export]
macro_rules! sql_stored {
    ($t:ty, $stored:ty, $parse:expr, $store:expr) => {
        impl sqlx::Type<sqlx::Any> for $t {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <$stored as sqlx::Type<sqlx::Any>>::type_info()
            }
            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <$stored as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }
        impl<'r> sqlx::Decode<'r, sqlx::Any> for $t {
            fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let raw = <$stored as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
                $parse(raw).ok_or_else(|| format!("{raw:?} is not a {}", stringify!($t)).into())
            }
        }
        impl<'q> sqlx::Encode<'q, sqlx::Any> for $t {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <$stored as sqlx::Encode<'q, sqlx::Any>>::encode($store(*self), buf)
            }
        }
    };
}

/// A 0/1 integer column read as a `bool` (`#[sqlx(try_from = "Flag")]`): both backends store
/// flags as integers, and any other value is a decode error.
pub struct Flag(bool);

impl sqlx::Type<sqlx::Any> for Flag {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <i64 as sqlx::Type<sqlx::Any>>::type_info()
    }
    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <i64 as sqlx::Type<sqlx::Any>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Any> for Flag {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        match <i64 as sqlx::Decode<'r, sqlx::Any>>::decode(value)? {
            0 => Ok(Flag(false)),
            1 => Ok(Flag(true)),
            n => Err(format!("{n} is not a flag").into()),
        }
    }
}

impl From<Flag> for bool {
    fn from(f: Flag) -> bool {
        f.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_on_across_conditions_and_missing_filters_add_nothing() {
        let w = Where::new()
            .and("a = ?1", 5)
            .and_some::<i64>("b = ?1", None)
            .and_args(
                "(c = ?1 OR d = ?2 OR e = ?1)",
                vec![Arg::Int(1), "x".into()],
            )
            .and_between("t", Some(1), None)
            .and_in("s", Some(&[3, 4]))
            .and_in("u", None)
            .and_text_in("k", &["a", "b"])
            .and_text_in("z", &[]);
        assert_eq!(
            w.sql(),
            "(a = $1) AND ((c = $2 OR d = $3 OR e = $2)) AND (t >= $4) AND (s IN (3, 4)) \
             AND (k IN ($5, $6))"
        );
        assert_eq!(w.args.len(), 6);
        assert_eq!(Where::new().and_in("s", Some(&[])).sql(), "(1 = 0)");
        assert_eq!(Where::new().sql(), "1 = 1");
    }
}
