//! 访问密钥: a partner user's access keys for the open API.

use super::api::{ChangeKey, CreateKey, list_keys};
use crate::domain::format_time;
use crate::i18n::{t, use_lang};
use crate::ui::{Col, DataList, Field, FormError, failure};
use leptos::prelude::*;

#[component]
pub fn AccessKeysPage() -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateKey>::new();
    let change = ServerAction::<ChangeKey>::new();
    let keys = Resource::new(
        move || (create.version().get(), change.version().get()),
        |_| list_keys(),
    );
    let create_error = failure(create);
    let change_error = failure(change);
    view! {
        <h1>{t(lang, "keys.title")}</h1>
        <p class="muted">{t(lang, "keys.hint")}</p>
        <p><a href="/center/api-explorer">"API Explorer"</a>" · "<a href="/openapi.json">"OpenAPI 3 (openapi.json)"</a></p>
        {move || create.value().get().and_then(|r| r.ok()).map(|k| view! {
            <section class="panel confirm-box" data-testid="new-key">
                <h2>{t(lang, "keys.created")}</h2>
                <p>{t(lang, "keys.once")}</p>
                <dl class="facts">
                    <dt>"AK"</dt><dd data-testid="new-ak">{k.ak}</dd>
                    <dt>"SK"</dt><dd data-testid="new-sk">{k.sk}</dd>
                    <dt>"domain_id"</dt><dd>{k.domain_id}</dd>
                </dl>
            </section>
        })}
        <ActionForm action=create attr:class="search-bar">
            <Field id="key-description" name="description" label="keys.description" maxlength=64 />
            <button type="submit" class="btn btn-primary" data-testid="key-create">{t(lang, "keys.create")}</button>
        </ActionForm>
        <FormError error=create_error />
        <FormError error=change_error />
        <DataList list=keys empty="keys.none" testid="keys"
            columns=vec![
                Col::raw("AK"), Col::text("keys.description"), Col::text("invite.state"),
                Col::text("common.created_at"), Col::text("keys.last_used"), Col::text("common.actions"),
            ]
            row=move |key| {
                let ak = key.ak.clone();
                let ak2 = key.ak.clone();
                view! {
                    <tr data-testid=format!("key-{}", key.ak)>
                        <td>{key.ak.clone()}</td>
                        <td>{key.description.clone()}</td>
                        <td>{t(lang, if key.active { "keys.active" } else { "keys.disabled" })}</td>
                        <td>{format_time(key.created_at)}</td>
                        <td>{key.last_used_at.map(format_time).unwrap_or_else(|| "-".into())}</td>
                        <td class="actions">
                            <ActionForm action=change attr:class="inline">
                                <input type="hidden" name="ak" value=ak />
                                <input type="hidden" name="action" value=if key.active { "disable" } else { "enable" } />
                                <button type="submit" class="btn-link">{t(lang, if key.active { "keys.disable" } else { "keys.enable" })}</button>
                            </ActionForm>
                            <ActionForm action=change attr:class="inline">
                                <input type="hidden" name="ak" value=ak2 />
                                <input type="hidden" name="action" value="delete" />
                                <button type="submit" class="btn-link">{t(lang, "keys.delete")}</button>
                            </ActionForm>
                        </td>
                    </tr>
                }
            }.into_any()
        />
    }
}

/// API Explorer: try each operation of the open API with the signed-in session.
#[component]
pub fn ApiExplorerPage() -> impl IntoView {
    use super::api::Explore;
    use super::catalog::{OPERATIONS, Ty};
    use crate::i18n::Lang;
    let lang = use_lang();
    let selected = RwSignal::new(OPERATIONS[0].name);
    let body = RwSignal::new(OPERATIONS[0].example.to_string());
    let query = RwSignal::new(String::new());
    let client_token = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);
    let explore = ServerAction::<Explore>::new();
    let op = move || super::catalog::find(selected.get()).unwrap_or(&OPERATIONS[0]);
    let choose = move |name: String| {
        if let Some(o) = super::catalog::find(&name) {
            selected.set(o.name);
            if o.in_body() {
                body.set(o.example.to_string());
                query.set(String::new());
            } else {
                query.set(o.example.to_string());
                body.set(String::new());
            }
            confirming.set(false);
        }
    };
    let send = move || {
        confirming.set(false);
        explore.dispatch(Explore {
            operation: selected.get_untracked().to_string(),
            query: query.get_untracked(),
            body: body.get_untracked(),
            client_token: client_token.get_untracked(),
        });
    };
    let error = failure(explore);
    let ty = |t: Ty| match t {
        Ty::Str => "string",
        Ty::Int => "integer",
        Ty::Number => "number",
        Ty::StrList => "string[]",
        Ty::IntList => "integer[]",
    };
    view! {
        <h1>"API Explorer"</h1>
        <p class="muted">{t(lang, "explorer.hint")} " " <a href="/openapi.json" data-testid="openapi-link">"OpenAPI 3 (openapi.json)"</a></p>
        <div class="form-grid">
            <label for="explorer-op">{t(lang, "explorer.operation")}</label>
            <select id="explorer-op" data-testid="explorer-op" on:change=move |ev| choose(event_target_value(&ev))>
                {OPERATIONS.iter().map(|o| {
                    let title = if lang == Lang::En { o.title_en } else { o.title_zh };
                    view! { <option value=o.name selected=move || selected.get() == o.name>{format!("{title} · {}", o.name)}</option> }
                }).collect_view()}
            </select>
        </div>
        <section class="panel">
            <p><code data-testid="explorer-endpoint">{move || format!("{} {}", op().method, op().path)}</code>
                {move || op().distributor_only.then(|| view! { " " <span class="badge">{t(lang, "explorer.distributor_only")}</span> })}
                {move || op().changes.then(|| view! { " " <span class="badge badge-warn">{t(lang, "explorer.changes")}</span> })}
            </p>
            <table class="table compact">
                <thead><tr><th>{t(lang, "explorer.param")}</th><th>{t(lang, "explorer.type")}</th><th>{t(lang, "explorer.required")}</th></tr></thead>
                <tbody>
                    {move || op().params.iter().map(|p| view! {
                        <tr><td><code>{p.name}</code></td><td>{ty(p.ty)}</td><td>{if p.required { "✓" } else { "" }}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            {move || if op().in_body() {
                view! {
                    <label for="explorer-body">{t(lang, "explorer.body")}</label>
                    <textarea id="explorer-body" data-testid="explorer-body" rows="6" class="code"
                        prop:value=move || body.get()
                        on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                }.into_any()
            } else {
                view! {
                    <label for="explorer-query">{t(lang, "explorer.query")}</label>
                    <input id="explorer-query" data-testid="explorer-query" class="code"
                        prop:value=move || query.get()
                        on:input=move |ev| query.set(event_target_value(&ev)) />
                }.into_any()
            }}
            {move || op().changes.then(|| view! {
                <label for="explorer-client-token">"X-Client-Token " <span class="muted">{t(lang, "explorer.client_token")}</span></label>
                <input id="explorer-client-token" data-testid="explorer-client-token" class="code" maxlength="64"
                    prop:value=move || client_token.get()
                    on:input=move |ev| client_token.set(event_target_value(&ev)) />
            })}
            <div class="actions">
                {move || if confirming.get() {
                    view! {
                        <div class="confirm-box" data-testid="explorer-confirm">
                            <p>{t(lang, "explorer.confirm")}</p>
                            <button type="button" class="btn btn-primary" data-testid="explorer-confirm-send" on:click=move |_| send()>{t(lang, "common.confirm")}</button>
                            " "
                            <button type="button" class="btn" on:click=move |_| confirming.set(false)>{t(lang, "common.cancel")}</button>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="btn btn-primary" data-testid="explorer-send"
                            disabled=move || explore.pending().get()
                            on:click=move |_| if op().changes { confirming.set(true) } else { send() }>
                            {t(lang, "explorer.send")}
                        </button>
                    }.into_any()
                }}
            </div>
        </section>
        <FormError error=error />
        {move || explore.value().get().and_then(|r| r.ok()).map(|x| view! {
            <section class="panel" data-testid="explorer-exchange" data-call=move || explore.version().get()>
                <h2>{t(lang, "explorer.request")}</h2>
                <pre class="code" data-testid="explorer-request">{format!("{} {}\n\n{}", x.method, x.url, x.request_body)}</pre>
                <h2>{t(lang, "explorer.response")} " " <span data-testid="explorer-status">{x.status}</span></h2>
                <pre class="code" data-testid="explorer-response">{x.response_body}</pre>
            </section>
        })}
    }
}
