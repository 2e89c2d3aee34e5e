//! The help center page: FAQ with a search box (a plain GET form, no sign-in needed).

use super::model::search;
use crate::i18n::{t, use_lang};
use crate::ui::EmptyState;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn HelpPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    view! {
        <section class="panel help">
            <h1>{t(lang, "help.title")}</h1>
            <form method="get" class="search-bar" role="search">
                <label for="help-q">{t(lang, "help.search")}</label>
                <input id="help-q" name="q" type="search" value=q maxlength="100" />
                <button type="submit" class="btn btn-primary">{t(lang, "common.search")}</button>
            </form>
            {move || {
                let found = search(&q());
                if found.is_empty() {
                    view! { <EmptyState title=t(lang, "help.none") /> }.into_any()
                } else {
                    view! {
                        <dl class="faq" data-testid="faq">
                            {found.into_iter().map(|f| view! {
                                <dt data-testid=format!("faq-{}", f.id)><span class="tag tag-muted">{f.topic(lang)}</span>" "{f.question(lang)}</dt>
                                <dd>{f.answer(lang)}</dd>
                            }).collect_view()}
                        </dl>
                    }.into_any()
                }
            }}
        </section>
    }
}
