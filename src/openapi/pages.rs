//! 访问密钥: a partner user's access keys for the open API.

use super::api::{ChangeKey, CreateKey, list_keys};
use crate::domain::format_time;
use crate::i18n::{t, use_lang};
use crate::ui::{EmptyState, ErrorNotice, FormError};
use leptos::prelude::*;

#[component]
pub fn AccessKeysPage() -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateKey>::new();
    let change = ServerAction::<ChangeKey>::new();
    let keys = Resource::new(move || create.version().get(), |_| list_keys());
    let create_error = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    let change_error = Signal::derive(move || change.value().get().and_then(|r| r.err()));
    view! {
        <h1>{t(lang, "keys.title")}</h1>
        <p class="muted">{t(lang, "keys.hint")}</p>
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
            <label for="key-description">{t(lang, "keys.description")}</label>
            <input id="key-description" name="description" maxlength="64" />
            <button type="submit" class="btn btn-primary" data-testid="key-create">{t(lang, "keys.create")}</button>
        </ActionForm>
        <FormError error=create_error />
        <FormError error=change_error />
        <Suspense fallback=move || view! { <p class="loading">{t(lang, "common.loading")}</p> }>
            {move || Suspend::new(async move {
                match keys.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(k) if k.is_empty() => view! { <EmptyState title=t(lang, "keys.none") /> }.into_any(),
                    Ok(k) => view! {
                        <table class="table" data-testid="keys">
                            <thead><tr>
                                <th>"AK"</th><th>{t(lang, "keys.description")}</th><th>{t(lang, "invite.state")}</th>
                                <th>{t(lang, "common.created_at")}</th><th>{t(lang, "keys.last_used")}</th><th>{t(lang, "common.actions")}</th>
                            </tr></thead>
                            <tbody>
                                {k.into_iter().map(|key| {
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
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
