//! The partner's 工作台 on its home page: to-dos that link to their filtered lists, then key
//! figures.

use super::api::partner_workbench;
use super::model::{Due, Value, Workbench};
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

fn workbench(lang: Lang, w: Workbench) -> AnyView {
    let clear = w.all_clear();
    let todos = w
        .todos
        .into_iter()
        .map(|todo| {
            let idle = todo.count == 0;
            let kind = todo.key.trim_start_matches("workbench.todo.").to_string();
            view! {
                <li class="todo" class:idle=idle data-testid=format!("todo-{kind}")>
                    <a href=todo.link>
                        <span class="todo-count" data-testid="todo-count">{todo.count}</span>
                        <span class="todo-label">{t(lang, &todo.key)}</span>
                    </a>
                    {todo.due.filter(|_| !idle).map(|d| view! { <span class="muted todo-due">{due(lang, d)}</span> })}
                </li>
            }
        })
        .collect_view();
    let figures = w
        .figures
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
        .collect_view();
    view! {
        <section class="panel" data-testid="workbench-todos">
            <h2>{t(lang, "workbench.todos")}</h2>
            {clear.then(|| view! { <p class="muted">{t(lang, "workbench.all_clear")}</p> })}
            <ul class="todos">{todos}</ul>
        </section>
        <section class="panel" data-testid="workbench-figures">
            <h2>{t(lang, "workbench.figures")}</h2>
            <div class="figures">{figures}</div>
        </section>
    }
    .into_any()
}

/// The signed-in partner member's to-dos and figures.
#[component]
pub fn PartnerWorkbench() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| partner_workbench());
    view! { <Loaded resource=data body=move |w| workbench(lang, w) /> }
}
