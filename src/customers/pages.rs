//! Pages of customer association: the partner's 邀请客户 page and disassociation buttons, the
//! customer's invitation page and 我的合作伙伴.

use super::api::{
    AcceptInvitation, AnswerUnbind, ApplyContract, CancelInvitation, CreateInvitation,
    UnbindCustomer, get_my_partner, list_invitations, open_invitation,
};
use super::model::{Channel, Invitation, InvitationState};
use crate::domain::{CustomerMode, Role, format_time};
use crate::i18n::{t, use_lang};
use crate::ui::{
    Col, EmptyState, Field, FormError, Loaded, PagedList, RequireRole, data_table, failure,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn q(query: Memo<leptos_router::params::ParamsMap>, key: &str) -> String {
    query.read().get(key).unwrap_or_default()
}

/// 邀请客户: a form (email or offline link, mode, label) and the partner's invitations.
#[component]
pub fn InvitePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let create = ServerAction::<CreateInvitation>::new();
    let cancel = ServerAction::<CancelInvitation>::new();
    let error = failure(create);
    let cancel_error = failure(cancel);
    let page = move || q(query, "page").parse::<u32>().ok();
    let list = Resource::new(page, list_invitations);
    view! {
        <h1>{t(lang, "invite.title")}</h1>
        <p><a href="/center/sales/customers">{t(lang, "invite.back")}</a></p>
        {move || (!q(query, "created").is_empty()).then(|| view! {
            <p class="notice-ok" role="status" data-testid="invite-created">{t(lang, "invite.created")}</p>
        })}
        <section class="panel">
            <h2>{t(lang, "invite.new")}</h2>
            <ActionForm action=create attr:class="form">
                <fieldset>
                    <legend>{t(lang, "invite.channel")}</legend>
                    <label><input type="radio" name="channel" value="email" checked /> {t(lang, "invite.channel.email")}</label>
                    <label><input type="radio" name="channel" value="offline" /> {t(lang, "invite.channel.offline")}</label>
                </fieldset>
                <label for="invite-email">{t(lang, "invite.email")}</label>
                <input id="invite-email" name="email" type="email" maxlength="254" autocomplete="off" />
                <label for="invite-mode">{t(lang, "customer.mode")}</label>
                <select id="invite-mode" name="mode">
                    <option value="resale">{t(lang, "customer_mode.resale")}</option>
                    <option value="consulting">{t(lang, "customer_mode.consulting")}</option>
                </select>
                <Field id="invite-label" name="label" label="invite.label" maxlength=32 />
                <p class="muted">{t(lang, "invite.hint")}</p>
                <FormError error />
                <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>{t(lang, "invite.send")}</button>
            </ActionForm>
        </section>
        <h2>{t(lang, "invite.list")}</h2>
        <FormError error=cancel_error />
        <PagedList list empty="invite.none" testid="invitations"
            columns=vec![
                Col::text("invite.channel"), Col::text("invite.email"), Col::text("invite.label"),
                Col::text("customer.mode"), Col::text("invite.state"), Col::text("invite.expires"),
                Col::num("invite.accepted"), Col::text("common.actions"),
            ]
            row=move |i: Invitation| {
                let id = i.id;
                let active = i.state == InvitationState::Active;
                view! {
                    <tr data-testid=format!("invitation-{id}")>
                        <td>{t(lang, if i.channel == Channel::Email { "invite.channel.email" } else { "invite.channel.offline" })}</td>
                        <td>{i.email.clone().unwrap_or_default()}</td>
                        <td>{i.label.clone()}</td>
                        <td>{t(lang, i.mode.label_key())}</td>
                        <td>{t(lang, i.state.label_key())}</td>
                        <td>{i.expires_at.map(format_time).unwrap_or_else(|| t(lang, "invite.never").to_string())}</td>
                        <td class="num">{i.accepted}</td>
                        <td class="actions">
                            {i.link.clone().map(|l| view! { <input class="link-box" readonly value=l data-testid="invite-link" aria-label=t(lang, "invite.link") /> })}
                            {active.then(|| view! {
                                <ActionForm action=cancel attr:class="inline">
                                    <input type="hidden" name="id" value=id />
                                    <button type="submit" class="btn-link">{t(lang, "invite.cancel")}</button>
                                </ActionForm>
                            })}
                        </td>
                    </tr>
                }.into_any()
            }
        />
    }
}

/// The partner's 解除关联 button (or 撤销解除关联 while the customer has not answered).
#[component]
pub fn UnbindButton(customer: i64, pending: bool) -> impl IntoView {
    let lang = use_lang();
    let act = ServerAction::<UnbindCustomer>::new();
    let error = failure(act);
    view! {
        <ActionForm action=act attr:class="inline">
            <input type="hidden" name="customer" value=customer />
            <input type="hidden" name="action" value=if pending { "cancel" } else { "request" } />
            <button type="submit" class="btn-link" data-testid=format!("unbind-{customer}")>
                {t(lang, if pending { "unbind.cancel" } else { "unbind.request" })}
            </button>
            <FormError error />
        </ActionForm>
    }
}

/// An invitation link, opened by a signed-in customer: accept it, or see why not.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let view_ = Resource::new(token, open_invitation);
    let accept = ServerAction::<AcceptInvitation>::new();
    let error = failure(accept);
    view! {
        <RequireRole role=Role::Customer>
            <section class="panel" data-testid="invitation">
                <h1>{t(lang, "invite.open.title")}</h1>
                <Loaded resource=view_ not_found=("error.invite.unknown", "invite-unknown")
                    body=move |v| view! {
                        <dl class="facts">
                            <dt>{t(lang, "customer.partner")}</dt><dd data-testid="invite-partner">{v.partner_name.clone()}</dd>
                            <dt>{t(lang, "customer.mode")}</dt><dd>{t(lang, v.mode.label_key())}</dd>
                            <dt>{t(lang, "invite.state")}</dt><dd data-testid="invite-state">{t(lang, v.state.label_key())}</dd>
                            <dt>{t(lang, "invite.expires")}</dt><dd>{v.expires_at.map(format_time).unwrap_or_else(|| t(lang, "invite.never").to_string())}</dd>
                        </dl>
                        {match v.refusal.clone() {
                            Some(key) => view! { <p class="notice-error" role="alert" data-testid="invite-refusal">{t(lang, &key)}</p> }.into_any(),
                            None => view! {
                                <p>{t(lang, if v.mode == CustomerMode::Resale { "invite.open.resale" } else { "invite.open.consulting" })}</p>
                                <ActionForm action=accept>
                                    <input type="hidden" name="token" value=token() />
                                    <FormError error />
                                    <button type="submit" class="btn btn-primary" data-testid="invite-accept">{t(lang, "invite.accept")}</button>
                                </ActionForm>
                            }.into_any(),
                        }}
                    }.into_any()
                />
            </section>
        </RequireRole>
    }
}

/// 我的合作伙伴: the linked partner, the disassociation request if any, notices for resale
/// customers, and contracts.
#[component]
pub fn MyPartnerPanel() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let partner = Resource::new(|| (), |_| get_my_partner());
    let answer = ServerAction::<AnswerUnbind>::new();
    let contract = ServerAction::<ApplyContract>::new();
    let answer_error = failure(answer);
    let contract_error = failure(contract);
    view! {
        {move || (!q(query, "accepted").is_empty()).then(|| view! { <p class="notice-ok" role="status">{t(lang, "invite.accepted_ok")}</p> })}
        {move || (!q(query, "unbound").is_empty()).then(|| view! {
            <p class="notice-ok" role="status" data-testid="unbound">
                {t(lang, "unbind.done")}" "{t(lang, "unbind.returned")}" "{q(query, "returned")}" "{t(lang, "common.yuan")}"; "
                {t(lang, "unbind.coupons")}" "{q(query, "coupons")}
            </p>
        })}
        {move || (!q(query, "contract").is_empty()).then(|| view! { <p class="notice-ok" role="status">{t(lang, "contract.applied")}</p> })}
        <Loaded resource=partner body=move |v| match v {
            None => view! { <EmptyState title=t(lang, "customer.no_partner") hint=t(lang, "customer.no_partner_hint") /> }.into_any(),
            Some(p) => {
                let resale = p.mode == CustomerMode::Resale;
                view! {
                    <dl class="facts" data-testid="linked-partner">
                        <dt>{t(lang, "customer.partner")}</dt><dd data-testid="partner-name">{p.partner_name.clone()}</dd>
                        <dt>{t(lang, "customer.mode")}</dt><dd data-testid="partner-mode">{t(lang, p.mode.label_key())}</dd>
                        <dt>{t(lang, "funds.col.since")}</dt><dd>{format_time(p.associated_at)}</dd>
                        <dt>{t(lang, "customer.contact_email")}</dt><dd>{p.partner_email.clone().unwrap_or_else(|| "-".into())}</dd>
                        <dt>{t(lang, "customer.contact_phone")}</dt><dd>{p.partner_phone.clone().unwrap_or_else(|| "-".into())}</dd>
                    </dl>
                    {p.unbind_requested_at.map(|at| view! {
                        <section class="panel confirm-box" data-testid="unbind-request">
                            <h2>{t(lang, "unbind.asked")}</h2>
                            <p>{format_time(at)}" · "{t(lang, "unbind.explain")}</p>
                            <FormError error=answer_error />
                            <div class="button-row">
                                <ActionForm action=answer attr:class="inline">
                                    <input type="hidden" name="answer" value="confirm" />
                                    <button type="submit" class="btn btn-primary" data-testid="unbind-confirm">{t(lang, "unbind.confirm")}</button>
                                </ActionForm>
                                <ActionForm action=answer attr:class="inline">
                                    <input type="hidden" name="answer" value="decline" />
                                    <button type="submit" class="btn" data-testid="unbind-decline">{t(lang, "unbind.decline")}</button>
                                </ActionForm>
                            </div>
                        </section>
                    })}
                    {resale.then(|| view! {
                        <div class="notice-info" data-testid="resale-notice">
                            <p>{t(lang, "billing.no_top_up")}</p>
                            <p>{t(lang, "billing.withdraw")}</p>
                        </div>
                    })}
                    <h2>{t(lang, "contract.title")}</h2>
                    {if resale {
                        view! { <p data-testid="contract-offline">{t(lang, "contract.resale")}</p> }.into_any()
                    } else {
                        let contracts = p.contracts.clone();
                        view! {
                            <p>{t(lang, "contract.consulting")}</p>
                            <ActionForm action=contract>
                                <FormError error=contract_error />
                                <button type="submit" class="btn" data-testid="contract-apply">{t(lang, "contract.apply")}</button>
                            </ActionForm>
                            {(!contracts.is_empty()).then(|| {
                                let columns = [
                                    Col::raw("ID"), Col::text("contract.state"), Col::text("contract.reason"),
                                    Col::text("common.created_at"), Col::text("contract.decided_at"),
                                ];
                                let rows = contracts.into_iter().map(|c| view! {
                                    <tr data-testid=format!("contract-{}", c.id)>
                                        <td>{c.id}</td>
                                        <td>{t(lang, c.state.label_key())}</td>
                                        <td>{c.reason.unwrap_or_else(|| "-".into())}</td>
                                        <td>{format_time(c.created_at)}</td>
                                        <td>{c.decided_at.map(format_time).unwrap_or_else(|| "-".into())}</td>
                                    </tr>
                                }).collect_view();
                                data_table(lang, "contracts", &columns, rows)
                            })}
                        }.into_any()
                    }}
                }.into_any()
            }
        } />
    }
}

/// 合同申请: the operator's queue of consulting customers' contract applications, decided with
/// 通过 or 驳回 (a reason required).
#[component]
pub fn ContractsPage() -> impl IntoView {
    use super::api::{ApproveContract, RejectContract, contract_queue};
    use super::model::{ContractApplication, ContractState};
    let lang = use_lang();
    let query = use_query_map();
    let state = move || q(query, "state");
    let search = move || q(query, "q");
    let page = move || query.read().get("page").and_then(|p| p.parse::<u32>().ok());
    let approve = ServerAction::<ApproveContract>::new();
    let reject = ServerAction::<RejectContract>::new();
    let list = Resource::new(
        move || {
            (
                state(),
                search(),
                page(),
                approve.version().get(),
                reject.version().get(),
            )
        },
        |(s, q, p, ..)| contract_queue(Some(s), Some(q), p),
    );
    let error = crate::ui::either(failure(approve), failure(reject));
    let done = move || {
        matches!(approve.value().get(), Some(Ok(())))
            || matches!(reject.value().get(), Some(Ok(())))
    };
    let row = move |a: ContractApplication| {
        let submitted = a.state == ContractState::Submitted;
        let id = a.id.to_string();
        let id2 = id.clone();
        view! {
            <tr data-testid=format!("contract-application-{}", a.id)>
                <td>{a.id}</td>
                <td>{a.customer_name.clone()}</td>
                <td>{a.partner_name.clone()}</td>
                <td>{format_time(a.created_at)}</td>
                <td>{t(lang, a.state.label_key())}{a.reason.clone().map(|r| format!("（{r}）"))}</td>
                <td class="actions">
                    {submitted.then(move || view! {
                        <ActionForm action=approve>
                            <input type="hidden" name="id" value=id />
                            <button type="submit" class="btn btn-primary">{t(lang, "contract.approve")}</button>
                        </ActionForm>
                        <ActionForm action=reject attr:class="inline-form">
                            <input type="hidden" name="id" value=id2 />
                            <input name="reason" aria-label=t(lang, "contract.reason") placeholder=t(lang, "contract.reason") maxlength="200" />
                            <button type="submit" class="btn">{t(lang, "contract.reject")}</button>
                        </ActionForm>
                    })}
                </td>
            </tr>
        }
        .into_any()
    };
    view! {
        <h1>{t(lang, "contract.queue")}</h1>
        <p class="muted">{t(lang, "contract.queue.lead")}</p>
        <form method="get" class="search-bar">
            <label for="ct-state">{t(lang, "contract.state")}</label>
            <select id="ct-state" name="state">
                {[ContractState::Submitted, ContractState::Approved, ContractState::Rejected].into_iter().map(|s| view! {
                    <option value=s.as_str() selected=move || state() == s.as_str()>{t(lang, s.label_key())}</option>
                }).collect_view()}
            </select>
            <label for="ct-q">{t(lang, "contract.queue.search")}</label>
            <input id="ct-q" name="q" prop:value=search maxlength="64" />
            <button type="submit" class="btn">{t(lang, "common.search")}</button>
        </form>
        {move || done().then(|| view! { <p class="notice-ok" role="status">{t(lang, "contract.decided")}</p> })}
        <FormError error />
        <PagedList list empty="contract.queue.empty" testid="contract-queue"
            columns=vec![
                Col::raw("ID"), Col::text("contract.customer"), Col::text("contract.partner"),
                Col::text("common.created_at"), Col::text("contract.state"), Col::text("common.actions"),
            ]
            row=row
        />
    }
}

/// 客户管理 (operator): every customer with its partner, searched and filtered in the URL.
#[component]
pub fn OperatorCustomers() -> impl IntoView {
    use super::api::operator_customers;
    use super::model::CustomerListItem;
    let lang = use_lang();
    let query = use_query_map();
    let page = move || query.read().get("page").and_then(|p| p.parse::<u32>().ok());
    let list = Resource::new(
        move || (q(query, "q"), q(query, "partner"), q(query, "mode"), page()),
        |(s, partner, mode, page)| operator_customers(Some(s), Some(partner), Some(mode), page),
    );
    let row = move |c: CustomerListItem| {
        let partner = match (c.partner_id, c.partner_name) {
            (Some(id), Some(name)) => {
                view! { <a href=format!("/operator/partners/{id}")>{name}</a> }.into_any()
            }
            _ => view! { <span class="muted">{t(lang, "customers.no_partner")}</span> }.into_any(),
        };
        view! {
            <tr data-testid=format!("customer-{}", c.id)>
                <td>{c.id}</td>
                <td>{c.name}</td>
                <td>{c.login.unwrap_or_else(|| "-".into())}</td>
                <td>{partner}</td>
                <td>{c.mode.map(|m| t(lang, m.label_key()).to_string()).unwrap_or_else(|| "-".into())}</td>
                <td>{c.associated_at.map(format_time).unwrap_or_else(|| "-".into())}</td>
            </tr>
        }
        .into_any()
    };
    view! {
        <h1>{t(lang, "operator.customers")}</h1>
        <form method="get" class="search-bar" data-testid="customer-search">
            <label for="oc-q">{t(lang, "customers.search")}</label>
            <input id="oc-q" name="q" prop:value=move || q(query, "q") maxlength="64" />
            <label for="oc-partner">{t(lang, "contract.partner")}</label>
            <input id="oc-partner" name="partner" prop:value=move || q(query, "partner") maxlength="64" />
            <label for="oc-mode">{t(lang, "customers.mode")}</label>
            <select id="oc-mode" name="mode">
                <option value="">{t(lang, "common.all")}</option>
                {[CustomerMode::Resale, CustomerMode::Consulting].into_iter().map(|m| view! {
                    <option value=m.as_str() selected=move || q(query, "mode") == m.as_str()>{t(lang, m.label_key())}</option>
                }).collect_view()}
                <option value="none" selected=move || q(query, "mode") == "none">{t(lang, "customers.no_partner")}</option>
            </select>
            <button type="submit" class="btn">{t(lang, "common.search")}</button>
        </form>
        <PagedList list empty="customers.empty" testid="operator-customers"
            columns=vec![
                Col::raw("ID"), Col::text("contract.customer"), Col::text("customers.login"),
                Col::text("contract.partner"), Col::text("customers.mode"), Col::text("customers.since"),
            ]
            row=row
        />
    }
}
