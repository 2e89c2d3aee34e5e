//! 消息中心: the signed-in user's messages, filters, mark read.

use super::api::{MarkAllRead, MarkRead, SetNotificationPref, list_messages, notification_prefs};
use super::model::Group;
use crate::domain::format_time;
use crate::i18n::{t, use_lang};
use crate::ui::{Col, FormError, Loaded, Paged, RequireLogin, failure, list_table};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn MessagesPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let filter = move || query.read().get("filter").unwrap_or_default();
    let group = move || query.read().get("group").unwrap_or_default();
    let number = move |k: &str| query.read().get(k).and_then(|p| p.parse::<u32>().ok());
    let text = move || query.read().get("q").unwrap_or_default();
    let list = Resource::new(
        move || (filter(), group(), number("page"), text(), number("size")),
        |(f, g, p, q, size)| list_messages(f, g, p, q, size),
    );
    // Operators receive no notices; a partner's reach its contact address and number, anyone
    // else's their own.
    let role = use_context::<crate::ui::Auth>()
        .and_then(|a| a.user)
        .map(|u| u.role);
    let reader = role.filter(|r| *r != crate::domain::Role::Operator);
    let read = ServerAction::<MarkRead>::new();
    let read_all = ServerAction::<MarkAllRead>::new();
    let error = Signal::derive(move || {
        read.value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| read_all.value().get().and_then(|r| r.err()))
    });
    view! {
        <RequireLogin>
            <section class="panel">
                <h1>{t(lang, "messages.title")}</h1>
                <div class="search-bar">
                    <form method="get" class="search-bar">
                        <label for="msg-filter">{t(lang, "messages.filter")}</label>
                        <select id="msg-filter" name="filter">
                            <option value="" selected=move || filter() != "unread">{t(lang, "common.all")}</option>
                            <option value="unread" selected=move || filter() == "unread">{t(lang, "messages.unread")}</option>
                        </select>
                        <label for="msg-group">{t(lang, "messages.group")}</label>
                        <select id="msg-group" name="group">
                            <option value="" selected=move || group().is_empty()>{t(lang, "common.all")}</option>
                            {Group::ALL.map(|g| view! {
                                <option value=g.code() selected=move || group() == g.code()>{t(lang, g.label_key())}</option>
                            })}
                        </select>
                        <label for="msg-q">{t(lang, "common.keyword")}</label>
                        <input id="msg-q" name="q" maxlength="64" prop:value=text />
                        <button type="submit" class="btn">{t(lang, "common.search")}</button>
                        <crate::ui::ExportLinks path="/messages/export" />
                    </form>
                    <ActionForm action=read_all>
                        <button type="submit" class="btn">{t(lang, "messages.read_all")}</button>
                    </ActionForm>
                </div>
                <FormError error />
                <Paged list empty="messages.empty" sizes=true
                    body=move |items| view! {
                        <ul class="messages" data-testid="messages">
                            {items.into_iter().map(|m| {
                                let id = m.id.to_string();
                                let unread = !m.read;
                                view! {
                                    <li class="message" class:unread=unread data-testid=format!("message-{}", m.id)>
                                        <p class="message-title">
                                            {unread.then(|| view! { <span class="tag tag-bad">{t(lang, "messages.new")}</span>" " })}
                                            <strong>{m.title(lang)}</strong>
                                        </p>
                                        <p>{m.body(lang)}</p>
                                        <p class="muted">{format_time(m.created_at)}</p>
                                        <div class="button-row">
                                            {m.link.clone().map(|href| view! { <a class="btn btn-primary" href=href>{t(lang, "messages.open")}</a> })}
                                            {unread.then(|| view! {
                                                <ActionForm action=read>
                                                    <input type="hidden" name="id" value=id />
                                                    <button type="submit" class="btn">{t(lang, "messages.mark_read")}</button>
                                                </ActionForm>
                                            })}
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                />
            </section>
            {reader.map(|r| view! { <NotificationPrefs partner=r == crate::domain::Role::Partner /> })}
        </RequireLogin>
    }
}

/// 通知设置: per category of notice, whether it also goes by email and by SMS (the message
/// center always has it). Email and SMS reach a partner at its contact address and number,
/// anyone else at the address and number of its account settings.
#[component]
fn NotificationPrefs(partner: bool) -> impl IntoView {
    let lang = use_lang();
    let set = ServerAction::<SetNotificationPref>::new();
    let prefs = Resource::new(move || set.version().get(), |_| notification_prefs());
    let error = failure(set);
    view! {
        <section class="panel" data-testid="notification-prefs">
            <h2>{t(lang, "messages.prefs")}</h2>
            <p class="muted">
                {t(lang, if partner { "messages.prefs.hint" } else { "messages.prefs.hint.own" })}
                {(!partner).then(|| view! { " "<a href="/account">{t(lang, "menu.profile")}</a> })}
            </p>
            <FormError error />
            {move || set.value().get().and_then(|r| r.ok()).map(|_| view! {
                <p class="notice-ok" role="status">{t(lang, "messages.prefs.saved")}</p>
            })}
            <Loaded resource=prefs body=move |prefs| list_table(lang, prefs, "messages.empty", None, "prefs-table",
                &[Col::text("messages.group"), Col::text("messages.prefs.channels")],
                move |p| {
                    let code = p.category.code();
                    view! {
                        <tr data-testid=format!("pref-{code}")>
                            <td>{t(lang, p.category.label_key())}</td>
                            <td>
                                <ActionForm action=set attr:class="inline">
                                    <input type="hidden" name="category" value=code />
                                    <label><input type="checkbox" name="email" checked=p.email />" "{t(lang, "messages.prefs.email")}</label>" "
                                    <label><input type="checkbox" name="sms" checked=p.sms />" "{t(lang, "messages.prefs.sms")}</label>" "
                                    <button type="submit" class="btn">{t(lang, "messages.prefs.save")}</button>
                                </ActionForm>
                            </td>
                        </tr>
                    }.into_any()
                }).into_any()
            />
        </section>
    }
}
