//! The operator console: its left menu around every operator page, the audit trail (审计日志)
//! and the deliveries (消息投递).

use super::api::{
    RetryDelivery, SetAccountState, accounts, audit_actions, audit_trail, deliveries,
};
use super::model::{Account, AuditLine, DELIVERY_STATES, Delivery, ROLES};
use crate::domain::{Role, format_time};
use crate::i18n::{t, use_lang};
use crate::ui::{Col, FormError, Loaded, PagedList, RequireRole, failure, urlencode};
use leptos::prelude::*;
use leptos_router::components::{A, Outlet};
use leptos_router::hooks::use_query_map;

/// The console's menu: each entry and where it leads.
const MENU: [(&str, &str); 10] = [
    ("/operator", "operator.menu.partners"),
    ("/operator/onboarding", "operator.onboarding"),
    ("/operator/accounts", "operator.accounts"),
    ("/operator/plans", "operator.plans"),
    ("/operator/paths", "operator.paths"),
    ("/operator/whitelist", "operator.whitelist"),
    ("/operator/holidays", "operator.holidays"),
    ("/operator/audit", "operator.audit"),
    ("/operator/outbox", "operator.outbox"),
    ("/messages", "menu.messages"),
];

/// Every operator page inside the console's left menu.
#[component]
pub fn OperatorShell() -> impl IntoView {
    let lang = use_lang();
    view! {
        <RequireRole role=Role::Operator>
            <div class="center">
                <nav class="center-nav console-nav" aria-label=t(lang, "operator.title")>
                    <span class="center-title">{t(lang, "operator.title")}</span>
                    {MENU.into_iter().map(|(href, key)| view! {
                        <A href=href exact=true>{t(lang, key)}</A>
                    }).collect_view()}
                </nav>
                <div class="center-body">
                    <Outlet />
                </div>
            </div>
        </RequireRole>
    }
}

/// 审计日志: every audited action, filtered by actor, action, partner and time, paged, with the
/// filters kept in the URL and a CSV export of the same rows.
#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let page = move || query.read().get("page").and_then(|p| p.parse::<u32>().ok());
    let list = Resource::new(
        move || {
            (
                get("actor"),
                get("action"),
                get("partner"),
                get("from"),
                get("to"),
                page(),
            )
        },
        |(actor, action, partner, from, to, page)| {
            audit_trail(
                Some(actor),
                Some(action),
                Some(partner),
                Some(from),
                Some(to),
                page,
            )
        },
    );
    let actions = Resource::new(|| (), |_| audit_actions());
    let export = move || {
        let q: Vec<String> = ["actor", "action", "partner", "from", "to"]
            .into_iter()
            .map(|k| format!("{k}={}", urlencode(&get(k))))
            .collect();
        format!("/operator/audit.csv?{}", q.join("&"))
    };
    let action_choice = move |list: Vec<String>| {
        let chosen = get("action");
        view! {
            <select id="audit-action" name="action">
                <option value="">{t(lang, "common.all")}</option>
                {list.into_iter().map(|a| {
                    let selected = a == chosen;
                    let value = a.clone();
                    view! { <option value=value selected=selected>{a}</option> }
                }).collect_view()}
            </select>
        }
        .into_any()
    };
    view! {
        <h1>{t(lang, "operator.audit")}</h1>
        <form method="get" class="search-bar" data-testid="audit-filters">
            <label for="audit-actor">{t(lang, "audit.actor")}</label>
            <input id="audit-actor" name="actor" prop:value=move || get("actor") maxlength="64" />
            <label for="audit-action">{t(lang, "audit.action")}</label>
            <Loaded resource=actions silent=true body=action_choice />
            <label for="audit-partner">{t(lang, "audit.partner")}</label>
            <input id="audit-partner" name="partner" prop:value=move || get("partner") maxlength="64" />
            <label for="audit-from">{t(lang, "console.from")}</label>
            <input id="audit-from" name="from" type="date" prop:value=move || get("from") />
            <label for="audit-to">{t(lang, "console.to")}</label>
            <input id="audit-to" name="to" type="date" prop:value=move || get("to") />
            <button type="submit" class="btn">{t(lang, "common.search")}</button>
            <a class="btn" href=export data-testid="audit-export" rel="external">{t(lang, "console.export")}</a>
        </form>
        <PagedList list empty="audit.empty" testid="audit-list"
            columns=vec![
                Col::text("audit.time"), Col::text("audit.actor"), Col::text("audit.action"),
                Col::text("audit.target"), Col::text("audit.detail"), Col::text("audit.from_where"),
            ]
            row=move |l: AuditLine| view! {
                <tr>
                    <td>{format_time(l.at)}</td>
                    <td>{l.actor}</td>
                    <td><code>{l.action}</code></td>
                    <td>{l.target}</td>
                    <td class="wrap">{l.detail}</td>
                    <td>{l.ip}" · "{l.channel}</td>
                </tr>
            }.into_any()
        />
    }
}

/// 消息投递: the outbox's emails and SMS with their state, attempts and last error; a failed
/// one is sent again with one click.
#[component]
pub fn OutboxPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let page = move || query.read().get("page").and_then(|p| p.parse::<u32>().ok());
    let retry = ServerAction::<RetryDelivery>::new();
    let list = Resource::new(
        move || {
            (
                get("state"),
                get("recipient"),
                page(),
                retry.version().get(),
            )
        },
        |(state, recipient, page, _)| deliveries(Some(state), Some(recipient), page),
    );
    let error = failure(retry);
    let retried = move || matches!(retry.value().get(), Some(Ok(())));
    view! {
        <h1>{t(lang, "operator.outbox")}</h1>
        <form method="get" class="search-bar">
            <label for="outbox-state">{t(lang, "outbox.state")}</label>
            <select id="outbox-state" name="state">
                <option value="">{t(lang, "common.all")}</option>
                {DELIVERY_STATES.into_iter().map(|s| {
                    let key = format!("outbox.state.{s}");
                    view! { <option value=s selected=move || get("state") == s>{t(lang, &key)}</option> }
                }).collect_view()}
            </select>
            <label for="outbox-recipient">{t(lang, "outbox.recipient")}</label>
            <input id="outbox-recipient" name="recipient" prop:value=move || get("recipient") maxlength="64" />
            <button type="submit" class="btn">{t(lang, "common.search")}</button>
        </form>
        {move || retried().then(|| view! { <p class="notice-ok" role="status">{t(lang, "outbox.retried")}</p> })}
        <FormError error />
        <PagedList list empty="outbox.empty" testid="outbox-list"
            columns=vec![
                Col::text("outbox.channel"), Col::text("outbox.recipient"), Col::text("outbox.subject"),
                Col::text("outbox.state"), Col::text("outbox.attempts"), Col::text("outbox.error"),
                Col::text("outbox.updated_at"), Col::text("common.actions"),
            ]
            row=move |d: Delivery| {
                let failed = d.state == "failed";
                let id = d.id.to_string();
                let state_key = format!("outbox.state.{}", d.state);
                let channel_key = format!("outbox.channel.{}", d.channel);
                view! {
                    <tr data-testid=format!("delivery-{}", d.id)>
                        <td>{t(lang, &channel_key)}</td>
                        <td>{d.recipient}</td>
                        <td class="wrap">{d.subject}</td>
                        <td>{t(lang, &state_key)}</td>
                        <td>{d.attempts}</td>
                        <td class="wrap">{d.last_error.unwrap_or_default()}</td>
                        <td>{format_time(d.updated_at)}</td>
                        <td class="actions">
                            {failed.then(move || view! {
                                <ActionForm action=retry>
                                    <input type="hidden" name="id" value=id />
                                    <button type="submit" class="btn">{t(lang, "outbox.retry")}</button>
                                </ActionForm>
                            })}
                        </td>
                    </tr>
                }.into_any()
            }
        />
    }
}

/// 账号管理: every account, by role, searched by login or organisation; disabled and enabled
/// again with one click.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let page = move || query.read().get("page").and_then(|p| p.parse::<u32>().ok());
    let set = ServerAction::<SetAccountState>::new();
    let list = Resource::new(
        move || (get("role"), get("q"), page(), set.version().get()),
        |(role, q, page, _)| accounts(Some(role), Some(q), page),
    );
    let error = failure(set);
    let saved = move || matches!(set.value().get(), Some(Ok(())));
    view! {
        <h1>{t(lang, "operator.accounts")}</h1>
        <form method="get" class="search-bar">
            <label for="acc-role">{t(lang, "accounts.role")}</label>
            <select id="acc-role" name="role">
                <option value="">{t(lang, "common.all")}</option>
                {ROLES.into_iter().map(|r| {
                    let key = format!("accounts.role.{r}");
                    view! { <option value=r selected=move || get("role") == r>{t(lang, &key)}</option> }
                }).collect_view()}
            </select>
            <label for="acc-q">{t(lang, "accounts.search")}</label>
            <input id="acc-q" name="q" prop:value=move || get("q") maxlength="64" />
            <button type="submit" class="btn">{t(lang, "common.search")}</button>
        </form>
        {move || saved().then(|| view! { <p class="notice-ok" role="status">{t(lang, "accounts.saved")}</p> })}
        <FormError error />
        <PagedList list empty="accounts.empty" testid="account-list"
            columns=vec![
                Col::text("accounts.login"), Col::text("accounts.role"), Col::text("accounts.organisation"),
                Col::text("common.created_at"), Col::text("accounts.state"), Col::text("common.actions"),
            ]
            row=move |a: Account| {
                let disabled = a.disabled_at.is_some();
                let role_key = format!("accounts.role.{}", a.role);
                let (state, button, next) = if disabled {
                    ("accounts.disabled", "accounts.enable", "false")
                } else {
                    ("accounts.enabled", "accounts.disable", "true")
                };
                view! {
                    <tr data-testid=format!("account-{}", a.login)>
                        <td>{a.login.clone()}</td>
                        <td>{t(lang, &role_key)}</td>
                        <td>{a.organisation.clone().unwrap_or_else(|| "-".into())}</td>
                        <td>{format_time(a.created_at)}</td>
                        <td>{t(lang, state)}</td>
                        <td class="actions">
                            <ActionForm action=set>
                                <input type="hidden" name="id" value=a.id.to_string() />
                                <input type="hidden" name="disabled" value=next />
                                <button type="submit" class="btn">{t(lang, button)}</button>
                            </ActionForm>
                        </td>
                    </tr>
                }.into_any()
            }
        />
    }
}
