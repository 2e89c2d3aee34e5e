//! Exports of lists: CSV and XLSX, streamed.
//!
//! Invariants:
//! - An export is complete or refused: it holds every row that matches when it starts, or, when
//!   more than [`MAX_ROWS`] match, the request is refused with `error.export.too_many` (the user
//!   narrows the filters) and nothing is sent.
//! - An export never holds the list in memory: rows are read in batches of
//!   [`crate::domain::PageRequest::EXPORT_BATCH`] in the list's own order and written out as they
//!   come (CSV as bytes on the response; XLSX through a worksheet kept in a temporary file, the
//!   workbook streamed when the last row is in). A row the list gains while an export runs may
//!   shift a batch: a row already written is never written twice (the previous batch's ids are
//!   skipped). A failure half-way aborts the download rather than ending it as if complete.
//! - A cell that a spreadsheet would read as a formula (`=`, `+`, `@`, a tab, a carriage return,
//!   or `-` not followed by a number) is prefixed with `'`, in both formats; CSV cells are quoted
//!   when they contain a separator, a quote or a line break.
//! - Files are UTF-8; CSV starts with a byte-order mark, so spreadsheet programs read the
//!   Chinese correctly. Money is its plain value (`1234.50`, no separators): a text in CSV, a
//!   number shown with two decimals in XLSX (the file holds its shortest decimal form, the
//!   same digits).

use crate::error::AppError;

/// The most rows one export holds.
pub const MAX_ROWS: usize = crate::domain::PageRequest::EXPORT_MAX_ROWS as usize;

/// An export request of a signed-in partner: the caller, the list's filters as the page's
/// query gives them (a missing filter reads as empty), and the format its path ends with.
pub struct PartnerExport {
    pub cx: crate::accounts::audit::Caller,
    query: std::collections::HashMap<String, String>,
    pub format: Format,
    /// The request's path (a handler serving several lists tells them apart by it).
    pub path: String,
}

/// An export request of a signed-in operator (the console's lists), like [`PartnerExport`].
pub struct OperatorExport {
    pub cx: crate::accounts::audit::Caller,
    query: std::collections::HashMap<String, String>,
    pub format: Format,
    /// The request's path (a handler serving several lists tells them apart by it).
    pub path: String,
}

/// An export request of any signed-in user (its own lists, such as 消息), like
/// [`PartnerExport`].
pub struct ReaderExport {
    pub cx: crate::accounts::audit::Caller,
    query: std::collections::HashMap<String, String>,
    pub format: Format,
    pub path: String,
}

/// The two formats: the path's extension (`….csv`, `….xlsx`) chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn of_path(path: &str) -> Format {
        if path.ends_with(".xlsx") {
            Format::Xlsx
        } else {
            Format::Csv
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
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
                let path = parts.uri.path().to_string();
                let format = Format::of_path(&path);
                Ok($name {
                    cx,
                    query,
                    format,
                    path,
                })
            }
        }
    };
}

export_request!(PartnerExport, Some(crate::domain::Role::Partner));
export_request!(OperatorExport, Some(crate::domain::Role::Operator));
export_request!(ReaderExport, None);

/// The signed-in caller (of `role`, when given) and the query of an export request.
async fn export_caller(
    parts: &mut axum::http::request::Parts,
    state: &crate::server::state::AppState,
    role: Option<crate::domain::Role>,
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
    let path = parts.uri.path();
    let user = match role {
        Some(role) => crate::server::session::require_user(&state.db, &session, role, path).await?,
        None => {
            let user = crate::server::session::user_of(&state.db, &session)
                .await?
                .ok_or(AppError::Unauthenticated)?;
            if user.must_change_password {
                return Err(AppError::conflict("error.password.must_change"));
            }
            if !user.may_open(path) {
                return Err(AppError::Forbidden);
            }
            user
        }
    };
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

/// Text a spreadsheet would run as a formula, defused with a leading `'`.
fn defuse(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '@', '\t', '\r'])
        || (s.starts_with('-') && crate::domain::Money::parse(&s[1..]).is_err())
    {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// Quotes a CSV field, and defuses text a spreadsheet would run as a formula.
pub fn field(s: &str) -> String {
    let s = defuse(s).into_owned();
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// One cell of an exported row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// An amount in fen, negative when money went out: its plain value (see the module's
    /// invariants).
    Fen(i64),
    Int(i64),
    /// A moment (unix ms), written in China time as `2026-01-31 09:30:00`.
    Time(i64),
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<crate::domain::Money> for Cell {
    fn from(m: crate::domain::Money) -> Cell {
        Cell::Fen(m.fen())
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Int(n)
    }
}

impl Cell {
    /// The cell as CSV text (not yet quoted).
    fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Cell::Text(s) => s.as_str().into(),
            Cell::Fen(fen) => {
                let sign = if *fen < 0 { "-" } else { "" };
                let abs = fen.unsigned_abs();
                format!("{sign}{}.{:02}", abs / 100, abs % 100).into()
            }
            Cell::Int(n) => n.to_string().into(),
            Cell::Time(ms) => crate::domain::format_time(*ms).into(),
        }
    }
}

/// What an export writes: its file name (without extension), its heading (column codes, the
/// same in every language so that files can be read by programs), each row's cells and id (to
/// skip a row a shifted batch repeats).
pub struct Sheet<T> {
    pub name: &'static str,
    pub header: &'static [&'static str],
    pub row: fn(T) -> Vec<Cell>,
    pub id: fn(&T) -> i64,
}

/// One CSV line of `cells`, ending with a line break.
fn csv_line<'a>(out: &mut String, cells: impl IntoIterator<Item = std::borrow::Cow<'a, str>>) {
    let mut first = true;
    for cell in cells {
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(&field(&cell));
    }
    out.push('\n');
}

type Chunk = Result<axum::body::Bytes, std::io::Error>;

/// The response body: the chunks as they are written. Asked again after its end (as the
/// compression layer does), it answers the end again.
struct Chunks(tokio::sync::mpsc::Receiver<Chunk>);

impl futures_util::Stream for Chunks {
    type Item = Chunk;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Chunk>> {
        self.0.poll_recv(cx)
    }
}

/// The export of `sheet` in `format`, its rows read batch after batch by `fetch` (the list's
/// service with the caller's filters, given a window): refused before anything is sent when more
/// than [`MAX_ROWS`] match, otherwise streamed.
pub async fn respond<T, F, Fut>(
    format: Format,
    sheet: Sheet<T>,
    fetch: F,
) -> Result<axum::response::Response, AppError>
where
    T: Send + 'static,
    F: Fn(crate::domain::PageRequest) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<crate::domain::Page<T>, AppError>> + Send + 'static,
{
    use crate::domain::PageRequest;
    use axum::http::header;
    use axum::response::IntoResponse;
    let first = fetch(PageRequest::batch(0)).await?;
    if first.total > i64::from(PageRequest::EXPORT_MAX_ROWS) {
        return Err(AppError::invalid("error.export.too_many"));
    }
    let (tx, rx) = tokio::sync::mpsc::channel::<Chunk>(4);
    let rows = batches(first.items, sheet.id, sheet.row, fetch);
    match format {
        Format::Csv => {
            tokio::spawn(write_csv(sheet.header, rows, tx));
        }
        Format::Xlsx => {
            let (row_tx, row_rx) = tokio::sync::mpsc::channel::<Vec<Vec<Cell>>>(1);
            tokio::spawn(forward(rows, row_tx, tx.clone()));
            let header = sheet.header;
            tokio::task::spawn_blocking(move || write_xlsx(header, row_rx, tx));
        }
    }
    let body = axum::body::Body::from_stream(Chunks(rx));
    let filename = format!("{}.{}", sheet.name, format.extension());
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// The rows of every batch in turn (the first already read), as cells.
struct Batches<T, F> {
    next: Option<Vec<T>>,
    offset: u64,
    previous: std::collections::HashSet<i64>,
    id: fn(&T) -> i64,
    row: fn(T) -> Vec<Cell>,
    fetch: F,
}

fn batches<T, F>(
    first: Vec<T>,
    id: fn(&T) -> i64,
    row: fn(T) -> Vec<Cell>,
    fetch: F,
) -> Batches<T, F> {
    Batches {
        next: Some(first),
        offset: 0,
        previous: std::collections::HashSet::new(),
        id,
        row,
        fetch,
    }
}

impl<T, F, Fut> Batches<T, F>
where
    F: Fn(crate::domain::PageRequest) -> Fut,
    Fut: std::future::Future<Output = Result<crate::domain::Page<T>, AppError>>,
{
    /// The next batch's rows; `None` after the last.
    async fn next(&mut self) -> Option<Result<Vec<Vec<Cell>>, AppError>> {
        let size = u64::from(crate::domain::PageRequest::EXPORT_BATCH);
        let items = match self.next.take() {
            Some(items) => items,
            None => return None,
        };
        let full = items.len() as u64 >= size;
        let ids: std::collections::HashSet<i64> = items.iter().map(self.id).collect();
        let rows = items
            .into_iter()
            .filter(|t| !self.previous.contains(&(self.id)(t)))
            .map(self.row)
            .collect();
        if full {
            self.offset += size;
            match (self.fetch)(crate::domain::PageRequest::batch(self.offset)).await {
                Ok(page) => self.next = Some(page.items),
                Err(e) => return Some(Err(e)),
            }
        }
        self.previous = ids;
        Some(Ok(rows))
    }
}

/// A failure after the headers went out: the stream ends in an error, which aborts the download.
fn broken(e: &AppError) -> std::io::Error {
    tracing::error!(error = %e, "export failed half-way");
    std::io::Error::other("export failed")
}

async fn write_csv<T, F, Fut>(
    header: &'static [&'static str],
    mut rows: Batches<T, F>,
    tx: tokio::sync::mpsc::Sender<Chunk>,
) where
    F: Fn(crate::domain::PageRequest) -> Fut,
    Fut: std::future::Future<Output = Result<crate::domain::Page<T>, AppError>>,
{
    let mut out = String::from("\u{feff}");
    csv_line(
        &mut out,
        header.iter().map(|h| std::borrow::Cow::Borrowed(*h)),
    );
    while let Some(batch) = rows.next().await {
        let chunk = match batch {
            Ok(batch) => {
                for cells in &batch {
                    csv_line(&mut out, cells.iter().map(Cell::text));
                }
                Ok(axum::body::Bytes::from(std::mem::take(&mut out)))
            }
            Err(e) => Err(broken(&e)),
        };
        let failed = chunk.is_err();
        if tx.send(chunk).await.is_err() || failed {
            return;
        }
    }
}

/// Hands each batch of rows to the XLSX writer; a failure goes to the response.
async fn forward<T, F, Fut>(
    mut rows: Batches<T, F>,
    row_tx: tokio::sync::mpsc::Sender<Vec<Vec<Cell>>>,
    tx: tokio::sync::mpsc::Sender<Chunk>,
) where
    F: Fn(crate::domain::PageRequest) -> Fut,
    Fut: std::future::Future<Output = Result<crate::domain::Page<T>, AppError>>,
{
    while let Some(batch) = rows.next().await {
        match batch {
            Ok(batch) => {
                if row_tx.send(batch).await.is_err() {
                    return;
                }
            }
            Err(e) => {
                let _ = tx.send(Err(broken(&e))).await;
                return;
            }
        }
    }
}

/// Bytes written by the XLSX writer, sent on the response in chunks of 64 KiB.
struct ChunkWriter {
    tx: tokio::sync::mpsc::Sender<Chunk>,
    buf: Vec<u8>,
}

impl ChunkWriter {
    const CHUNK: usize = 64 * 1024;
}

impl std::io::Write for ChunkWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= Self::CHUNK {
            self.flush()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = axum::body::Bytes::from(std::mem::take(&mut self.buf));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::other("the download was abandoned"))
    }
}

/// Writes the workbook (on a blocking thread): rows go to a worksheet kept in a temporary file;
/// when the last is in, the workbook is written out through [`ChunkWriter`].
fn write_xlsx(
    header: &'static [&'static str],
    mut rows: tokio::sync::mpsc::Receiver<Vec<Vec<Cell>>>,
    tx: tokio::sync::mpsc::Sender<Chunk>,
) {
    use rust_xlsxwriter::{Format as Style, Workbook, XlsxError};
    let mut book = Workbook::new();
    let written: Result<(), XlsxError> = (|| {
        let bold = Style::new().set_bold();
        let money = Style::new().set_num_format("0.00");
        let sheet = book.add_worksheet_with_constant_memory()?;
        for (c, h) in (0u16..).zip(header) {
            sheet.write_string_with_format(0, c, *h, &bold)?;
        }
        let mut r: u32 = 1;
        while let Some(batch) = rows.blocking_recv() {
            for cells in batch {
                for (c, cell) in (0u16..).zip(cells) {
                    match cell {
                        Cell::Text(s) => sheet.write_string(r, c, defuse(&s))?,
                        Cell::Fen(fen) => {
                            // A correctly rounded quotient of two exact integers: the double
                            // nearest the amount, whose shortest form is the amount's digits.
                            let v = fen as f64 / 100.0;
                            sheet.write_number_with_format(r, c, v, &money)?
                        }
                        Cell::Int(n) => sheet.write_number(r, c, n as f64)?,
                        Cell::Time(ms) => {
                            sheet.write_string(r, c, crate::domain::format_time(ms))?
                        }
                    };
                }
                r += 1;
            }
        }
        Ok(())
    })();
    let mut out = ChunkWriter {
        tx: tx.clone(),
        buf: Vec::new(),
    };
    let saved = written.and_then(|()| book.save_to_writer(&mut out));
    let done = match saved {
        Ok(()) => std::io::Write::flush(&mut out),
        Err(e) => {
            tracing::error!(error = %e, "xlsx export failed");
            Err(std::io::Error::other("export failed"))
        }
    };
    if let Err(e) = done {
        let _ = tx.blocking_send(Err(e));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Page, PageRequest};

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
    fn rows_are_joined_with_commas_after_a_bom_and_header() {
        let mut out = String::new();
        csv_line(&mut out, ["a", "b"].map(std::borrow::Cow::Borrowed));
        let cells = [
            Cell::Int(1),
            Cell::from("x,y"),
            Cell::from("=2"),
            Cell::from(crate::domain::Money::parse("3.5").unwrap()),
            Cell::Fen(-1205),
            Cell::Fen(-5),
            Cell::from(""),
        ];
        csv_line(&mut out, cells.iter().map(Cell::text));
        assert_eq!(out, "a,b\n1,\"x,y\",'=2,3.50,-12.05,-0.05,\n");
    }

    /// A list of `n` rows with ids `n..1` (newest first), which gains `grow` rows at its top after
    /// each batch is read, as a list does while someone adds to it.
    fn growing(
        n: i64,
        grow: i64,
    ) -> impl Fn(PageRequest) -> std::future::Ready<Result<Page<i64>, AppError>> {
        let reads = std::sync::atomic::AtomicI64::new(0);
        move |p: PageRequest| {
            let added = grow * reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let top = n + added;
            let items: Vec<i64> = (1..=top)
                .rev()
                .skip(usize::try_from(p.offset()).unwrap())
                .take(usize::try_from(p.limit()).unwrap())
                .collect();
            std::future::ready(Ok(p.answer(items, top)))
        }
    }

    async fn drain(
        mut b: Batches<
            i64,
            impl Fn(PageRequest) -> std::future::Ready<Result<Page<i64>, AppError>>,
        >,
    ) -> Vec<i64> {
        let mut all = Vec::new();
        while let Some(batch) = b.next().await {
            for cells in batch.unwrap() {
                match cells[..] {
                    [Cell::Int(id)] => all.push(id),
                    _ => panic!("one id per row"),
                }
            }
        }
        all
    }

    #[tokio::test]
    async fn an_export_over_the_limit_is_refused_before_a_byte() {
        let sheet = || Sheet {
            name: "t",
            header: &["id"],
            row: |id: i64| vec![Cell::Int(id)],
            id: |id| *id,
        };
        let max = i64::from(PageRequest::EXPORT_MAX_ROWS);
        let list =
            |total: i64| move |p: PageRequest| std::future::ready(Ok(p.answer(vec![1i64], total)));
        let over = respond(Format::Csv, sheet(), list(max + 1)).await;
        assert_eq!(over.err(), Some(AppError::invalid("error.export.too_many")));
        let at = respond(Format::Xlsx, sheet(), list(max)).await;
        assert_eq!(at.map(|r| r.status().as_u16()).ok(), Some(200));
    }

    #[tokio::test]
    async fn batches_hold_every_row_once_even_when_the_list_grows() {
        let size = i64::from(PageRequest::EXPORT_BATCH);
        for (n, grow) in [
            (0, 0),
            (5, 0),
            (size, 0),
            (2 * size + 7, 0),
            (2 * size + 7, 3),
        ] {
            let fetch = growing(n, grow);
            let first = fetch(PageRequest::batch(0)).await.unwrap().items;
            let got = drain(batches(first, |id| *id, |id| vec![Cell::Int(id)], fetch)).await;
            let expected: Vec<i64> = (1..=n).rev().collect();
            assert_eq!(got, expected, "{n} rows, {grow} added per batch");
        }
    }
}
