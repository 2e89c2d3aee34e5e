//! CSV exports.
//!
//! Invariants:
//! - An export is complete or refused: it holds every row that matches, or, when more than
//!   [`MAX_ROWS`] match, the request is refused with `error.export.too_many` (the user narrows the
//!   filters) and nothing is sent. Callers fetch with [`crate::domain::PageRequest::EXPORT`], one
//!   row more than the limit, so the check needs no second count.
//! - A cell that a spreadsheet would read as a formula (`=`, `+`, `@`, a tab, a carriage return,
//!   or `-` not followed by a number) is prefixed with `'`; cells are quoted when they contain a
//!   separator, a quote or a line break.
//! - Files are UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese correctly.

use crate::error::AppError;

/// The most rows one export holds.
pub const MAX_ROWS: usize = crate::domain::PageRequest::EXPORT_MAX_ROWS as usize;

/// An export request of a signed-in partner: the caller, and the list's filters as the page's
/// query gives them (a missing filter reads as empty).
pub struct PartnerExport {
    pub cx: crate::accounts::audit::Caller,
    query: std::collections::HashMap<String, String>,
}

/// An export request of a signed-in operator (the console's lists), like [`PartnerExport`].
pub struct OperatorExport {
    pub cx: crate::accounts::audit::Caller,
    query: std::collections::HashMap<String, String>,
}

macro_rules! export_request {
    ($name:ident, $role:expr) => {
        impl $name {
            pub fn get(&self, key: &str) -> &str {
                self.query.get(key).map_or("", String::as_str)
            }
        }

        impl axum::extract::FromRequestParts<crate::server::state::AppState> for $name {
            type Rejection = AppError;

            async fn from_request_parts(
                parts: &mut axum::http::request::Parts,
                state: &crate::server::state::AppState,
            ) -> Result<Self, AppError> {
                let (cx, query) = export_caller(parts, state, $role).await?;
                Ok($name { cx, query })
            }
        }
    };
}

export_request!(PartnerExport, crate::domain::Role::Partner);
export_request!(OperatorExport, crate::domain::Role::Operator);

/// The signed-in caller of `role` and the query of an export request.
async fn export_caller(
    parts: &mut axum::http::request::Parts,
    state: &crate::server::state::AppState,
    role: crate::domain::Role,
) -> Result<
    (
        crate::accounts::audit::Caller,
        std::collections::HashMap<String, String>,
    ),
    AppError,
> {
    use axum::extract::{FromRequestParts, Query};
    let session = tower_sessions::Session::from_request_parts(parts, state)
        .await
        .map_err(|_| AppError::Unauthenticated)?;
    let user =
        crate::server::session::require_user(&state.db, &session, role, parts.uri.path()).await?;
    let Query(query) = Query::try_from_uri(&parts.uri).map_err(|_| AppError::BadRequest)?;
    let ip = parts
        .extensions
        .get::<crate::server::security::ClientContext>();
    let ip = ip.map_or_else(|| "unknown".to_string(), |c| c.ip.to_string());
    let cx = crate::accounts::audit::Caller::new(
        state.db.clone(),
        user,
        &crate::accounts::audit::Origin::web(&ip),
    );
    Ok((cx, query))
}

/// Quotes a CSV field, and defuses text a spreadsheet would run as a formula.
pub fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '@', '\t', '\r'])
        || (s.starts_with('-') && crate::domain::Money::parse(&s[1..]).is_err())
    {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The rows of an export, checked complete: more than [`MAX_ROWS`] is a refusal, never a cut.
pub fn complete<T>(rows: Vec<T>) -> Result<Vec<T>, AppError> {
    if rows.len() > MAX_ROWS {
        Err(AppError::invalid("error.export.too_many"))
    } else {
        Ok(rows)
    }
}

/// A CSV document being written: a header line, then one line per row.
pub struct Csv {
    out: String,
}

impl Csv {
    pub fn new(header: &[&str]) -> Csv {
        let mut out = String::from("\u{feff}");
        out.push_str(&header.join(","));
        out.push('\n');
        Csv { out }
    }

    pub fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let mut first = true;
        for cell in cells {
            if !first {
                self.out.push(',');
            }
            first = false;
            self.out.push_str(&field(cell.as_ref()));
        }
        self.out.push('\n');
    }

    /// The file as a download named `filename` (the server's no-store rule for money pages
    /// covers it).
    pub fn into_response(self, filename: &str) -> axum::response::Response {
        use axum::http::header;
        use axum::response::IntoResponse;
        (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{filename}\""),
                ),
            ],
            self.out,
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(field("+1"), "'+1");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("-12.50"), "-12.50");
        assert_eq!(field("-cmd"), "'-cmd");
        assert_eq!(field("\t=1+1"), "'\t=1+1");
        assert_eq!(field("\r=1+1"), "\"'\r=1+1\"");
        assert_eq!(field("plain 中文"), "plain 中文");
    }

    #[test]
    fn an_export_over_the_limit_is_refused_not_cut() {
        assert_eq!(complete(vec![0u8; MAX_ROWS]).map(|r| r.len()), Ok(MAX_ROWS));
        assert_eq!(
            complete(vec![0u8; MAX_ROWS + 1]),
            Err(AppError::invalid("error.export.too_many"))
        );
    }

    #[test]
    fn rows_are_joined_with_commas_after_a_bom_and_header() {
        let mut c = Csv::new(&["a", "b"]);
        c.row(["1", "x,y"]);
        c.row(vec![String::from("=2"), String::new()]);
        assert_eq!(c.out, "\u{feff}a,b\n1,\"x,y\"\n'=2,\n");
    }
}
