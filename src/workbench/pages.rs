//! The partner's 工作台 on its home page: to-dos that link to their filtered lists, then key
//! figures.

use super::api::{customer_workbench, operator_workbench, partner_workbench, sales_overview};
use super::model::{Chart, Due, Figure, ProgrammeBoard, SalesBoard, Todo, Value, Workbench};
use crate::domain::format_time;
use crate::error::AppError;
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

/// The signed-in partner member's workbench, read once for 主页's panels (the to-dos and
/// figures here, the 发展路径模块 from the same answer).
pub fn partner_workbench_resource() -> Resource<Result<Workbench, AppError>> {
    Resource::new(|| (), |_| partner_workbench())
}

/// The signed-in partner member's to-dos and figures.
#[component]
pub fn PartnerWorkbench(data: Resource<Result<Workbench, AppError>>) -> impl IntoView {
    let lang = use_lang();
    view! { <Loaded resource=data body=move |w| workbench(lang, w) /> }
}

/// The signed-in customer's orders waiting to be paid, expiring coupons, messages and balance.
#[component]
pub fn CustomerWorkbench() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| customer_workbench());
    view! { <Loaded resource=data body=move |w| workbench(lang, w) /> }
}

/// `x` with one decimal, rounded half away from zero: a chart's coordinate, written as integers
/// are (a page draws hundreds; formatting floats with a precision costs several times more).
struct Tenths(f64);

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = (self.0 * 10.0).round() as i64;
        let sign = if t < 0 { "-" } else { "" };
        let a = t.unsigned_abs();
        write!(f, "{sign}{}.{}", a / 10, a % 10)
    }
}

#[cfg(test)]
fn tenths(x: f64) -> String {
    Tenths(x).to_string()
}

/// Appends `text` to `out` escaped for HTML text and quoted attribute values.
fn push_escaped(out: &mut String, text: &str) {
    html_escape::encode_double_quoted_attribute_to_string(text, out);
}

/// A bar chart drawn on the server as SVG (one colour per series, each bar titled with its
/// figure), with the same figures as a table for screen readers and for reading. The bars and
/// the table's rows are written as one piece of markup each (escaped here): a chart has a
/// hundred bars and cells, and as views they were a quarter of the sales page's time.
fn bar_chart(lang: Lang, chart: Chart) -> AnyView {
    use std::fmt::Write;
    const W: f64 = 720.0;
    const H: f64 = 180.0;
    let kind = chart.key.trim_start_matches("workbench.chart.").to_string();
    let max = chart
        .points
        .iter()
        .flat_map(|p| p.values.iter())
        .map(|m| m.fen())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let n = chart.points.len().max(1) as f64;
    let per = chart.series.len().max(1) as f64;
    let slot = W / n;
    let width = (slot * 0.8 / per).max(0.5);
    let series: Vec<&'static str> = chart.series.iter().map(|s| t(lang, s)).collect();
    let mut bars = String::with_capacity(chart.points.len() * series.len().max(1) * 128);
    let mut rows = String::with_capacity(chart.points.len() * 96);
    for (i, p) in chart.points.iter().enumerate() {
        rows.push_str(r#"<tr><th scope="row">"#);
        push_escaped(&mut rows, &p.label);
        rows.push_str("</th>");
        for (j, v) in p.values.iter().enumerate() {
            let h = (v.fen() as f64 / max * (H - 4.0)).max(0.0);
            let x = i as f64 * slot + slot * 0.1 + j as f64 * width;
            let figure = v.grouped();
            let _ = write!(
                bars,
                r#"<rect class="bar series-{j}" x="{}" y="{}" width="{}" height="{}"><title>"#,
                Tenths(x),
                Tenths(H - h),
                Tenths(width),
                Tenths(h)
            );
            push_escaped(&mut bars, &p.label);
            bars.push_str(" · ");
            push_escaped(&mut bars, series.get(j).copied().unwrap_or(""));
            bars.push_str(": ");
            push_escaped(&mut bars, &figure);
            bars.push_str("</title></rect>");
            rows.push_str(r#"<td class="num">"#);
            push_escaped(&mut rows, &figure);
            rows.push_str("</td>");
        }
        rows.push_str("</tr>");
    }
    let first = chart
        .points
        .first()
        .map(|p| p.label.clone())
        .unwrap_or_default();
    let last = chart
        .points
        .last()
        .map(|p| p.label.clone())
        .unwrap_or_default();
    let legend = series
        .iter()
        .enumerate()
        .map(|(j, s)| view! { <span class="legend"><span class=format!("swatch series-{j}")></span>{*s}</span> })
        .collect_view();
    let head = series
        .iter()
        .map(|s| view! { <th scope="col">{*s}</th> })
        .collect_view();
    let title = t(lang, &chart.key);
    view! {
        <figure class="chart" data-testid=format!("chart-{kind}")>
            <figcaption>{title}</figcaption>
            <svg viewBox=format!("0 0 {W} {H}") preserveAspectRatio="none" role="img" aria-label=title class="chart-svg"
                inner_html=bars>
            </svg>
            <div class="chart-axis muted"><span>{first}</span><span>{last}</span></div>
            <div class="chart-legend">{legend}</div>
            <details class="chart-table">
                <summary>{t(lang, "workbench.chart.as_table")}</summary>
                <table class="data-table">
                    <thead><tr><th scope="col">{t(lang, "workbench.chart.when")}</th>{head}</tr></thead>
                    <tbody inner_html=rows></tbody>
                </table>
            </details>
        </figure>
    }
    .into_any()
}

/// 销售 overview: the member's figures and charts.
#[component]
pub fn SalesCharts() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| sales_overview());
    view! {
        <Loaded resource=data body=move |s: SalesBoard| view! {
            <section class="panel" data-testid="workbench-figures">
                <h2>{t(lang, "workbench.figures")}</h2>
                <div class="figures">{figure_grid(lang, s.figures)}</div>
            </section>
            <section class="panel charts" data-testid="sales-charts">
                {s.charts.into_iter().map(|c| bar_chart(lang, c)).collect_view()}
            </section>
        }.into_any() />
    }
}

#[cfg(test)]
mod tests {
    use super::{push_escaped, tenths};

    #[test]
    fn coordinates_have_one_decimal() {
        for (x, text) in [
            (0.0, "0.0"),
            (176.0, "176.0"),
            (12.34, "12.3"),
            (12.36, "12.4"),
            (0.05, "0.1"),
            (-3.26, "-3.3"),
            (719.99, "720.0"),
        ] {
            assert_eq!(tenths(x), text, "{x}");
        }
    }

    #[test]
    fn chart_text_is_escaped() {
        let mut out = String::new();
        push_escaped(&mut out, r#"<b>"A&B"</b> 七月"#);
        assert_eq!(out, "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt; 七月");
    }
}
