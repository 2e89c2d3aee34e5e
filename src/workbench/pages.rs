//! The partner's 工作台 on its home page: to-dos that link to their filtered lists, then key
//! figures.

use super::api::{customer_workbench, operator_workbench, partner_workbench};
use super::model::{Due, Figure, ProgrammeBoard, Todo, Value, Workbench};
use crate::domain::format_time;
use crate::i18n::{Lang, t, use_lang};
use crate::ui::Loaded;
use leptos::prelude::*;

fn due(lang: Lang, d: Due) -> String {
    match d {
        Due::At(at) => format!("{}{}", t(lang, "workbench.due.at"), format_time(at)),
        Due::DaysLeft(days) => crate::i18n::fill(
            lang,
            "workbench.due.days",
            [("days", days.to_string().as_str())],
        ),
    }
}

/// To-dos (or queues) as counts that link to their lists; `prefix` is their keys' prefix.
fn todo_list(lang: Lang, todos: Vec<Todo>, prefix: &'static str) -> AnyView {
    todos
        .into_iter()
        .map(|todo| {
            let idle = todo.count == 0;
            let kind = todo.key.trim_start_matches(prefix).to_string();
            view! {
                <li class="todo" class:idle=idle data-testid=format!("todo-{kind}")>
                    <a href=todo.link>
                        <span class="todo-count" data-testid="todo-count">{todo.count}</span>
                        <span class="todo-label">{t(lang, &todo.key)}</span>
                    </a>
                    {todo.due.filter(|_| !idle).map(|d| view! { <span class="muted todo-due">{due(lang, d)}</span> })}
                    {todo.amount.filter(|_| !idle).map(|m| {
                        let total = crate::i18n::fill(lang, "workbench.amount", [("amount", m.grouped().as_str())]);
                        view! { <span class="muted todo-due" data-testid="todo-amount">{total}</span> }
                    })}
                </li>
            }
        })
        .collect_view()
        .into_any()
}

/// Figures as cards: money grouped in thousands, each linking to where it comes from.
fn figure_grid(lang: Lang, figures: Vec<Figure>) -> AnyView {
    figures
        .into_iter()
        .map(|f| {
            let kind = f.key.trim_start_matches("workbench.figure.").to_string();
            let value = match f.value {
                Value::Money(m) => m.grouped(),
                Value::Count(n) => n.to_string(),
            };
            view! {
                <a class="figure" href=f.link data-testid=format!("figure-{kind}")>
                    <span class="figure-value num">{value}</span>
                    <span class="figure-label">{t(lang, &f.key)}</span>
                </a>
            }
        })
        .collect_view()
        .into_any()
}

fn workbench(lang: Lang, w: Workbench) -> AnyView {
    let clear = w.all_clear();
    view! {
        <section class="panel" data-testid="workbench-todos">
            <h2>{t(lang, "workbench.todos")}</h2>
            {clear.then(|| view! { <p class="muted">{t(lang, "workbench.all_clear")}</p> })}
            <ul class="todos">{todo_list(lang, w.todos, "workbench.todo.")}</ul>
        </section>
        <section class="panel" data-testid="workbench-figures">
            <h2>{t(lang, "workbench.figures")}</h2>
            <div class="figures">{figure_grid(lang, w.figures)}</div>
        </section>
    }
    .into_any()
}

fn operator(lang: Lang, w: ProgrammeBoard) -> AnyView {
    let agrees = w.ledger_agrees;
    let partners = w
        .partners
        .into_iter()
        .map(|p| {
            let href = format!(
                "/operator?kind={}&hcpn={}",
                p.kind.as_str(),
                p.hcpn.as_str()
            );
            view! {
                <tr>
                    <td>{t(lang, p.kind.label_key())}</td>
                    <td>{t(lang, p.hcpn.label_key())}</td>
                    <td class="num"><a href=href>{p.count}</a></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" data-testid="workbench-queues">
            <h2>{t(lang, "workbench.queues")}</h2>
            <ul class="todos">{todo_list(lang, w.queues, "workbench.queue.")}</ul>
        </section>
        <section class="panel" data-testid="workbench-figures">
            <h2>{t(lang, "workbench.programme")}</h2>
            <div class="figures">{figure_grid(lang, w.figures)}</div>
            <p class=if agrees { "muted" } else { "notice-warn" } data-testid="ledger-check">
                {if agrees { "✓ " } else { "⚠ " }}
                {t(lang, if agrees { "workbench.ledger.agrees" } else { "workbench.ledger.disagrees" })}
            </p>
            <h3>{t(lang, "workbench.partners")}</h3>
            <table class="data-table" data-testid="partners-by-kind">
                <thead><tr>
                    <th>{t(lang, "partner.kind")}</th>
                    <th>{t(lang, "partner.hcpn")}</th>
                    <th>{t(lang, "workbench.partners.count")}</th>
                </tr></thead>
                <tbody>{partners}</tbody>
            </table>
        </section>
    }
    .into_any()
}

/// The operator's queues and programme figures, above the partner list.
#[component]
pub fn OperatorWorkbenchPanel() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| operator_workbench());
    view! { <Loaded resource=data body=move |w| operator(lang, w) /> }
}

/// The signed-in partner member's to-dos and figures.
#[component]
pub fn PartnerWorkbench() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| partner_workbench());
    view! { <Loaded resource=data body=move |w| workbench(lang, w) /> }
}

/// The signed-in customer's orders waiting to be paid, expiring coupons, messages and balance.
#[component]
pub fn CustomerWorkbench() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| customer_workbench());
    view! { <Loaded resource=data body=move |w| workbench(lang, w) /> }
}
