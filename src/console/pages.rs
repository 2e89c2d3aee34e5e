//! The operator console: its left menu around every operator page, the audit trail (审计日志)
//! and the deliveries (消息投递).

use super::api::{
    CreateAccount, RetryDelivery, SetAccountState, accounts, audit_actions, audit_trail, deliveries,
};
use super::model::{Account, AuditLine, DELIVERY_STATES, Delivery, PickKind, ROLES};
use super::picker::Picker;
use crate::domain::{Role, format_time};
use crate::i18n::{t, use_lang};
use crate::profile::api::OperatorResetPassword;
use crate::profile::model::IssuedPassword;
use crate::ui::{Col, ExportLinks, FormError, Loaded, PagedList, RequireRole, failure};
use leptos::prelude::*;
use leptos_router::components::{A, Outlet};
use leptos_router::hooks::use_query_map;

/// The console's menu: each entry and where it leads.
const MENU: [(&str, &str); 15] = [
    ("/operator", "operator.menu.partners"),
    ("/operator/onboarding", "operator.onboarding"),
    ("/operator/customers", "operator.customers"),
    ("/operator/accounts", "operator.accounts"),
    ("/operator/quotas", "operator.quotas"),
    ("/operator/funding", "operator.funding"),
    ("/operator/plans", "operator.plans"),
    ("/operator/paths", "operator.paths"),
    ("/operator/opportunities", "operator.opportunities"),
    ("/operator/contracts", "contract.queue"),
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
    let number = move |k: &str| query.read().get(k).and_then(|p| p.parse::<u32>().ok());
    let list = Resource::new(
        move || {
            (
                get("actor"),
                get("action"),
                get("partner"),
                get("from"),
                get("to"),
                number("page"),
                number("size"),
            )
        },
        |(actor, action, partner, from, to, page, size)| {
            audit_trail(
                Some(actor),
                Some(action),
                Some(partner),
                Some(from),
                Some(to),
                page,
                size,
            )
        },
    );
    let actions = Resource::new(|| (), |_| audit_actions());
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
            <ExportLinks path="/operator/audit" />
        </form>
        <PagedList list empty="audit.empty" testid="audit-list" sizes=true
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
    let reset = ServerAction::<OperatorResetPassword>::new();
    let create = ServerAction::<CreateAccount>::new();
    let list = Resource::new(
        move || {
            (
                get("role"),
                get("q"),
                page(),
                set.version().get(),
                create.version().get(),
            )
        },
        |(role, q, page, _, _)| accounts(Some(role), Some(q), page),
    );
    let error = crate::ui::either(failure(set), failure(reset));
    let saved = move || matches!(set.value().get(), Some(Ok(())));
    let issued = move || reset.value().get().and_then(Result::ok);
    view! {
        <h1>{t(lang, "operator.accounts")}</h1>
        <CreateAccountForm create />
        <crate::accounts::pages::RealNameForm />
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
        {move || issued().map(issued_password)}
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
                            <ActionForm action=reset>
                                <input type="hidden" name="user" value=a.id.to_string() />
                                <button type="submit" class="btn" data-testid="reset-password" on:click=move |ev| crate::ui::ask_first(lang, "accounts.reset.confirm", ev)>{t(lang, "accounts.reset")}</button>
                            </ActionForm>
                        </td>
                    </tr>
                }.into_any()
            }
        />
    }
}

/// A generated password, shown this once for the operator to pass on.
fn issued_password(p: IssuedPassword) -> AnyView {
    let lang = crate::i18n::use_lang();
    let text = t(lang, "accounts.reset.done").replace("{login}", &p.login);
    view! {
        <div class="notice-ok" role="status" data-testid="issued-password">
            <p>{text}</p>
            <p><code class="secret" data-testid="temporary-password">{p.password}</code></p>
        </div>
    }
    .into_any()
}

/// 新建账号: the role, then what that role needs; the password is generated and shown once.
#[component]
fn CreateAccountForm(create: ServerAction<CreateAccount>) -> impl IntoView {
    use crate::domain::{CustomerMode, PartnerKind};
    let lang = use_lang();
    let role = RwSignal::new("operator".to_string());
    let kind = RwSignal::new("solution_provider".to_string());
    let error = failure(create);
    let issued = move || create.value().get().and_then(Result::ok);
    let is = move |r: &'static str| move || role.get() == r;
    let on_role = move |ev: leptos::ev::Event| role.set(event_target_value(&ev));
    let on_kind = move |ev: leptos::ev::Event| kind.set(event_target_value(&ev));
    view! {
        <details class="panel" data-testid="create-account">
            <summary><h2 class="inline">{t(lang, "accounts.create")}</h2></summary>
            <ActionForm action=create attr:class="form-grid" attr:novalidate=true>
                <label for="ca-role">{t(lang, "accounts.role")}</label>
                <select id="ca-role" name="role" on:change=on_role>
                    {["operator", "partner", "customer", "personal"].into_iter().map(|r| {
                        let key = format!("accounts.role.{r}");
                        view! { <option value=r>{t(lang, &key)}</option> }
                    }).collect_view()}
                </select>
                <label for="ca-login">{t(lang, "accounts.login")}</label>
                <input id="ca-login" name="login" maxlength="64" autocomplete="off" />
                <Show when=move || role.get() == "partner" || role.get() == "customer">
                    <label for="ca-name">{t(lang, "accounts.organisation")}</label>
                    <input id="ca-name" name="name" maxlength="100" />
                </Show>
                <Show when=is("partner")>
                    <label for="ca-kind">{t(lang, "partner.kind")}</label>
                    <select id="ca-kind" name="kind" on:change=on_kind>
                        {[PartnerKind::SolutionProvider, PartnerKind::Distributor, PartnerKind::Reseller].into_iter().map(|k| view! {
                            <option value=k.as_str()>{t(lang, k.label_key())}</option>
                        }).collect_view()}
                    </select>
                    <Show when=move || kind.get() == "reseller">
                        <Picker id="ca-parent" name="parent" label="partner.parent" what=PickKind::Distributor />
                    </Show>
                    <label for="ca-email">{t(lang, "profile.email")}</label>
                    <input id="ca-email" name="email" type="email" maxlength="254" />
                </Show>
                <Show when=is("customer")>
                    <Picker id="ca-partner" name="partner" label="accounts.partner" what=PickKind::Partner />
                    <label for="ca-mode">{t(lang, "accounts.mode")}</label>
                    <select id="ca-mode" name="mode">
                        {[CustomerMode::Resale, CustomerMode::Consulting].into_iter().map(|m| view! {
                            <option value=m.as_str()>{t(lang, m.label_key())}</option>
                        }).collect_view()}
                    </select>
                    <p class="muted hint span-all">{t(lang, "accounts.partner.hint")}</p>
                </Show>
                <Show when=is("personal")>
                    <label for="ca-site">{t(lang, "accounts.site")}</label>
                    <select id="ca-site" name="site">
                        <option value="cn">{t(lang, "accounts.site.cn")}</option>
                        <option value="intl">{t(lang, "accounts.site.intl")}</option>
                    </select>
                    <label for="ca-verified">{t(lang, "operator.real_name.state")}</label>
                    <select id="ca-verified" name="verified">
                        <option value="false">{t(lang, "operator.real_name.unverified")}</option>
                        <option value="true">{t(lang, "operator.real_name.verified")}</option>
                    </select>
                </Show>
                <p class="muted hint span-all">{t(lang, "accounts.create.hint")}</p>
                <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>{t(lang, "accounts.create.submit")}</button>
            </ActionForm>
            <FormError error />
            {move || issued().map(issued_password)}
        </details>
    }
}
