//! Building a partner member's workbench from its counts.

use super::model::{
    BALANCE_DAYS, CHART_MONTHS, Chart, Due, EXPIRING_DAYS, Figure, PartnerTally, Point,
    ProgrammeBoard, QUOTA_BARS, SalesBoard, Todo, Value, Workbench, by_month, daily_balances,
    date_of, day_of, last_months, month_start, months_start,
};
use super::repo::{self, PartnerCounts, When};
use crate::accounts::audit::Caller;
use crate::accounts::model::PartnerSummary;
use crate::domain::{DAY_MS, HcpnState, Money, PartnerKind};
use crate::error::AppError;
use crate::members::model::Area;
use crate::paths::model::{Decision, JoinedPath};
use crate::server::db::Db;
use crate::server::db::now_ms;

/// What the partner's paths ask of it: stages returned with a reason (the latest application
/// rejected, not certified) and certified stages whose review window is open and not yet
/// submitted (with the fewest days left), and where to act on the first of each.
#[derive(Debug, Default)]
struct PathWork {
    returned: i64,
    returned_at: Option<String>,
    reviews: i64,
    days_left: Option<i64>,
    review_at: Option<String>,
}

async fn path_work(cx: &Caller) -> Result<(PathWork, Vec<JoinedPath>), AppError> {
    let mut work = PathWork::default();
    let all = crate::paths::service::joined(cx).await?;
    for joined in &all {
        let page = format!("/center/paths/{}", joined.path.code());
        for stage in &joined.stages {
            let certified = stage.certification.as_ref().is_some_and(|c| c.active);
            if !certified
                && stage
                    .latest
                    .as_ref()
                    .is_some_and(|a| a.state == Decision::Rejected)
            {
                work.returned += 1;
                work.returned_at.get_or_insert_with(|| page.clone());
            }
            if let Some(r) = stage.review.as_ref().filter(|r| r.submitted.is_none()) {
                work.reviews += 1;
                work.days_left = Some(work.days_left.map_or(r.days_left, |d| d.min(r.days_left)));
                work.review_at.get_or_insert_with(|| page.clone());
            }
        }
    }
    Ok((work, all))
}

/// The signed-in partner member's workbench: the to-dos and figures of the areas its role opens.
pub async fn partner(cx: &Caller) -> Result<Workbench, AppError> {
    let p = cx.user.as_partner()?;
    let c = partner_counts(cx, p.id).await?;
    let works = |area: Area| p.role.may(area);
    let (paths, joined) = if works(Area::Paths) {
        path_work(cx).await?
    } else {
        (PathWork::default(), Vec::new())
    };
    let todo = |key: &str, count: i64, link: &str, due: Option<Due>| Todo {
        key: format!("workbench.todo.{key}"),
        count,
        link: link.to_string(),
        due,
        amount: None,
    };
    let mut todos = Vec::new();
    if works(Area::Orders) {
        todos.push(Todo {
            amount: Money::from_fen(c.orders_to_pay_fen),
            ..todo(
                "orders",
                c.orders_to_pay,
                "/center/sales/orders?tab=awaiting",
                None,
            )
        });
    }
    if works(Area::Opportunities) {
        todos.push(todo(
            "hos",
            c.hos,
            "/center/sales/opportunities?tab=ho",
            c.ho_due.map(Due::At),
        ));
    }
    if works(Area::Plans) {
        todos.push(todo(
            "plans_returned",
            c.plans_returned,
            "/center/plans/applications",
            None,
        ));
    }
    if works(Area::Paths) {
        let capability = "/center/capability".to_string();
        todos.push(todo(
            "paths_returned",
            paths.returned,
            paths.returned_at.as_ref().unwrap_or(&capability),
            None,
        ));
        todos.push(todo(
            "reviews",
            paths.reviews,
            paths.review_at.as_ref().unwrap_or(&capability),
            paths.days_left.map(Due::DaysLeft),
        ));
    }
    if works(Area::Vouchers) {
        todos.push(todo(
            "quotas_expiring",
            c.quotas_expiring,
            "/center/sales/vouchers?tab=coupon&view=quotas",
            None,
        ));
        todos.push(todo(
            "coupons_expiring",
            c.coupons_expiring,
            "/center/sales/vouchers?tab=coupon&view=issued",
            None,
        ));
    }
    if works(Area::Company) {
        todos.push(todo(
            "member_invitations",
            c.member_invitations,
            "/center/members",
            None,
        ));
        todos.push(todo(
            "employee_invitations",
            c.employee_invitations,
            "/center/org",
            None,
        ));
    }
    todos.push(todo("unread", c.unread, "/messages?filter=unread", None));
    let figures = partner_figures(p, &c);
    Ok(Workbench {
        todos,
        figures,
        paths: joined,
    })
}

/// A partner's counts and figures at `now`, as the records say.
async fn partner_counts(cx: &Caller, partner: i64) -> Result<PartnerCounts, AppError> {
    let now = now_ms();
    let when = When {
        now,
        soon: now + EXPIRING_DAYS * DAY_MS,
        month_start: month_start(now),
    };
    Ok(repo::partner_counts(&cx.db.pool, partner, cx.user.id, &when).await?)
}

/// The key figures of the areas a member's role opens.
fn partner_figures(p: &PartnerSummary, c: &PartnerCounts) -> Vec<Figure> {
    let works = |area: Area| p.role.may(area);
    let figure = |key: &str, value: Value, link: &str| Figure {
        key: format!("workbench.figure.{key}"),
        value,
        link: link.to_string(),
    };
    let mut figures = Vec::new();
    if works(Area::Funds) {
        figures.push(figure(
            "available",
            money(c.available_fen.unwrap_or(0)),
            "/center/sales/funds",
        ));
        figures.push(figure(
            "allocated",
            money(c.allocated_fen),
            "/center/sales/funds",
        ));
    }
    if works(Area::Vouchers) {
        figures.push(figure(
            "issued",
            money(c.issued_fen),
            "/center/sales/vouchers?tab=coupon&view=records",
        ));
        figures.push(figure(
            "used",
            money(c.used_fen),
            "/center/sales/vouchers?tab=coupon&view=issued",
        ));
    }
    if works(Area::Customers) {
        figures.push(figure(
            "customers",
            Value::Count(c.customers),
            "/center/sales/customers",
        ));
    }
    if p.kind == PartnerKind::Distributor && works(Area::Funds) {
        figures.push(figure(
            "resellers",
            Value::Count(c.resellers),
            "/center/sales/resellers",
        ));
    }
    figures
}

fn money(fen: i64) -> Value {
    Value::Money(Money::from_fen(fen).unwrap_or(Money::ZERO))
}

/// The operator's workbench: every queue with what waits in it, the programme's money this
/// month and held now (checked against the ledger), and the partners by kind and state.
pub async fn operator(db: &Db) -> Result<ProgrammeBoard, AppError> {
    let c = repo::programme_counts(&db.pool, month_start(now_ms())).await?;
    let queue = |key: &str, count: i64, link: &str| Todo {
        key: format!("workbench.queue.{key}"),
        count,
        link: link.to_string(),
        due: None,
        amount: None,
    };
    let queues = vec![
        queue("onboarding", c.onboarding, "/operator/onboarding"),
        queue("plans", c.plans, "/operator/plans"),
        queue("paths", c.paths, "/operator/paths"),
        queue("contracts", c.contracts, "/operator/contracts"),
        queue("funding", c.funding, "/operator/funding"),
        queue("failed", c.failed, "/operator/outbox?state=failed"),
    ];
    let figure = |key: &str, value: Value, link: &str| Figure {
        key: format!("workbench.figure.{key}"),
        value,
        link: link.to_string(),
    };
    let held = c.held_partners_fen + c.held_customers_fen;
    let figures = vec![
        figure("funded", money(c.funded_fen), "/operator/funding"),
        figure("held_partners", money(c.held_partners_fen), "/operator"),
        figure(
            "held_customers",
            money(c.held_customers_fen),
            "/operator/customers",
        ),
        figure("held", money(held), "/operator/audit"),
    ];
    let partners = repo::partners_by_kind(&db.pool)
        .await?
        .into_iter()
        .filter_map(|(kind, hcpn, count)| {
            Some(PartnerTally {
                kind: PartnerKind::parse(&kind)?,
                hcpn: HcpnState::parse(&hcpn)?,
                count,
            })
        })
        .collect();
    if held != c.ledger_fen {
        tracing::error!(
            held,
            ledger = c.ledger_fen,
            "balances disagree with the ledger"
        );
    }
    Ok(ProgrammeBoard {
        queues,
        figures,
        partners,
        ledger_agrees: held == c.ledger_fen,
    })
}

/// The signed-in customer's workbench: its orders waiting to be paid (by itself, by its
/// partner) with their totals, coupons about to expire, unread messages, and its balance.
pub async fn customer(cx: &Caller) -> Result<Workbench, AppError> {
    let customer = cx.user.as_customer()?.id;
    let now = now_ms();
    let c = repo::customer_counts(
        &cx.db.pool,
        customer,
        cx.user.id,
        now,
        now + EXPIRING_DAYS * DAY_MS,
    )
    .await?;
    let todo = |key: &str, count: i64, link: &str, fen: Option<i64>| Todo {
        key: format!("workbench.todo.{key}"),
        count,
        link: link.to_string(),
        due: None,
        amount: fen.and_then(Money::from_fen),
    };
    Ok(Workbench {
        todos: vec![
            todo(
                "unpaid",
                c.unpaid,
                "/customer/orders?tab=unpaid",
                Some(c.unpaid_fen),
            ),
            todo(
                "awaiting_partner",
                c.awaiting_partner,
                "/customer/orders?tab=unpaid",
                Some(c.awaiting_partner_fen),
            ),
            todo(
                "my_coupons_expiring",
                c.coupons_expiring,
                "/customer/coupons",
                None,
            ),
            todo("unread", c.unread, "/messages?filter=unread", None),
        ],
        figures: vec![Figure {
            key: "workbench.figure.balance".into(),
            value: money(c.available_fen.unwrap_or(0)),
            link: "/customer/billing".into(),
        }],
        paths: Vec::new(),
    })
}

fn points(labels: Vec<String>, values: Vec<Vec<i64>>) -> Vec<Point> {
    labels
        .into_iter()
        .zip(values)
        .map(|(label, values)| Point {
            label,
            values: values
                .into_iter()
                .map(|fen| Money::from_fen(fen).unwrap_or(Money::ZERO))
                .collect(),
        })
        .collect()
}

/// 销售 overview: the member's figures, and the charts of its role's areas — the balance's
/// daily close over 90 days, allocations and reclaims per month, customers' orders paid per
/// month (by themselves, by the partner); one query each.
pub async fn sales(cx: &Caller) -> Result<SalesBoard, AppError> {
    let p = cx.user.as_partner()?;
    let figures = partner_figures(p, &partner_counts(cx, p.id).await?);
    let now = now_ms();
    let today = day_of(now);
    let months = last_months(today, CHART_MONTHS);
    let month_labels: Vec<String> = months.iter().map(|(y, m)| format!("{y}-{m:02}")).collect();
    let since = months_start(&months);
    let mut charts = Vec::new();
    if p.role.may(Area::Funds) {
        let first = today - BALANCE_DAYS + 1;
        let start = crate::domain::day_start(date_of(first).unwrap_or_default());
        let rows = repo::balance_closes(&cx.db.pool, p.id, start).await?;
        let opening = rows.iter().find(|(d, _)| *d == -1).map_or(0, |r| r.1);
        let closes: Vec<(i64, i64)> = rows.into_iter().filter(|(d, _)| *d >= 0).collect();
        let days = daily_balances(opening, &closes, today, BALANCE_DAYS);
        let labels = days
            .iter()
            .map(|(d, _)| {
                date_of(*d)
                    .map(|d| d.format("%m-%d").to_string())
                    .unwrap_or_default()
            })
            .collect();
        charts.push(Chart {
            key: "workbench.chart.balance".into(),
            series: vec!["workbench.series.balance".into()],
            points: points(labels, days.into_iter().map(|(_, b)| vec![b]).collect()),
        });
        let flows: Vec<(i64, Vec<i64>)> = repo::daily_flows(&cx.db.pool, p.id, since)
            .await?
            .into_iter()
            .map(|(d, a, r)| (d, vec![a, r]))
            .collect();
        charts.push(Chart {
            key: "workbench.chart.flows".into(),
            series: vec![
                "workbench.series.allocated".into(),
                "workbench.series.reclaimed".into(),
            ],
            points: points(month_labels.clone(), by_month(&flows, &months, 2)),
        });
    }
    if p.role.may(Area::Orders) {
        let paid: Vec<(i64, Vec<i64>)> = repo::daily_paid_orders(&cx.db.pool, p.id, since)
            .await?
            .into_iter()
            .map(|(d, s, p)| (d, vec![s, p]))
            .collect();
        charts.push(Chart {
            key: "workbench.chart.orders".into(),
            series: vec![
                "workbench.series.self_paid".into(),
                "workbench.series.partner_paid".into(),
            ],
            points: points(month_labels, by_month(&paid, &months, 2)),
        });
    }
    if p.role.may(Area::Vouchers) {
        let quotas = repo::quota_use(&cx.db.pool, p.id, now, QUOTA_BARS).await?;
        let labels = quotas
            .iter()
            .rev()
            .map(|(id, _, _)| format!("#{id}"))
            .collect();
        let values = quotas.iter().rev().map(|(_, u, r)| vec![*u, *r]).collect();
        charts.push(Chart {
            key: "workbench.chart.quotas".into(),
            series: vec![
                "workbench.series.quota_used".into(),
                "workbench.series.quota_left".into(),
            ],
            points: points(labels, values),
        });
    }
    Ok(SalesBoard { figures, charts })
}
