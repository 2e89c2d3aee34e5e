//! 组织 > 项目专员 (the partner's members and invitations) and the person's own page.

use super::api::{Accept, Cancel, Decline, Invite, Unbind, members, my_exam, my_invitations};
use super::model::{EXAM_URL, ExamEligibility, LinkState, Member};
use crate::domain::{Role, format_time};
use crate::i18n::{t, use_lang};
use crate::ui::{Col, EmptyState, FormError, Loaded, PagedList, RequireRole, either, failure};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn EmployeesPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let page = move || query.read().get("page").and_then(|p| p.parse::<u32>().ok());
    let list = Resource::new(page, members);
    let invite = ServerAction::<Invite>::new();
    let cancel = ServerAction::<Cancel>::new();
    let unbind = ServerAction::<Unbind>::new();
    let invite_error = failure(invite);
    let row_error = either(failure(cancel), failure(unbind));
    view! {
        <h1>{t(lang, "employees.title")}</h1>
        <section class="panel">
            <h2>{t(lang, "employees.invite")}</h2>
            <p class="muted">{t(lang, "employees.rules")}</p>
            {move || query.read().get("invited").map(|_| view! { <p class="notice-ok" role="status">{t(lang, "employees.invited")}</p> })}
            <ActionForm action=invite attr:class="search-bar">
                <label for="invite-login">{t(lang, "employees.account")}</label>
                <input id="invite-login" name="login" maxlength="64" autocomplete="off" />
                <button type="submit" class="btn btn-primary">{t(lang, "employees.invite.submit")}</button>
            </ActionForm>
            <FormError error=invite_error />
        </section>
        <section class="panel">
            <h2>{t(lang, "employees.list")}</h2>
            <FormError error=row_error />
            <PagedList list empty="employees.empty" empty_hint="employees.empty.hint" testid="members"
                columns=vec![
                    Col::text("employees.account"), Col::text("employees.state"), Col::text("employees.invited_at"),
                    Col::text("employees.joined_at"), Col::text("common.actions"),
                ]
                row=move |m: Member| {
                    let id = m.id.to_string();
                    let action = match m.state {
                        LinkState::Pending => view! {
                            <ActionForm action=cancel>
                                <input type="hidden" name="id" value=id />
                                <button type="submit" class="btn">{t(lang, "employees.cancel")}</button>
                            </ActionForm>
                        }.into_any(),
                        LinkState::Active => view! {
                            <ActionForm action=unbind>
                                <input type="hidden" name="id" value=id />
                                <button type="submit" class="btn">{t(lang, "employees.unbind")}</button>
                            </ActionForm>
                        }.into_any(),
                        _ => ().into_any(),
                    };
                    view! {
                        <tr data-testid=format!("member-{}", m.login)>
                            <td>{m.login.clone()}</td>
                            <td>{t(lang, m.state.label_key())}</td>
                            <td>{format_time(m.invited_at)}</td>
                            <td>{m.joined_at.map(format_time).unwrap_or_else(|| "-".into())}</td>
                            <td class="actions">{action}</td>
                        </tr>
                    }.into_any()
                }
            />
        </section>
    }
}

/// A personal account's page: its partner and its invitations, to accept or decline.
#[component]
pub fn PersonalHome() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let list = Resource::new(|| (), |_| my_invitations());
    let accept = ServerAction::<Accept>::new();
    let decline = ServerAction::<Decline>::new();
    let error = either(failure(accept), failure(decline));
    view! {
        <RequireRole role=Role::Personal>
            <section class="panel">
                <h1>{t(lang, "personal.title")}</h1>
                {move || query.read().get("accepted").map(|_| view! { <p class="notice-ok" role="status">{t(lang, "personal.accepted")}</p> })}
                <FormError error />
                <Loaded resource=list body=move |v| match v {
                    items if items.is_empty() => view! { <EmptyState title=t(lang, "personal.empty") /> }.into_any(),
                    items => view! {
                        <ul class="messages" data-testid="invitations">
                            {items.into_iter().map(|i| {
                                let accept_id = i.id.to_string();
                                let decline_id = i.id.to_string();
                                let pending = i.state == LinkState::Pending;
                                view! {
                                    <li class="message" id=format!("invitation-{}", i.id) data-testid=format!("invitation-{}", i.id)>
                                        <p><strong>{i.partner_name.clone()}</strong>" · "{t(lang, i.state.label_key())}</p>
                                        <p class="muted">{t(lang, "employees.invited_at")}" "{format_time(i.invited_at)}</p>
                                        {pending.then(move || view! {
                                            <div class="button-row">
                                                <ActionForm action=accept>
                                                    <input type="hidden" name="id" value=accept_id />
                                                    <button type="submit" class="btn btn-primary">{t(lang, "personal.accept")}</button>
                                                </ActionForm>
                                                <ActionForm action=decline>
                                                    <input type="hidden" name="id" value=decline_id />
                                                    <button type="submit" class="btn">{t(lang, "personal.decline")}</button>
                                                </ActionForm>
                                            </div>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                } />
            </section>
            <MyExamPanel />
        </RequireRole>
    }
}

/// 服务伙伴认证考试 on the person's own page: shown once it works for a partner, with each
/// condition and the link only when both are met.
#[component]
fn MyExamPanel() -> impl IntoView {
    let lang = use_lang();
    let exam = Resource::new(|| (), |_| my_exam());
    view! {
        <Loaded resource=exam silent=true body=move |v| match v {
            None => ().into_any(),
            Some(x) => {
                let eligible = x.eligibility.eligible();
                view! {
                    <section class="panel" data-testid="my-exam" data-eligible=eligible.to_string()>
                        <h2>{t(lang, "path.exam")}</h2>
                        <p>{t(lang, "exam.for_partner")}" "<strong>{x.partner_name.clone()}</strong></p>
                        <ExamChecks e=x.eligibility />
                        {if eligible {
                            view! { <a class="btn btn-primary" href=crate::paths::pages::leave_link(EXAM_URL) data-testid="exam-link">{t(lang, "path.exam.link")}</a> }.into_any()
                        } else {
                            view! { <p class="notice-warn" role="note" data-testid="exam-not-eligible">{t(lang, "exam.not_eligible")}</p> }.into_any()
                        }}
                    </section>
                }.into_any()
            }
        } />
    }
}

/// The two exam conditions, each met or not.
#[component]
pub fn ExamChecks(e: ExamEligibility) -> impl IntoView {
    let lang = use_lang();
    let check = move |ok: bool, key: &'static str| {
        let (css, mark) = if ok {
            ("tag tag-ok", "✓")
        } else {
            ("tag tag-bad", "✗")
        };
        view! { <li><span class=css>{mark}</span>" "{t(lang, key)}</li> }
    };
    view! {
        <ul class="checks">
            {check(e.real_name_verified, "exam.real_name")}
            {check(e.china_site, "exam.china_site")}
        </ul>
    }
}
