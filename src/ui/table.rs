//! The console's lists: one table ([`data_table`]), one whole list ([`DataList`]) and one paged
//! list ([`Paged`], [`PagedList`]): a loading state, the error, an empty state, the table with
//! its heading, and the pagination that keeps the list's filters in the URL.

use super::{EmptyState, ErrorNotice, Loaded, Pagination};
use crate::domain::Page;
use crate::error::AppError;
use crate::i18n::{Lang, t, use_lang};
use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A column of a [`PagedList`]: its heading (a message key, or a label the same in every
/// language such as "ID"), and whether it holds numbers (right aligned).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Col {
    key: &'static str,
    num: bool,
    raw: bool,
    shown: bool,
    /// The list's sort key of this column (`sort=<key>` in the link), when it sorts.
    sort: Option<&'static str>,
}

impl Col {
    pub const fn text(key: &'static str) -> Col {
        Col {
            key,
            num: false,
            raw: false,
            shown: true,
            sort: None,
        }
    }

    pub const fn num(key: &'static str) -> Col {
        Col {
            key,
            num: true,
            raw: false,
            shown: true,
            sort: None,
        }
    }

    /// A heading shown as it is, in every language.
    pub const fn raw(label: &'static str) -> Col {
        Col {
            key: label,
            num: false,
            raw: true,
            shown: true,
            sort: None,
        }
    }

    /// The list sorts by this column: its heading links to `sort=<key>` (descending first, the
    /// other direction when already so).
    pub const fn sorts(self, key: &'static str) -> Col {
        Col {
            sort: Some(key),
            ..self
        }
    }

    /// This column only where `shown` (a column some readers of the table do not get).
    pub const fn shown_if(self, shown: bool) -> Col {
        Col { shown, ..self }
    }

    fn label(self, lang: Lang) -> &'static str {
        if self.raw {
            self.key
        } else {
            t(lang, self.key)
        }
    }
}

/// What a list shows while it loads.
pub fn loading(lang: Lang) -> AnyView {
    view! { <p class="loading">{t(lang, "common.loading")}</p> }.into_any()
}

/// Under an exportable list: a note when it holds more rows than one CSV export may.
pub fn too_many_to_export(lang: Lang, total: i64) -> AnyView {
    (total > i64::from(crate::domain::PageRequest::EXPORT_MAX_ROWS))
        .then(|| {
            view! {
                <p class="notice-warn" role="note" data-testid="export-too-many">
                    {t(lang, "error.export.too_many")}
                </p>
            }
        })
        .into_any()
}

/// The heading row of a table; a sortable column's heading is a link that sorts by it (the
/// list's other filters kept, back to its first page).
pub fn table_head(lang: Lang, columns: &[Col]) -> AnyView {
    let sorting = columns.iter().any(|c| c.sort.is_some()).then(|| {
        (
            leptos_router::hooks::use_query_map(),
            leptos_router::hooks::use_location().pathname,
        )
    });
    let cells = columns
        .iter()
        .filter(|c| c.shown)
        .map(|c| {
            let class = c.num.then_some("num");
            match (c.sort, sorting) {
                (Some(key), Some((query, path))) => {
                    let label = c.label(lang);
                    let now = move || {
                        let q = query.read();
                        let on = q.get("sort").as_deref() == Some(key);
                        on.then(|| q.get("dir").as_deref() == Some("asc"))
                    };
                    let href = move || {
                        let mut q = query.get();
                        q.replace("sort", key.to_string());
                        q.replace(
                            "dir",
                            if now() == Some(false) { "asc" } else { "desc" }.to_string(),
                        );
                        q.remove("page");
                        format!("{}{}", path.get(), q.to_query_string())
                    };
                    let aria = move || match now() {
                        Some(true) => "ascending",
                        Some(false) => "descending",
                        None => "none",
                    };
                    let mark = move || match now() {
                        Some(true) => " ▲",
                        Some(false) => " ▼",
                        None => "",
                    };
                    view! {
                        <th class=class aria-sort=aria>
                            <a class="sort" href=href data-sort=key>{label}{mark}</a>
                        </th>
                    }
                    .into_any()
                }
                _ => view! { <th class=class>{c.label(lang)}</th> }.into_any(),
            }
        })
        .collect_view();
    view! { <thead><tr>{cells}</tr></thead> }.into_any()
}

/// A table: the heading of `columns`, then `rows` (each a `<tr>`).
pub fn data_table(
    lang: Lang,
    testid: &'static str,
    columns: &[Col],
    rows: impl IntoView + 'static,
) -> AnyView {
    view! {
        <table class="table" data-testid=testid>
            {table_head(lang, columns)}
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// [`data_table`] in a view: `columns` (see [`Col::shown_if`]) and the rows.
#[component]
pub fn DataTable(testid: &'static str, columns: Vec<Col>, rows: AnyView) -> impl IntoView {
    data_table(use_lang(), testid, &columns, rows)
}

/// A list's empty state: its message and, where there is one, a hint at what to do.
fn empty_state(lang: Lang, empty: &'static str, hint: Option<&'static str>) -> AnyView {
    match hint {
        Some(h) => view! { <EmptyState title=t(lang, empty) hint=t(lang, h) /> }.into_any(),
        None => view! { <EmptyState title=t(lang, empty) /> }.into_any(),
    }
}

/// `items` as a table of `columns` with `row` rendering each (a `<tr>`), or the empty state.
pub fn list_table<T>(
    lang: Lang,
    items: Vec<T>,
    empty: &'static str,
    empty_hint: Option<&'static str>,
    testid: &'static str,
    columns: &[Col],
    row: impl FnMut(T) -> AnyView,
) -> AnyView {
    if items.is_empty() {
        return empty_state(lang, empty, empty_hint);
    }
    data_table(
        lang,
        testid,
        columns,
        items.into_iter().map(row).collect_view(),
    )
}

/// A whole (not paged) list as a table: a loading state, its error, an empty state, or the
/// table with `row` rendering each item (a `<tr>`).
#[component]
pub fn DataList<T, R>(
    list: Resource<Result<Vec<T>, AppError>>,
    /// The empty state's message key.
    empty: &'static str,
    #[prop(optional)] empty_hint: Option<&'static str>,
    /// The table's `data-testid`.
    testid: &'static str,
    columns: Vec<Col>,
    row: R,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    R: Fn(T) -> AnyView + Clone + Send + Sync + 'static,
{
    let lang = use_lang();
    view! {
        <Loaded resource=list
            body=move |items| list_table(lang, items, empty, empty_hint, testid, &columns, row.clone()) />
    }
}

/// One page of `list`: a loading state, its error, an empty state, or `body` (given the page's
/// items) with the pagination under it; `after` may add a note that depends on the total
/// (e.g. too many rows to export).
#[component]
pub fn Paged<T, B>(
    list: Resource<Result<Page<T>, AppError>>,
    /// The empty state's message key.
    empty: &'static str,
    #[prop(optional_no_strip)] empty_hint: Option<&'static str>,
    body: B,
    #[prop(optional_no_strip)] after: Option<fn(Lang, i64) -> AnyView>,
    /// Offer a choice of page size (the list reads `size` from its link).
    #[prop(optional)]
    sizes: bool,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    B: Fn(Vec<T>) -> AnyView + Clone + Send + Sync + 'static,
{
    let lang = use_lang();
    view! {
        <Suspense fallback=move || loading(lang)>
            {move || {
                let body = body.clone();
                Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(p) if p.items.is_empty() => empty_state(lang, empty, empty_hint),
                        Ok(p) => {
                            let (number, pages, total) = (p.number, p.pages(), p.total);
                            view! {
                                {body(p.items)}
                                <Pagination number pages total sizes />
                                {after.map(|f| f(lang, total))}
                            }
                            .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

/// One page of `list` as a table (see [`Paged`]): `row` renders each item (a `<tr>`).
#[component]
pub fn PagedList<T, R>(
    list: Resource<Result<Page<T>, AppError>>,
    /// The empty state's message key.
    empty: &'static str,
    #[prop(optional)] empty_hint: Option<&'static str>,
    /// The table's `data-testid`.
    testid: &'static str,
    columns: Vec<Col>,
    row: R,
    #[prop(optional)] after: Option<fn(Lang, i64) -> AnyView>,
    /// Offer a choice of page size (see [`Paged`]).
    #[prop(optional)]
    sizes: bool,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    R: Fn(T) -> AnyView + Clone + Send + Sync + 'static,
{
    let lang = use_lang();
    let body = move |items: Vec<T>| {
        let rows = items.into_iter().map(row.clone()).collect_view();
        data_table(lang, testid, &columns, rows)
    };
    view! { <Paged list empty empty_hint body after sizes /> }
}
