//! Shared UI: the header with the account drop-down, the role guard, empty states, errors and
//! pagination.

use crate::accounts::api::{Login, Logout};
use crate::accounts::model::SessionUser;
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::{Lang, has, t, use_lang};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_location, use_query_map};

mod loaded;
mod table;
pub use loaded::Loaded;
pub use table::{
    Col, DataList, DataTable, Paged, PagedList, data_table, list_table, loading, table_head,
    too_many_to_export,
};

/// The signed-in user and the actions that change who it is.
///
/// The user is known before the page renders: on the server a middleware loads it from the
/// session into the request, and the shell embeds it as JSON (`#pc-user`) for the browser. So
/// guards and the header are plain branches, with nothing to wait for and nothing rendered
/// twice. Signing in or out ends in a full page load (see `hydrate`), which keeps it current.
#[derive(Clone)]
pub struct Auth {
    pub user: Option<SessionUser>,
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
}

impl Auth {
    pub fn provide(user: Option<SessionUser>) -> Auth {
        let auth = Auth {
            user,
            login: ServerAction::<Login>::new(),
            logout: ServerAction::<Logout>::new(),
        };
        provide_context(auth.clone());
        auth
    }
}

/// Percent-encodes a value for a query string.
pub fn urlencode(s: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~')
        .remove(b'/');
    percent_encoding::utf8_percent_encode(s, KEEP).to_string()
}

#[component]
pub fn Header() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let lang = use_lang();
    let right = match auth.user {
        Some(user) => {
            let unread = user.unread;
            view! {
                <a class="unread-link" href="/messages" data-testid="unread-messages">
                    {t(lang, "header.unread")}
                    {(unread > 0).then(|| view! { " "<span class="badge">{unread}</span> })}
                </a>
                <AccountMenu user />
            }
            .into_any()
        }
        None => view! { <a class="btn btn-primary" href="/login">{t(lang, "header.login")}</a> }
            .into_any(),
    };
    let help = view! { <a class="help-link" href="/help">{t(lang, "help.title")}</a> };
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true"></span>
                {t(lang, "brand")}
            </a>
            <div class="topbar-right">{help}{right}</div>
        </header>
    }
}

#[component]
fn AccountMenu(user: SessionUser) -> impl IntoView {
    let auth = expect_context::<Auth>();
    let lang = use_lang();
    let pathname = use_location().pathname;
    let switch =
        move |to: Lang| format!("/lang?to={}&next={}", to.code(), urlencode(&pathname.get()));
    let current = move |l: Lang| (l == lang).then_some("true");
    let role = user.role;
    let admin = user.works_in(crate::members::model::Area::Company);
    view! {
        <details class="account-menu">
            <summary data-testid="account-menu">{user.display_name().to_string()}</summary>
            <ul class="menu">
                {(role == Role::Partner).then(|| view! {
                    <li><a href="/center">{t(lang, "menu.partner_center")}</a></li>
                })}
                {admin.then(|| view! {
                    <li><a href="/center/keys">{t(lang, "menu.keys")}</a></li>
                    <li><a href="/center/api-explorer">{t(lang, "menu.explorer")}</a></li>
                })}
                {(role == Role::Customer).then(|| view! {
                    <li><a href="/customer">{t(lang, "menu.my_partner")}</a></li>
                })}
                {(role == Role::Operator).then(|| view! {
                    <li><a href="/operator">{t(lang, "menu.operator")}</a></li>
                })}
                {(role == Role::Personal).then(|| view! {
                    <li><a href="/personal">{t(lang, "menu.personal")}</a></li>
                })}
                <li><a href="/messages">{t(lang, "menu.messages")}</a></li>
                <li><a href="/account" data-testid="profile-link">{t(lang, "menu.profile")}</a></li>
                <li class="lang-switch">
                    <a href=move || switch(Lang::Zh) rel="external" aria-current=move || current(Lang::Zh)>"中文"</a>
                    " / "
                    <a href=move || switch(Lang::En) rel="external" aria-current=move || current(Lang::En)>"English"</a>
                </li>
                <li>
                    <ActionForm action=auth.logout>
                        <button type="submit" class="menu-button">{t(lang, "menu.logout")}</button>
                    </ActionForm>
                </li>
            </ul>
        </details>
    }
}

/// Renders `children` when the signed-in user passes `allowed`; otherwise a 403 page, or the
/// login page for a visitor who is not signed in (coming back here afterwards, query included).
fn guarded(allowed: impl Fn(&SessionUser) -> bool, children: Children) -> AnyView {
    let auth = expect_context::<Auth>();
    let password = crate::profile::model::PASSWORD_PATH;
    let location = use_location();
    let path = location.pathname.get_untracked();
    match auth.user {
        // Until a user has replaced the password an operator set, every page sends it to change it.
        Some(u) if u.must_change_password && path != password => see_other(password.to_string()),
        // A partner member opens only the pages of its role's areas.
        Some(u) if allowed(&u) && u.may_open(&path) => children().into_any(),
        Some(_) => view! { <Forbidden /> }.into_any(),
        None => {
            let search = location.search.get_untracked();
            let next = if search.is_empty() {
                path
            } else {
                format!("{path}?{}", search.trim_start_matches('?'))
            };
            see_other(format!("/login?next={}", urlencode(&next)))
        }
    }
}

/// Sends the browser to `path`: from the server, a `303 See Other` with an empty page (the
/// browser follows it before anything renders); in the browser, a client-side navigation.
fn see_other(path: String) -> AnyView {
    let view = view! { <Redirect path=path /> }.into_any();
    // The router's server redirect answers 302 Found; a page a visitor may not see yet is a 303
    // (the browser fetches the login page with GET, whatever brought it here).
    set_status(303);
    view
}

/// Shows its children only to a signed-in user of the given role. A visitor who is not signed in
/// is sent to the login page (and back here afterwards); anyone else gets a 403 page. The data of
/// such pages is also refused by their server functions: this guard is for the user, not the
/// security boundary.
#[component]
pub fn RequireRole(role: Role, children: Children) -> impl IntoView {
    guarded(move |u| u.role == role, children)
}

/// Like [`RequireRole`] but any signed-in user passes.
#[component]
pub fn RequireLogin(children: Children) -> impl IntoView {
    guarded(|_| true, children)
}

/// Asks before a button's irreversible action (signing someone out, removing someone): the
/// click is cancelled unless the user confirms the question `key`.
pub fn ask_first(lang: crate::i18n::Lang, key: &'static str, ev: leptos::ev::MouseEvent) {
    #[cfg(feature = "hydrate")]
    {
        let ok = web_sys::window()
            .and_then(|w| w.confirm_with_message(t(lang, key)).ok())
            .unwrap_or(false);
        if !ok {
            ev.prevent_default();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (lang, key, ev);
}

/// Sets the HTTP status of the page being rendered on the server (no-op in the browser).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(res), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::StatusCode::from_u16(code),
    ) {
        res.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// 403: the signed-in user may not see this page.
#[component]
pub fn Forbidden() -> impl IntoView {
    status_page(403, "error.forbidden", "forbidden")
}

/// 404: no such page.
#[component]
pub fn NotFound() -> impl IntoView {
    status_page(404, "error.page_not_found", "not-found")
}

/// A whole-page refusal: the status code, its explanation and the way home.
fn status_page(code: u16, key: &'static str, testid: &'static str) -> AnyView {
    set_status(code);
    let lang = use_lang();
    view! {
        <section class="notice-page" data-testid=testid>
            <h1>{code.to_string()}</h1>
            <p>{t(lang, key)}</p>
            <a class="btn" href="/">{t(lang, "common.back_home")}</a>
        </section>
    }
    .into_any()
}

/// The message of an error, with its code where the code tells the user more (CBC.5021…).
pub fn error_text(error: &AppError, lang: Lang) -> String {
    match error {
        AppError::Conflict(_) | AppError::Busy => {
            format!("{} ({})", error.message(lang), error.code())
        }
        _ => error.message(lang).to_string(),
    }
}

#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let lang = use_lang();
    view! { <p class="form-error" role="alert">{error_text(&error, lang)}</p> }
}

/// A friendly "nothing here yet" block.
#[component]
pub fn EmptyState(
    title: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div class="empty-state" data-testid="empty-state">
            <div class="empty-illustration" aria-hidden="true"></div>
            <p class="empty-title">{title}</p>
            {hint.map(|h| view! { <p class="empty-hint">{h}</p> })}
        </div>
    }
}

/// The error of `action`'s last run, if it failed (what [`FormError`] shows).
pub fn failure<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}

/// The first of two errors (one message line under a list whose rows have two actions).
pub fn either(
    a: Signal<Option<AppError>>,
    b: Signal<Option<AppError>>,
) -> Signal<Option<AppError>> {
    Signal::derive(move || a.get().or_else(|| b.get()))
}

/// The error of the last submission: from the action (after the WebAssembly loaded) or from the
/// `error` query parameter (a plain form post redirected back with its error key).
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let message = move || {
        error.get().map(|e| e.message(lang)).or_else(|| {
            query
                .read()
                .get("error")
                .filter(|k| has(k))
                .map(|k| t(lang, &k))
        })
    };
    view! {
        <Show when=move || message().is_some()>
            <p class="form-error" role="alert">{message}</p>
        </Show>
    }
}

/// A labelled text field: `<label for=id>` with its translated `label`, then the `<input>`.
/// `maxlength`, `inputmode`, `kind` (the input's `type`) and `required` are left out when not given.
#[component]
pub fn Field(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <label for=id>{t(lang, label)}</label>
        <input id=id name=name maxlength=maxlength inputmode=inputmode type=kind required=required />
    }
}

/// Query parameters that report the last action (a banner), not what a list shows.
const TRANSIENT: [&str; 7] = [
    "done",
    "created",
    "applied",
    "invited",
    "registered",
    "error",
    "shared",
];

/// A list's export links: `path` (without extension) as `.csv` and `.xlsx`, with the list's
/// current filters and sort (the page's query without its page and banners), and `with` where
/// the query does not say (what the page shows by default, such as its first tab).
#[component]
pub fn ExportLinks(
    path: &'static str,
    #[prop(optional)] with: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let with = std::sync::Arc::new(with);
    let href = move |ext: &'static str| {
        let with = with.clone();
        move || {
            let mut q = query.get();
            for k in TRANSIENT.iter().chain(&["page", "size"]) {
                q.remove(k);
            }
            for (k, v) in with.iter() {
                if q.get(k).is_none() {
                    q.replace(*k, (*v).to_string());
                }
            }
            format!("{path}.{ext}{}", q.to_query_string())
        }
    };
    view! {
        <span class="export-links">
            <a class="btn" href=href("csv") rel="external" download data-testid="export-csv">{t(lang, "common.export_csv")}</a>
            <a class="btn" href=href("xlsx") rel="external" download data-testid="export-xlsx">{t(lang, "common.export_xlsx")}</a>
        </span>
    }
}

/// The page sizes a list offers: links that keep its filters and go back to its first page.
#[component]
fn PageSizes() -> impl IntoView {
    let lang = use_lang();
    let pathname = use_location().pathname;
    let query = use_query_map();
    let current = move || {
        query
            .read()
            .get("size")
            .and_then(|s| s.parse::<u32>().ok())
            .unwrap_or(crate::domain::PageRequest::DEFAULT_SIZE)
    };
    let choices = [10u32, 20, 50, 100].map(|n| {
        let href = move || {
            let mut q = query.get();
            q.remove("page");
            q.replace("size", n.to_string());
            format!("{}{}", pathname.get(), q.to_query_string())
        };
        let shown = move || current() == n;
        view! {
            <a href=href class:current=shown aria-current=move || shown().then_some("true") data-size=n>{n}</a>
        }
    });
    view! {
        <span class="page-sizes" data-testid="page-sizes">{t(lang, "common.page_size")}" "{choices.into_iter().collect_view()}</span>
    }
}

/// Previous / next links and "page N of M" for a list.
#[component]
pub fn Pagination(
    number: u32,
    pages: u32,
    total: i64,
    /// The query parameter holding the page number, when a page has several lists.
    #[prop(optional)]
    param: Option<&'static str>,
    /// Offer a choice of page size (`size`: 10, 20, 50 or 100 rows).
    #[prop(optional)]
    sizes: bool,
) -> impl IntoView {
    let param = param.unwrap_or("page");
    let lang = use_lang();
    let pathname = use_location().pathname;
    let query = use_query_map();
    // Keeps the list's filters and tab; drops one-off banners of the last action.
    let href = move |n: u32| {
        let mut q = query.get();
        for transient in TRANSIENT {
            q.remove(transient);
        }
        q.replace(param, n.to_string());
        format!("{}{}", pathname.get(), q.to_query_string())
    };
    view! {
        <nav class="pagination" aria-label=t(lang, "common.pagination")>
            <span class="total">{t(lang, "common.total")}" "{total}</span>
            {(number > 1).then(|| view! { <a href=move || href(number - 1) rel="prev">{t(lang, "common.prev")}</a> })}
            <span class="page-of">{number}" / "{pages}</span>
            {(number < pages).then(|| view! { <a href=move || href(number + 1) rel="next">{t(lang, "common.next")}</a> })}
            {sizes.then(|| view! { <PageSizes /> })}
        </nav>
    }
}
