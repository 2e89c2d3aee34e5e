//! Pages of the funds domain: 云经销商管理, 客户管理 (拨款/回收), 资金管理 with 调账记录, the
//! customer's balance page and the operator's funding form.

use super::api::{
    ApproveFunding, BulkAllocate, ConfirmAdjust, PartyQuery, RejectFunding, RequestFunding,
    SetDesignated, SetLowBalance, Target, adjust_records, bulk_preview, customer_balance,
    fund_preview, funding_requests, list_customers, list_resellers, low_balance_state, my_balances,
    preview_adjust,
};
use super::model::{AdjustRecord, Direction, FundedParty, FundingRequest, Preview, RequestState};
use crate::domain::{CustomerMode, PartnerKind, Role, format_time};
use crate::error::AppError;
use crate::i18n::{t, use_lang};
use crate::ui::{
    Auth, Col, DataTable, ErrorNotice, ExportLinks, Field, FormError, Loaded, Paged, PagedList,
    RequireRole, failure, too_many_to_export,
};
use leptos::prelude::*;
use leptos_router::components::{A, Outlet};
use leptos_router::hooks::{use_params_map, use_query_map};

/// The value of a query parameter, or "".
fn q(query: Memo<leptos_router::params::ParamsMap>, key: &str) -> String {
    query.read().get(key).unwrap_or_default()
}

/// The sales section: a side menu (客户 / 云经销商 / 账务) beside the page.
#[component]
pub fn SalesShell() -> impl IntoView {
    let lang = use_lang();
    use crate::members::model::Area;
    let partner = expect_context::<Auth>().user.and_then(|u| u.partner);
    let distributor = partner
        .as_ref()
        .is_some_and(|p| p.kind == PartnerKind::Distributor);
    // Each group shows the entries the member's role opens (and only groups with one).
    let groups: [(&str, Vec<MenuEntry>); 4] = [
        (
            "sales.group.customers",
            vec![
                (
                    "/center/sales/customers",
                    "sales.customers",
                    Area::Customers,
                ),
                ("/center/sales/orders", "sales.orders", Area::Orders),
                ("/center/sales/vouchers", "sales.vouchers", Area::Vouchers),
            ],
        ),
        (
            "sales.group.resellers",
            if distributor {
                vec![("/center/sales/resellers", "sales.resellers", Area::Funds)]
            } else {
                vec![]
            },
        ),
        (
            "sales.group.billing",
            vec![("/center/sales/funds", "sales.funds", Area::Funds)],
        ),
        (
            "sales.group.opportunities",
            vec![(
                "/center/sales/opportunities",
                "sales.opportunities",
                Area::Opportunities,
            )],
        ),
    ];
    let may = move |area: Area| partner.as_ref().is_some_and(|p| p.role.may(area));
    let menu = groups
        .into_iter()
        .filter_map(|(group, entries)| {
            let entries: Vec<_> = entries.into_iter().filter(|(_, _, a)| may(*a)).collect();
            (!entries.is_empty()).then(|| view! {
                <p class="side-group">{t(lang, group)}</p>
                {entries.into_iter().map(|(href, key, _)| view! { <A href=href>{t(lang, key)}</A> }).collect_view()}
            })
        })
        .collect_view();
    view! {
        <div class="with-side">
            <nav class="side-menu" aria-label=t(lang, "nav.sales")>
                {menu}
            </nav>
            <div class="side-body">
                <Outlet />
            </div>
        </div>
    }
}

#[component]
pub fn SalesOverview() -> impl IntoView {
    let lang = use_lang();
    view! {
        <h1>{t(lang, "nav.sales")}</h1>
        <crate::workbench::pages::SalesCharts />
    }
}

/// A banner after a successful 拨款/回收 (`?done=<trans_id>`).
#[component]
fn DoneBanner() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    move || {
        let done = q(query, "done");
        (!done.is_empty()).then(
            || view! { <p class="notice-ok" role="status">{t(lang, "funds.done")}" "{done}</p> },
        )
    }
}

/// A side-menu entry: where it leads, its label, and the area a member's role must open.
type MenuEntry = (&'static str, &'static str, crate::members::model::Area);

/// Whether the signed-in member's role moves money (拨款/回收 buttons are shown to it only).
fn works_in_funds() -> bool {
    expect_context::<Auth>()
        .user
        .is_some_and(|u| u.works_in(crate::members::model::Area::Funds))
}

/// The search form of the management lists: account name, name, mode (customers), association
/// dates, balance range; and the list's exports.
#[component]
fn PartySearch(target: Target) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let mode = move |m: &str| q(query, "mode") == m;
    view! {
        <form method="get" class="search-bar" data-testid="party-filters">
            <label for="search-login">{t(lang, "funds.search.login")}</label>
            <input id="search-login" name="login" value=move || q(query, "login") maxlength="64" />
            <label for="search-name">{t(lang, "funds.col.name")}</label>
            <input id="search-name" name="name" value=move || q(query, "name") maxlength="64" />
            {(target == Target::Customer).then(|| view! {
                <label for="search-mode">{t(lang, "funds.col.mode")}</label>
                <select id="search-mode" name="mode">
                    <option value="" selected=move || mode("")>{t(lang, "common.all")}</option>
                    <option value="resale" selected=move || mode("resale")>{t(lang, "customer_mode.resale")}</option>
                    <option value="consulting" selected=move || mode("consulting")>{t(lang, "customer_mode.consulting")}</option>
                </select>
            })}
            <label for="search-from">{t(lang, "funds.search.from")}</label>
            <input id="search-from" name="from" type="date" value=move || q(query, "from") />
            <label for="search-to">{t(lang, "funds.search.to")}</label>
            <input id="search-to" name="to" type="date" value=move || q(query, "to") />
            <label for="search-min">{t(lang, "funds.search.min")}</label>
            <input id="search-min" name="min" inputmode="decimal" size="8" value=move || q(query, "min") maxlength="16" />
            <label for="search-max">{t(lang, "funds.search.max")}</label>
            <input id="search-max" name="max" inputmode="decimal" size="8" value=move || q(query, "max") maxlength="16" />
            <button type="submit" class="btn">{t(lang, "common.search")}</button>
            {match target {
                Target::Customer => view! { <ExportLinks path="/center/sales/customers/export" /> }.into_any(),
                Target::Reseller => view! { <ExportLinks path="/center/sales/resellers/export" /> }.into_any(),
            }}
        </form>
    }
}

#[component]
fn PartyTable(target: Target, rows: Vec<FundedParty>) -> impl IntoView {
    let lang = use_lang();
    let customer = target == Target::Customer;
    let money = works_in_funds();
    let rows = rows.into_iter().map(|r| {
        let base = format!("/center/sales/{}/{}", target.segment(), r.id);
        view! {
            <tr data-testid=format!("party-{}", r.login)>
                <td>{r.login.clone()}</td>
                <td>{r.name.clone()}</td>
                <td>{t(lang, &r.mode_key)}</td>
                <td>{format_time(r.since)}</td>
                {(target == Target::Customer).then(|| view! {
                    <td data-testid="customer-status">{t(lang, if r.unbind_pending { "customer.status.unbinding" } else { "customer.status.normal" })}</td>
                })}
                <td class="num">{r.balance.grouped()}</td>
                <td class="actions">
                    {if !money {
                        ().into_any()
                    } else if r.fundable {
                        view! {
                            <a href=format!("{base}/allocate")>{t(lang, "funds.allocate")}</a>
                            <a href=format!("{base}/reclaim")>{t(lang, "funds.reclaim")}</a>
                        }.into_any()
                    } else {
                        view! { <span class="muted" title=t(lang, "error.funds.consulting_customer")>{t(lang, "funds.not_fundable")}</span> }.into_any()
                    }}
                    {(target == Target::Customer).then(|| view! { <crate::customers::pages::UnbindButton customer=r.id pending=r.unbind_pending /> })}
                </td>
            </tr>
        }
    }).collect_view();
    view! { <DataTable testid="parties" rows=rows.into_any()
    columns=vec![Col::text("funds.col.login"), Col::text("funds.col.name").sorts("name"),
        Col::text(if customer { "funds.col.mode" } else { "partner.kind" }), Col::text("funds.col.since").sorts("since"),
        Col::text("customer.status").shown_if(customer), Col::num("funds.col.balance").sorts("balance"), Col::text("funds.col.actions")] /> }
}

/// 我的云经销商 (a distributor's resellers) and 客户管理 (a partner's customers): search, balances,
/// 拨款/回收 per row.
#[component]
fn PartyListPage(target: Target) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let args = move || PartyQuery::read(|k| q(query, k));
    let list = Resource::new(args, move |pq| async move {
        match target {
            Target::Reseller => list_resellers(pq).await,
            Target::Customer => list_customers(pq).await,
        }
    });
    let (title, empty) = match target {
        Target::Reseller => ("sales.resellers", "funds.no_resellers"),
        Target::Customer => ("sales.customers", "funds.no_customers"),
    };
    view! {
        <h1>{t(lang, title)}</h1>
        {match target {
            Target::Reseller => view! {
                <div class="tabs" role="tablist"><span role="tab" aria-selected="true" class="tab active">{t(lang, "sales.resellers.mine")}</span></div>
            }.into_any(),
            Target::Customer => view! {
                <p class="button-row">
                    <a class="btn btn-primary" href="/center/sales/customers/invite" data-testid="invite-customers">{t(lang, "invite.title")}</a>
                    {works_in_funds().then(|| view! {
                        <a class="btn" href="/center/sales/customers/bulk">{t(lang, "funds.bulk")}</a>
                    })}
                </p>
            }.into_any(),
        }}
        <DoneBanner />
        <PartySearch target />
        <Paged list empty sizes=true body=move |rows| view! { <PartyTable target rows /> }.into_any() />
    }
}

#[component]
pub fn ResellersPage() -> impl IntoView {
    view! { <PartyListPage target=Target::Reseller /> }
}

#[component]
pub fn CustomersPage() -> impl IntoView {
    view! { <PartyListPage target=Target::Customer /> }
}

/// 拨款 / 回收: enter the amount, see the balances before and after, confirm (是否确定调整).
/// The amount step is a plain GET form and the confirmation an `ActionForm`, so both work before
/// the WebAssembly loads; the confirmation carries a transaction id so a double submit moves
/// the money once.
#[component]
pub fn AdjustPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let target = move || params.read().get("target").and_then(|s| Target::parse(&s));
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let direction = move || {
        params
            .read()
            .get("direction")
            .and_then(|s| Direction::parse(&s))
    };
    let amount = move || q(query, "amount");
    let preview = Resource::new(
        move || (target(), id(), direction(), amount()),
        |(t, i, d, a)| async move {
            match (t, i, d) {
                (Some(t), Some(i), Some(d)) if !a.trim().is_empty() => {
                    Some(preview_adjust(t, i, d, a).await)
                }
                (Some(_), Some(_), Some(_)) => None,
                _ => Some(Err(AppError::NotFound)),
            }
        },
    );
    let confirm = ServerAction::<ConfirmAdjust>::new();
    let title = move || match direction() {
        Some(Direction::Reclaim) => t(lang, "funds.reclaim"),
        _ => t(lang, "funds.allocate"),
    };
    let back = move || {
        format!(
            "/center/sales/{}",
            target().map(Target::segment).unwrap_or("customers")
        )
    };
    view! {
        <h1>{title}</h1>
        <form method="get" class="form amount-form">
            <label for="adjust-amount">{t(lang, "funds.amount")}</label>
            <input id="adjust-amount" name="amount" inputmode="decimal" autocomplete="off" value=amount />
            <button type="submit" class="btn btn-primary">{t(lang, "funds.next")}</button>
        </form>
        <Loaded resource=preview silent=true body=move |p| view! { <ConfirmBox p confirm back=back() /> }.into_any()
        />
    }
}

#[component]
fn ConfirmBox(p: Preview, confirm: ServerAction<ConfirmAdjust>, back: String) -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let target = params
        .read_untracked()
        .get("target")
        .and_then(|s| Target::parse(&s))
        .unwrap_or(Target::Customer);
    let id = params.read_untracked().get("id").unwrap_or_default();
    let error = failure(confirm);
    view! {
        <section class="panel confirm-box" data-testid="adjust-preview">
            <h2>{t(lang, "funds.confirm")}</h2>
            <dl class="facts">
                <dt>{t(lang, "funds.counterparty")}</dt><dd>{p.counterparty.clone()}</dd>
                <dt>{t(lang, "funds.amount")}</dt><dd data-testid="preview-amount">{p.amount.to_string()}</dd>
                <dt>{t(lang, "funds.my_balance")}</dt><dd data-testid="preview-mine">{format!("{} → {}", p.my_before, p.my_after)}</dd>
                <dt>{t(lang, "funds.their_balance")}</dt><dd data-testid="preview-theirs">{format!("{} → {}", p.their_before, p.their_after)}</dd>
            </dl>
            <ActionForm action=confirm>
                <input type="hidden" name="target" value=format!("{target:?}") />
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="direction" value=format!("{:?}", p.direction) />
                <input type="hidden" name="amount" value=p.amount.to_string() />
                <input type="hidden" name="trans_id" value=p.trans_id.clone() />
                <FormError error />
                <div class="button-row">
                    <button type="submit" class="btn btn-primary" disabled=move || confirm.pending().get()>{t(lang, "common.confirm")}</button>
                    <a class="btn" href=back>{t(lang, "common.cancel")}</a>
                </div>
            </ActionForm>
        </section>
    }
}

/// 余额预警: the threshold below which the partner is told, set or turned off here.
#[component]
fn AlertPanel() -> impl IntoView {
    let lang = use_lang();
    let set = ServerAction::<SetLowBalance>::new();
    let alert = Resource::new(move || set.version().get(), |_| low_balance_state());
    let error = failure(set);
    view! {
        <section class="panel" data-testid="low-balance">
            <h2>{t(lang, "funds.alert")}</h2>
            <p class="muted">{t(lang, "funds.alert.hint")}</p>
            <Loaded resource=alert silent=true body=move |a| {
                let state = match a.threshold {
                    Some(th) => crate::i18n::fill(lang, "funds.alert.on", [("threshold", th.to_string().as_str())]),
                    None => t(lang, "funds.alert.off").to_string(),
                };
                let value = a.threshold.map(|th| th.to_string()).unwrap_or_default();
                view! {
                    <p data-testid="low-balance-state">{state}</p>
                    {a.below.then(|| view! { <p class="notice-warn" role="status" data-testid="low-balance-below">{t(lang, "funds.alert.below")}</p> })}
                    <ActionForm action=set attr:class="search-bar">
                        <label for="low-balance-threshold">{t(lang, "funds.alert.threshold")}</label>
                        <input id="low-balance-threshold" name="threshold" inputmode="decimal" maxlength="16" value=value />
                        <button type="submit" class="btn btn-primary">{t(lang, "funds.alert.save")}</button>
                    </ActionForm>
                    {a.threshold.is_some().then(|| view! {
                        <ActionForm action=set attr:class="inline">
                            <input type="hidden" name="threshold" value="" />
                            <button type="submit" class="btn">{t(lang, "funds.alert.clear")}</button>
                        </ActionForm>
                    })}
                }.into_any()
            } />
            <FormError error />
        </section>
    }
}

/// 资金管理: balances by account type and 调账记录 with filters and CSV export.
#[component]
pub fn FundsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let balances = Resource::new(|| (), |_| my_balances());
    let args = move || {
        (
            q(query, "operation"),
            q(query, "trans_id"),
            q(query, "from"),
            q(query, "to"),
            q(query, "page").parse::<u32>().ok(),
        )
    };
    let records = Resource::new(args, |(op, id, from, to, page)| {
        adjust_records(op, id, from, to, page)
    });
    let selected = move |op: &str| q(query, "operation") == op;
    view! {
        <h1>{t(lang, "sales.funds")}</h1>
        <Loaded resource=balances silent=true body=move |b| view! {
                <div class="cards" data-testid="balances">
                    <div class="card"><p class="card-label">{t(lang, "funds.balance")}</p><p class="card-value" data-testid="balance">{b.balance.grouped()}</p></div>
                    <div class="card"><p class="card-label">{t(lang, "funds.available")}</p><p class="card-value" data-testid="available">{b.available().grouped()}</p></div>
                    <div class="card"><p class="card-label">{t(lang, "funds.designated")}</p><p class="card-value">{b.designated.grouped()}</p></div>
                </div>
            }.into_any()
        />
        <AlertPanel />
        <h2>{t(lang, "funds.records")}</h2>
        <form method="get" class="search-bar">
            <label for="rec-op">{t(lang, "funds.col.operation")}</label>
            <select id="rec-op" name="operation">
                <option value="" selected=move || selected("")>{t(lang, "common.all")}</option>
                {["FUND", "BEADJUST", "BERETRIEVE", "BEUNBIND"].map(|op| view! { <option value=op selected=move || selected(op)>{op}</option> })}
            </select>
            <label for="rec-from">{t(lang, "funds.search.from")}</label>
            <input id="rec-from" name="from" type="date" value=move || q(query, "from") />
            <label for="rec-to">{t(lang, "funds.search.to")}</label>
            <input id="rec-to" name="to" type="date" value=move || q(query, "to") />
            <label for="rec-id">{t(lang, "funds.col.trans_id")}</label>
            <input id="rec-id" name="trans_id" value=move || q(query, "trans_id") maxlength="64" />
            <button type="submit" class="btn">{t(lang, "common.search")}</button>
            <ExportLinks path="/center/sales/funds/records" />
        </form>
        <PagedList list=records empty="funds.no_records" testid="records" after=too_many_to_export
            columns=vec![
                Col::text("funds.col.operation"), Col::num("funds.amount"), Col::text("funds.counterparty"),
                Col::text("funds.col.operator"), Col::text("funds.col.time"), Col::text("funds.col.trans_id"),
            ]
            row=move |r: AdjustRecord| view! {
                <tr>
                    <td title=t(lang, r.operation.label_key())>{r.operation.code()}" "<span class="muted">{t(lang, r.operation.label_key())}</span></td>
                    <td class="num">{if r.signed_fen < 0 { "-" } else { "+" }}{r.amount().grouped()}</td>
                    <td>{r.counterparty.clone()}</td>
                    <td>{r.operator.clone()}</td>
                    <td>{format_time(r.created_at)}</td>
                    <td class="mono">{r.trans_id.clone()}</td>
                </tr>
            }.into_any()
        />
    }
}

/// The customer's balance, with what its mode means: resale (代售) customers cannot top up and
/// are funded by their partner; consulting (顾问销售) customers pay Huawei Cloud directly.
#[component]
pub fn CustomerBilling() -> impl IntoView {
    let lang = use_lang();
    let customer = expect_context::<Auth>().user.and_then(|u| u.customer);
    let balance = Resource::new(|| (), |_| customer_balance());
    view! {
        <RequireRole role=Role::Customer>
            <section class="panel">
                <h1>{t(lang, "billing.title")}</h1>
                <Suspense>
                    {move || {
                        let customer = customer.clone();
                        Suspend::new(async move {
                        let b = balance.await;
                        view! {
                            {match b {
                                Ok(b) => view! { <p class="big-balance">{t(lang, "funds.balance")}": "<strong data-testid="customer-balance">{b.balance.to_string()}</strong>" "{t(lang, "common.yuan")}</p> }.into_any(),
                                Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                            }}
                            {customer.and_then(|c| Some((c.mode?, c.partner_name?))).map(|(mode, partner_name)| match mode {
                                CustomerMode::Resale => view! {
                                    <div class="notice-info" data-testid="no-top-up">
                                        <p>{t(lang, "billing.no_top_up")}</p>
                                        <p>{t(lang, "billing.withdraw")}</p>
                                        <p>{t(lang, "billing.partner")}" "<a href="/customer">{partner_name}</a></p>
                                    </div>
                                }.into_any(),
                                CustomerMode::Consulting => view! {
                                    <div class="notice-info" data-testid="consulting-billing">
                                        <p>{t(lang, "billing.consulting")}</p>
                                        <p>{t(lang, "billing.partner")}" "<a href="/customer">{partner_name}</a></p>
                                    </div>
                                }.into_any(),
                            })}
                        }
                    })}}
                </Suspense>
            </section>
        </RequireRole>
    }
}

/// The operator's funding form: partner and amount → preview → confirm.
#[component]
pub fn OperatorFunding() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let partner = move || q(query, "fund_partner");
    let amount = move || q(query, "fund_amount");
    let preview = Resource::new(
        move || (partner(), amount()),
        |(p, a)| async move {
            if p.trim().is_empty() || a.trim().is_empty() {
                return None;
            }
            let Ok(p) = p.trim().parse::<i64>() else {
                return Some(Err(AppError::invalid("error.partner.not_found")));
            };
            Some(fund_preview(p, a).await)
        },
    );
    let fund = ServerAction::<RequestFunding>::new();
    let designate = ServerAction::<SetDesignated>::new();
    let fund_error = failure(fund);
    let designate_error = failure(designate);
    let designated_ok = move || designate.value().get().is_some_and(|r| r.is_ok());
    view! {
        <section class="panel" data-testid="operator-funding">
            <h2>{t(lang, "operator.fund")}</h2>
            {move || {
                let done = q(query, "funded");
                (!done.is_empty()).then(|| view! { <p class="notice-ok" role="status">{t(lang, "funds.done")}" "{done}</p> })
            }}
            {move || {
                let requested = q(query, "requested");
                (!requested.is_empty()).then(|| view! { <p class="notice-ok" role="status" data-testid="fund-requested">{t(lang, "funds.request.sent")}</p> })
            }}
            <form method="get" class="search-bar">
                <crate::console::picker::Picker id="fund-partner" name="fund_partner" label="operator.partner" what=crate::console::model::PickKind::Partner />
                <label for="fund-amount">{t(lang, "funds.amount")}</label>
                <input id="fund-amount" name="fund_amount" inputmode="decimal" value=amount />
                <button type="submit" class="btn btn-primary">{t(lang, "funds.next")}</button>
            </form>
            <Loaded resource=preview silent=true body=move |p| view! {
                    <div class="confirm-box" data-testid="fund-preview">
                        <p><strong>{t(lang, "funds.confirm")}</strong></p>
                        <p>{p.counterparty.clone()}": "{format!("{} → {}", p.their_before, p.their_after)}</p>
                        {p.needs_approval.then(|| view! { <p class="notice-warn" data-testid="needs-approval">{t(lang, "funds.request.needed")}</p> })}
                        <ActionForm action=fund>
                            <input type="hidden" name="partner" value=partner() />
                            <input type="hidden" name="amount" value=p.amount.to_string() />
                            <input type="hidden" name="trans_id" value=p.trans_id.clone() />
                            <crate::console::picker::BackHere />
                            <FormError error=fund_error />
                            <button type="submit" class="btn btn-primary">
                                {t(lang, if p.needs_approval { "funds.request.submit" } else { "common.confirm" })}
                            </button>
                        </ActionForm>
                    </div>
                }.into_any()
            />
            <h2>{t(lang, "funds.designated")}</h2>
            <ActionForm action=designate attr:class="search-bar">
                <crate::console::picker::Picker id="des-partner" name="partner" label="operator.partner" what=crate::console::model::PickKind::Partner />
                <Field id="des-amount" name="amount" label="funds.amount" inputmode="decimal" />
                <button type="submit" class="btn">{t(lang, "common.save")}</button>
            </ActionForm>
            <FormError error=designate_error />
            <Show when=designated_ok><p class="notice-ok" role="status">{t(lang, "common.saved")}</p></Show>
        </section>
    }
}

/// 批量拨款: tick resale customers and an amount each → see the total and the balance after →
/// confirm. Plain GET form then an `ActionForm`, so it works before the WebAssembly loads.
#[component]
pub fn BulkAllocatePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let selected = move || query.read().get_all("c").unwrap_or_default();
    let amount = move || q(query, "amount");
    let customers = Resource::new(|| (), |_| list_customers(PartyQuery::default()));
    let preview = Resource::new(
        move || (selected().join(","), amount()),
        |(ids, a)| async move {
            if ids.is_empty() || a.trim().is_empty() {
                None
            } else {
                Some(bulk_preview(ids, a).await)
            }
        },
    );
    let confirm = ServerAction::<BulkAllocate>::new();
    let error = failure(confirm);
    view! {
        <h1>{t(lang, "funds.bulk")}</h1>
        <form method="get" class="form">
            <Suspense>
                {move || Suspend::new(async move {
                    let chosen = selected();
                    match customers.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(p) => view! {
                            <fieldset class="checks" data-testid="bulk-customers">
                                <legend>{t(lang, "funds.bulk.pick")}</legend>
                                {p.items.into_iter().filter(|c| c.fundable).map(|c| {
                                    let id = c.id.to_string();
                                    let checked = chosen.contains(&id);
                                    view! { <label><input type="checkbox" name="c" value=id checked=checked />" "{c.name}" ("{c.login}")"</label> }
                                }).collect_view()}
                            </fieldset>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <label for="bulk-amount">{t(lang, "funds.bulk.each")}</label>
            <input id="bulk-amount" name="amount" inputmode="decimal" autocomplete="off" value=amount />
            <button type="submit" class="btn btn-primary">{t(lang, "funds.next")}</button>
        </form>
        <Loaded resource=preview silent=true body=move |p| {
                let ids = p.customers.iter().map(|(id, _)| id.to_string()).collect::<Vec<_>>().join(",");
                view! {
                    <section class="panel confirm-box" data-testid="bulk-preview">
                        <h2>{t(lang, "funds.confirm")}</h2>
                        <ul>{p.customers.iter().map(|(_, n)| view! { <li>{n.clone()}": "{p.amount.to_string()}</li> }).collect_view()}</ul>
                        <dl class="facts">
                            <dt>{t(lang, "funds.bulk.total")}</dt><dd data-testid="bulk-total">{p.total.to_string()}</dd>
                            <dt>{t(lang, "funds.my_balance")}</dt><dd>{format!("{} → {}", p.my_before, p.my_after)}</dd>
                        </dl>
                        <ActionForm action=confirm>
                            <input type="hidden" name="ids" value=ids />
                            <input type="hidden" name="amount" value=p.amount.to_string() />
                            <input type="hidden" name="trans_id" value=p.trans_id.clone() />
                            <crate::console::picker::BackHere />
                            <FormError error />
                            <div class="button-row">
                                <button type="submit" class="btn btn-primary">{t(lang, "common.confirm")}</button>
                                <a class="btn" href="/center/sales/customers">{t(lang, "common.cancel")}</a>
                            </div>
                        </ActionForm>
                    </section>
                }.into_any()
            }
        />
    }
}

/// 资金管理: the funding form and the funding requests waiting for a second operator, with their
/// decisions. A requester sees its own pending request and may withdraw it, never approve it.
#[component]
pub fn FundingPage() -> impl IntoView {
    let lang = use_lang();
    let auth = expect_context::<Auth>();
    let me = auth.user.as_ref().map(|u| u.id).unwrap_or_default();
    let query = use_query_map();
    let state = move || q(query, "state");
    let page = move || query.read().get("page").and_then(|p| p.parse::<u32>().ok());
    let approve = ServerAction::<ApproveFunding>::new();
    let reject = ServerAction::<RejectFunding>::new();
    let list = Resource::new(
        move || {
            (
                state(),
                page(),
                approve.version().get(),
                reject.version().get(),
            )
        },
        |(s, page, _, _)| funding_requests(Some(s), page),
    );
    let error = crate::ui::either(failure(approve), failure(reject));
    let approved = move || matches!(approve.value().get(), Some(Ok(_)));
    let row = move |r: FundingRequest| {
        let pending = r.state == RequestState::Pending;
        let own = r.requested_by == me;
        let id = r.id.to_string();
        let decided = r
            .decider
            .clone()
            .map(|d| {
                format!(
                    "{d} · {}",
                    r.decided_at.map(format_time).unwrap_or_default()
                )
            })
            .unwrap_or_else(|| "-".into());
        view! {
            <tr data-testid=format!("funding-request-{}", r.id)>
                <td>{r.id}</td>
                <td>{r.partner_name.clone()}" (ID "{r.partner_id}")"</td>
                <td class="num">{r.amount.grouped()}</td>
                <td>{r.requester.clone()}" · "{format_time(r.requested_at)}</td>
                <td>{t(lang, r.state.label_key())}</td>
                <td>{decided}{r.reason.clone().map(|w| view! { <br /><span class="muted">{w}</span> })}</td>
                <td class="actions">
                    {(pending && !own).then(|| {
                        let id = id.clone();
                        view! {
                            <ActionForm action=approve>
                                <input type="hidden" name="request" value=id />
                                <button type="submit" class="btn btn-primary">{t(lang, "funds.request.approve")}</button>
                            </ActionForm>
                        }
                    })}
                    {(pending && own).then(|| view! { <span class="muted">{t(lang, "funds.request.awaiting")}</span> })}
                    {pending.then(|| view! {
                        <ActionForm action=reject attr:class="inline-form">
                            <input type="hidden" name="request" value=id.clone() />
                            <input name="reason" maxlength="200" aria-label=t(lang, "funds.request.reason") placeholder=t(lang, "funds.request.reason") />
                            <button type="submit" class="btn">{t(lang, if own { "funds.request.withdraw" } else { "funds.request.reject" })}</button>
                        </ActionForm>
                    })}
                </td>
            </tr>
        }
        .into_any()
    };
    view! {
        <h1>{t(lang, "operator.funding")}</h1>
        <OperatorFunding />
        <section class="panel" data-testid="funding-requests">
            <h2>{t(lang, "funds.requests")}</h2>
            <p class="muted">{t(lang, "funds.requests.lead")}</p>
            <form method="get" class="search-bar">
                <label for="fr-state">{t(lang, "outbox.state")}</label>
                <select id="fr-state" name="state">
                    <option value="">{t(lang, "common.all")}</option>
                    {[RequestState::Pending, RequestState::Approved, RequestState::Rejected].into_iter().map(|s| view! {
                        <option value=s.as_str() selected=move || state() == s.as_str()>{t(lang, s.label_key())}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="btn">{t(lang, "common.search")}</button>
            </form>
            {move || approved().then(|| view! { <p class="notice-ok" role="status">{t(lang, "funds.request.done")}</p> })}
            <FormError error />
            <PagedList list empty="funds.requests.empty" testid="funding-request-list"
                columns=vec![
                    Col::raw("ID"), Col::text("operator.partner"), Col::text("funds.amount"),
                    Col::text("funds.request.by"), Col::text("outbox.state"),
                    Col::text("funds.request.decided"), Col::text("common.actions"),
                ]
                row=row
            />
        </section>
    }
}
