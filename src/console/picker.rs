//! A search-as-you-type picker: the operator types part of a name (or an id) and chooses among
//! the matches; the form sends the chosen id. No one types an id by hand. A page opened from a
//! partner's page comes with the choice made: `?partner=<id>` (`?customer=`, `?personal=`)
//! presets the pickers of that kind.

use super::api::pick_choices;
use super::model::{Pick, PickKind};
use crate::i18n::{t, use_lang};
use leptos::prelude::*;

/// A labelled picker that submits the chosen id as `name`. `detail` turns a choice's second line
/// (a stored code such as a partner kind) into words.
#[component]
pub fn Picker(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    what: PickKind,
) -> impl IntoView {
    let lang = use_lang();
    // On a partner's own page its partner pickers are already decided.
    if let Some(super::model::FixedPartner(p)) = use_context::<super::model::FixedPartner>()
        && matches!(what, PickKind::Partner | PickKind::Distributor)
    {
        return view! {
            <label for=id>{t(lang, label)}</label>
            <div class="picker" data-testid=format!("picker-{name}")>
                <input type="hidden" name=name value=p.id.to_string() />
                <input id=id readonly value=p.label.clone() />
                <span class="picked" data-testid="picked">"✓ "{p.label.clone()}" · ID "{p.id}</span>
            </div>
        }
        .into_any();
    }
    let typed = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<Pick>);
    let open = RwSignal::new(false);
    let found = Resource::new(
        move || typed.get(),
        move |q| async move {
            if q.trim().is_empty() {
                Ok(Vec::new())
            } else {
                pick_choices(what.code().to_string(), q).await
            }
        },
    );
    let detail = move |p: &Pick| match what {
        PickKind::Partner | PickKind::Distributor => crate::domain::PartnerKind::parse(&p.detail)
            .map(|k| t(lang, k.label_key()).to_string())
            .unwrap_or_default(),
        _ => p.detail.clone(),
    };
    // The choice the link came with, once it is known to exist.
    let preset = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get(what.query_key()))
        .and_then(|v| v.parse::<i64>().ok());
    if let Some(pid) = preset {
        let known = Resource::new(
            move || pid,
            move |pid| async move {
                let list = pick_choices(what.code().to_string(), pid.to_string()).await;
                list.ok().and_then(|l| l.into_iter().find(|p| p.id == pid))
            },
        );
        Effect::new(move || {
            if let Some(Some(p)) = known.get()
                && chosen.get_untracked().is_none()
            {
                typed.set(p.label.clone());
                chosen.set(Some(p));
            }
        });
    }
    let on_input = move |ev: leptos::ev::Event| {
        typed.set(event_target_value(&ev));
        chosen.set(None);
        open.set(true);
    };
    let choose = move |p: Pick| {
        typed.set(p.label.clone());
        chosen.set(Some(p));
        open.set(false);
    };
    view! {
        <label for=id>{t(lang, label)}</label>
        <div class="picker" data-testid=format!("picker-{name}")>
            <input type="hidden" name=name prop:value=move || chosen.get().map(|p| p.id.to_string()).unwrap_or_default() />
            <input id=id type="search" autocomplete="off" role="combobox"
                aria-expanded=move || open.get().to_string()
                placeholder=t(lang, "picker.placeholder") prop:value=move || typed.get() on:input=on_input />
            {move || chosen.get().map(|p| view! {
                <span class="picked" data-testid="picked">"✓ "{p.label.clone()}" · ID "{p.id}</span>
            })}
            <Transition>
                {move || Suspend::new(async move {
                    let list = found.await.unwrap_or_default();
                    let shown = open.get() && chosen.get().is_none();
                    if !shown || typed.get_untracked().trim().is_empty() {
                        return ().into_any();
                    }
                    if list.is_empty() {
                        return view! { <p class="muted picker-none">{t(lang, "picker.none")}</p> }.into_any();
                    }
                    view! {
                        <ul class="picker-list" role="listbox">
                            {list.into_iter().map(|p| {
                                let line = detail(&p);
                                let label = p.label.clone();
                                let pid = p.id;
                                view! {
                                    <li role="option">
                                        <button type="button" class="picker-choice" on:click=move |_| choose(p.clone())>
                                            <span>{label}</span>
                                            <span class="muted">" · ID "{pid}" "{line}</span>
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                })}
            </Transition>
        </div>
    }
    .into_any()
}

/// On a partner's own page, the field that brings the operator back to it after an action
/// (the server accepts nothing but such a page); elsewhere nothing.
#[component]
pub fn BackHere() -> impl IntoView {
    use_context::<super::model::FixedPartner>().map(|super::model::FixedPartner(p)| {
        view! { <input type="hidden" name="back" value=format!("/operator/partners/{}", p.id) /> }
    })
}
