//! The operator's 发展路径 queue: evidence, applications, review windows and invitations.

use super::*;
use crate::console::model::PickKind;
use crate::console::picker::Picker;
use crate::paths::api::{
    CancelInvitation, CloseWindow, EditWindow, InviteDistributor, OpenWindow, OperatorDecide,
    ResendInvitation, operator_invitations, operator_queue,
};
use crate::paths::model::OperatorInvitation;
use crate::ui::{PagedList, Pagination};

/// The operator's 发展路径 queue: evidence, applications, review windows and invitations.
#[component]
pub fn OperatorPaths() -> impl IntoView {
    let lang = use_lang();
    let decide = ServerAction::<OperatorDecide>::new();
    let window = ServerAction::<OpenWindow>::new();
    let edit = ServerAction::<EditWindow>::new();
    let close = ServerAction::<CloseWindow>::new();
    let invite = ServerAction::<InviteDistributor>::new();
    let query = leptos_router::hooks::use_query_map();
    let page_of = move |k: &str| query.read().get(k).and_then(|p| p.parse::<u32>().ok());
    let queue = Resource::new(
        move || {
            (
                page_of("ep"),
                page_of("ap"),
                decide.version().get(),
                window.version().get(),
                edit.version().get(),
                close.version().get(),
            )
        },
        |(ep, ap, ..)| operator_queue(ep, ap),
    );
    let change_error = crate::ui::either(failure(edit), failure(close));
    let decide_error = failure(decide);
    let window_error = failure(window);
    let decision_form = move |what: &'static str, id: i64| {
        view! {
            <ActionForm action=decide attr:class="inline">
                <input type="hidden" name="what" value=what />
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="decision" value="approve" />
                <button type="submit" class="btn btn-primary">{t(lang, "path.approve")}</button>
            </ActionForm>
            <ActionForm action=decide attr:class="inline">
                <input type="hidden" name="what" value=what />
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="decision" value="reject" />
                <input name="reason" aria-label=t(lang, "path.reason") placeholder=t(lang, "path.reason") maxlength="200" />
                <button type="submit" class="btn">{t(lang, "path.reject")}</button>
            </ActionForm>
        }
    };
    view! {
        <RequireRole role=Role::Operator>
            <h1>{t(lang, "operator.paths")}</h1>
            <p><a href="/operator">{t(lang, "operator.title")}</a></p>
            <FormError error=decide_error />
            <Loaded resource=queue body=move |(evidence, applications, windows)| view! {
                    <section class="panel" data-testid="op-evidence">
                        <h2>{t(lang, "operator.paths.evidence")}</h2>
                        {list_table(lang, evidence.items.clone(), "operator.paths.nothing", None, "op-evidence-table",
                            &[Col::text("operator.partners"), Col::text("path.col.path"), Col::text("path.evidence.kind"),
                                Col::text("path.evidence.title"), Col::text("path.evidence.holder"), Col::text("path.evidence.date"),
                                Col::text("common.actions")],
                            |e| view! {
                                <tr data-testid=format!("op-evidence-{}", e.id)>
                                    <td>{e.partner_name}</td>
                                    <td>{t(lang, e.path.label_key())}</td>
                                    <td>{t(lang, e.kind.label_key())}</td>
                                    <td>{e.title}</td>
                                    <td>{e.holder.unwrap_or_default()}</td>
                                    <td>{e.occurred_at.map(day).unwrap_or_default()}</td>
                                    <td>{decision_form("evidence", e.id)}</td>
                                </tr>
                            }.into_any())}
                        <Pagination number=evidence.number pages=evidence.pages() total=evidence.total param="ep" />
                    </section>
                    <section class="panel" data-testid="op-applications">
                        <h2>{t(lang, "operator.paths.applications")}</h2>
                        {list_table(lang, applications.items.clone(), "operator.paths.nothing", None, "op-applications-table",
                            &[Col::text("operator.partners"), Col::text("path.col.path"), Col::text("path.col.stage"),
                                Col::text("path.review"), Col::text("common.created_at"), Col::text("operator.paths.checklist"),
                                Col::text("common.actions")],
                            |q| {
                                let a = q.application;
                                view! {
                                    <tr data-testid=format!("op-application-{}", a.id)>
                                        <td><a href=format!("/operator/partners/{}", a.partner_id)>{a.partner_name}</a></td>
                                        <td>{t(lang, a.path.label_key())}</td>
                                        <td>{t(lang, a.stage.label_key())}</td>
                                        <td>{a.review_year.map(|y| format!("{} {y}", t(lang, "path.review"))).unwrap_or_default()}</td>
                                        <td>{day(a.created_at)}</td>
                                        <td>{super::checklist(lang, &q.checklist)}</td>
                                        <td>{decision_form("application", a.id)}</td>
                                    </tr>
                                }.into_any()
                            })}
                        <Pagination number=applications.number pages=applications.pages() total=applications.total param="ap" />
                    </section>
                    <section class="panel" data-testid="op-windows">
                        <h2>{t(lang, "operator.paths.windows")}</h2>
                        <ul>
                            {windows.into_iter().map(|w| {
                                let covers = crate::paths::model::format_covers(&w.covers);
                                let upcoming = w.upcoming;
                                let id = w.id.to_string();
                                view! {
                                    <li data-testid=format!("window-{}", w.id)>
                                        {format!("{} · {} – {} · {}", w.year, day(w.starts_at), day(w.ends_at), covers)}
                                        {w.open.then(|| {
                                            let id = id.clone();
                                            view! {
                                                " " <span class="badge">{t(lang, "path.review.open")}</span>
                                                <ActionForm action=close attr:class="inline">
                                                    <input type="hidden" name="id" value=id />
                                                    <button type="submit" class="btn">{t(lang, "operator.paths.close_window")}</button>
                                                </ActionForm>
                                            }
                                        })}
                                        {upcoming.then(|| view! {
                                            <ActionForm action=edit attr:class="inline-form">
                                                <input type="hidden" name="id" value=id.clone() />
                                                <input type="date" name="first" value=day(w.starts_at) aria-label=t(lang, "operator.paths.first") />
                                                <input type="date" name="last" value=day(w.ends_at) aria-label=t(lang, "operator.paths.last") />
                                                <input name="covers" value=covers.clone() aria-label=t(lang, "operator.paths.covers") />
                                                <button type="submit" class="btn">{t(lang, "operator.paths.edit_window")}</button>
                                            </ActionForm>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <FormError error=change_error />
                    </section>
                }.into_any()
            />
            <section class="panel">
                <h2>{t(lang, "operator.paths.open_window")}</h2>
                <ActionForm action=window attr:class="form-grid">
                    <label for="window-year">{t(lang, "operator.paths.year")}</label>
                    <input id="window-year" name="year" type="number" min="2000" max="2100" required />
                    <Field id="window-first" name="first" label="operator.paths.first" kind="date" required=true />
                    <Field id="window-last" name="last" label="operator.paths.last" kind="date" required=true />
                    <label for="window-covers">{t(lang, "operator.paths.covers")}</label>
                    <input id="window-covers" name="covers" value="service:role,service:differentiation,learning:role,si:role,si:differentiation" />
                    <button type="submit" class="btn btn-primary">{t(lang, "operator.paths.open_window")}</button>
                </ActionForm>
                <FormError error=window_error />
            </section>
            <section class="panel">
                <h2>{t(lang, "operator.paths.invite")}</h2>
                <InviteDistributorForm invite />
                <Invitations sent=invite />
            </section>
        </RequireRole>
    }
}

/// Invites a distributor to the distributor path by email (on a distributor's own page, that
/// distributor).
#[component]
pub fn InviteDistributorForm(invite: ServerAction<InviteDistributor>) -> impl IntoView {
    let lang = use_lang();
    let error = failure(invite);
    view! {
        {move || invite.value().get().and_then(|r| r.ok()).map(|_| view! {
            <p class="notice-ok" role="status">{t(lang, "operator.paths.invited")}</p>
        })}
        <ActionForm action=invite attr:class="form-grid">
            <Picker id="invite-partner" name="partner_id" label="operator.paths.distributor" what=PickKind::Distributor />
            <Field id="invite-email" name="email" label="invite.email" kind="email" required=true />
            <button type="submit" class="btn btn-primary">{t(lang, "operator.paths.invite")}</button>
        </ActionForm>
        <FormError error />
    }
}

/// The distributor-path invitations with their state; one not used yet is cancelled or sent
/// again (a new link replaces the old).
#[component]
fn Invitations(sent: ServerAction<InviteDistributor>) -> impl IntoView {
    let lang = use_lang();
    let query = leptos_router::hooks::use_query_map();
    let page = move || query.read().get("page").and_then(|p| p.parse::<u32>().ok());
    let cancel = ServerAction::<CancelInvitation>::new();
    let resend = ServerAction::<ResendInvitation>::new();
    let list = Resource::new(
        move || {
            (
                page(),
                sent.version().get(),
                cancel.version().get(),
                resend.version().get(),
            )
        },
        |(page, ..)| operator_invitations(page),
    );
    let error = crate::ui::either(failure(cancel), failure(resend));
    let row = move |i: OperatorInvitation| {
        let open = i.state == "sent" && i.used_at.is_none();
        let id = i.id.to_string();
        let id2 = id.clone();
        view! {
            <tr data-testid=format!("path-invitation-{}", i.id)>
                <td>{i.id}</td>
                <td>{i.partner_name.clone()}</td>
                <td>{i.email.clone()}</td>
                <td>{format_time(i.created_at)}</td>
                <td>{format_time(i.expires_at)}</td>
                <td data-testid="invitation-state">{t(lang, i.state_key())}</td>
                <td class="actions">
                    {open.then(move || view! {
                        <ActionForm action=resend attr:class="inline">
                            <input type="hidden" name="id" value=id />
                            <button type="submit" class="btn">{t(lang, "operator.paths.resend")}</button>
                        </ActionForm>
                        <ActionForm action=cancel attr:class="inline">
                            <input type="hidden" name="id" value=id2 />
                            <button type="submit" class="btn">{t(lang, "operator.paths.cancel_invitation")}</button>
                        </ActionForm>
                    })}
                </td>
            </tr>
        }
        .into_any()
    };
    view! {
        <h3>{t(lang, "operator.paths.invitations")}</h3>
        <FormError error />
        <PagedList list empty="operator.paths.no_invitations" testid="path-invitations"
            columns=vec![
                Col::raw("ID"), Col::text("partner.name"), Col::text("invite.email"),
                Col::text("common.created_at"), Col::text("invite.expires"), Col::text("invite.state"),
                Col::text("common.actions"),
            ]
            row=row
        />
    }
}
