//! 成员管理 (`/center/members`, administrators) and the page an invitation link opens
//! (`/join/member/:token`).

use super::api::{
    ChangeMemberRole, InviteMember, JoinPartner, RemoveMember, ResendInvitation, list_members,
    member_invitation,
};
use super::model::{Invitation, Member, MemberRole, MemberState};
use crate::domain::format_time;
use crate::i18n::{Lang, fill, t, use_lang};
use crate::ui::{FormError, Loaded, ask_first, either, failure};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The role choices of a select, `current` selected.
fn role_options(lang: Lang, current: MemberRole) -> AnyView {
    MemberRole::ALL
        .into_iter()
        .map(|r| {
            view! { <option value=r.as_str() selected=r == current>{t(lang, r.label_key())}</option> }
        })
        .collect_view()
        .into_any()
}

/// The green line of a change just made (`?done=`).
fn done_banner(lang: Lang) -> impl IntoView {
    let query = use_query_map();
    move || {
        let key = match query.read().get("done").as_deref() {
            Some("invited") => "members.invited",
            Some("resent") => "members.resent",
            Some("role") => "members.role_changed",
            Some("removed") => "members.removed",
            _ => return None,
        };
        Some(view! { <p class="notice-ok" role="status">{t(lang, key)}</p> })
    }
}

#[component]
pub fn MembersPage() -> impl IntoView {
    let lang = use_lang();
    let invite = ServerAction::<InviteMember>::new();
    let resend = ServerAction::<ResendInvitation>::new();
    let change = ServerAction::<ChangeMemberRole>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let members = Resource::new(
        move || {
            (
                invite.version().get(),
                resend.version().get(),
                change.version().get(),
                remove.version().get(),
            )
        },
        |_| list_members(),
    );
    let error = either(
        either(failure(invite), failure(resend)),
        either(failure(change), failure(remove)),
    );
    let row = move |m: Member| {
        let id = m.user_id.to_string();
        let open = m.state != MemberState::Removed && !m.me;
        let invited = m.state == MemberState::Invited;
        let actions = open.then(|| {
            let (id2, id3) = (id.clone(), id.clone());
            view! {
                <ActionForm action=change attr:class="inline-form">
                    <input type="hidden" name="user" value=id.clone() />
                    <select name="role" aria-label=t(lang, "members.role")>{role_options(lang, m.role)}</select>
                    <button type="submit" class="btn">{t(lang, "members.change_role")}</button>
                </ActionForm>
                {invited.then(|| view! {
                    <ActionForm action=resend attr:class="inline-form">
                        <input type="hidden" name="user" value=id2 />
                        <button type="submit" class="btn">{t(lang, "members.resend")}</button>
                    </ActionForm>
                })}
                <ActionForm action=remove attr:class="inline-form">
                    <input type="hidden" name="user" value=id3 />
                    <button type="submit" class="btn btn-danger"
                        on:click=move |ev| ask_first(lang, "members.remove.confirm", ev)>
                        {t(lang, "members.remove")}
                    </button>
                </ActionForm>
            }
        });
        view! {
            <tr data-testid=format!("member-{}", m.login)>
                <td>{m.login.clone()}{m.me.then(|| t(lang, "members.me"))}</td>
                <td>{m.email.clone().unwrap_or_else(|| "-".into())}</td>
                <td>{t(lang, m.role.label_key())}</td>
                <td>{t(lang, m.state.label_key())}</td>
                <td>{format_time(m.created_at)}</td>
                <td class="actions">{actions}</td>
            </tr>
        }
        .into_any()
    };
    let table = move |list: Vec<Member>| {
        view! {
            <table class="data-table" data-testid="member-list">
                <thead><tr>
                    <th>{t(lang, "members.login")}</th><th>{t(lang, "members.email")}</th>
                    <th>{t(lang, "members.role")}</th><th>{t(lang, "members.state")}</th>
                    <th>{t(lang, "members.since")}</th><th>{t(lang, "members.actions")}</th>
                </tr></thead>
                <tbody>{list.into_iter().map(row).collect_view()}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <h1>{t(lang, "members.title")}</h1>
        <p class="muted">{t(lang, "members.lead")}</p>
        {done_banner(lang)}
        <FormError error />
        <section class="panel">
            <h2>{t(lang, "members.invite")}</h2>
            <ActionForm action=invite attr:class="form form-grid" attr:novalidate=true>
                <label for="mb-login">{t(lang, "members.login")}</label>
                <input id="mb-login" name="login" maxlength="64" autocomplete="off" />
                <label for="mb-email">{t(lang, "members.email")}</label>
                <input id="mb-email" name="email" type="email" maxlength="254" />
                <label for="mb-role">{t(lang, "members.role")}</label>
                <select id="mb-role" name="role">{role_options(lang, MemberRole::Business)}</select>
                <ul class="muted hint span-all">
                    {MemberRole::ALL.into_iter().map(|r| view! {
                        <li>{t(lang, r.label_key())}": "{t(lang, &format!("{}.hint", r.label_key()))}</li>
                    }).collect_view()}
                </ul>
                <p class="muted hint span-all">{t(lang, "members.invite.hint")}</p>
                <button type="submit" class="btn btn-primary" disabled=move || invite.pending().get()>{t(lang, "members.invite.submit")}</button>
            </ActionForm>
        </section>
        <Loaded resource=members body=table />
    }
}

/// The page an invitation link opens: who invites, as what, and the password twice.
#[component]
pub fn JoinMemberPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let invitation = Resource::new(token, member_invitation);
    let join = ServerAction::<JoinPartner>::new();
    let error = failure(join);
    let form = move |inv: Invitation| {
        let role = t(lang, inv.role.label_key());
        let lead = fill(
            lang,
            "members.join.lead",
            [("partner", inv.partner.as_str()), ("role", role)],
        );
        let login = fill(lang, "members.join.login", [("login", inv.login.as_str())]);
        view! {
            <p>{lead}</p>
            <p class="muted" data-testid="join-login">{login}</p>
            <ActionForm action=join attr:class="form" attr:novalidate=true>
                <input type="hidden" name="token" prop:value=token />
                <label for="jm-new">{t(lang, "profile.password.new")}</label>
                <input id="jm-new" name="password" type="password" autocomplete="new-password" maxlength="128" />
                <label for="jm-confirm">{t(lang, "profile.password.confirm")}</label>
                <input id="jm-confirm" name="confirm" type="password" autocomplete="new-password" maxlength="128" />
                <p class="muted hint">{t(lang, "onboarding.password.hint")}</p>
                <FormError error />
                <button type="submit" class="btn btn-primary" disabled=move || join.pending().get()>{t(lang, "members.join.submit")}</button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <section class="login-card" data-testid="join-member">
            <h1>{t(lang, "members.join.title")}</h1>
            <Loaded resource=invitation body=form />
        </section>
    }
}
