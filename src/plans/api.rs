//! Server functions of the plans domain, and the certificate download.

use super::model::{ApplicationView, Certificate, PlanCard, ReviewItem};
use crate::domain::Page;
#[cfg(feature = "ssr")]
use crate::domain::{PageRequest, Role};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::ctx;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn parse_plan(code: &str) -> Result<super::model::Plan, AppError> {
    super::model::Plan::parse(code).ok_or(AppError::NotFound)
}

/// The catalogue with this partner's standing in each plan.
#[server(prefix = "/api", endpoint = "plans/catalogue")]
pub async fn catalogue() -> Result<Vec<PlanCard>, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::catalogue(&cx).await
}

/// 申请加入: submits an application to join a plan.
#[server(prefix = "/api", endpoint = "plans/apply")]
pub async fn apply(
    plan: String,
    contact_name: String,
    contact_phone: String,
    statement: String,
) -> Result<i64, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let plan = parse_plan(&plan)?;
    let form = super::model::ApplicationForm::parse(&contact_name, &contact_phone, &statement)
        .map_err(AppError::invalid)?;
    let id = super::service::apply(&cx, plan, &form).await?;
    leptos_axum::redirect(&format!(
        "/center/plans/applications?applied={}",
        plan.code()
    ));
    Ok(id)
}

#[server(prefix = "/api", endpoint = "plans/applications")]
pub async fn my_applications() -> Result<Vec<ApplicationView>, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::my_applications(&cx).await
}

/// 已加入伙伴计划.
#[server(prefix = "/api", endpoint = "plans/joined")]
pub async fn joined() -> Result<Vec<Certificate>, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::joined(&cx).await
}

/// The public verification of a certificate number (no sign-in). `None`: no such certificate.
#[server(prefix = "/api", endpoint = "certificates/verify")]
pub async fn verify(number: String) -> Result<Option<Certificate>, AppError> {
    super::service::verify(&ctx::state()?.db, &number).await
}

/// Operator: applications to review, by state (`pending`, `approved`, `rejected`, or all),
/// partner name, sorted and paged as the list's link says.
#[server(prefix = "/api", endpoint = "operator/plan-applications")]
pub async fn review_list(
    state: String,
    page: Option<u32>,
    #[server(default)] q: String,
    #[server(default)] sort: String,
    #[server(default)] dir: String,
    #[server(default)] size: Option<u32>,
) -> Result<Page<ReviewItem>, AppError> {
    let (db, _) = ctx::caller(Role::Operator).await?;
    let search = review_search(&state, &q, &sort, &dir)?;
    super::service::review_list(&db, &search, PageRequest::new(page, size)).await
}

#[cfg(feature = "ssr")]
fn review_search(
    state: &str,
    q: &str,
    sort: &str,
    dir: &str,
) -> Result<super::service::ReviewSearch, AppError> {
    let state = match state {
        "" | "all" => None,
        s => Some(
            super::model::ApplicationState::parse(s)
                .ok_or_else(|| AppError::invalid("error.plans.state"))?,
        ),
    };
    Ok(super::service::ReviewSearch {
        state,
        like: crate::server::sql::like_pattern(q),
        sort: crate::domain::SortBy::parse(sort, dir),
    })
}

/// 计划申请 (operator) as CSV or XLSX with the list's filters and order.
#[cfg(feature = "ssr")]
pub async fn applications_export(
    export: crate::domain::export::OperatorExport,
) -> Result<axum::response::Response, AppError> {
    use crate::domain::export::{Cell, Sheet, respond};
    let state = match export.get("state") {
        "" => "pending",
        s => s,
    };
    let search = review_search(
        state,
        export.get("q"),
        export.get("sort"),
        export.get("dir"),
    )?;
    let sheet = Sheet {
        name: "plan-applications",
        header: &[
            "id",
            "partner_id",
            "partner",
            "plan",
            "state",
            "contact_name",
            "contact_phone",
            "statement",
            "reason",
            "submitted_at",
            "decided_at",
        ],
        row: |a: ReviewItem| {
            vec![
                Cell::Int(a.id),
                Cell::Int(a.partner_id),
                a.partner_name.into(),
                a.plan.code().into(),
                a.state.as_str().into(),
                a.contact_name.into(),
                a.contact_phone.into(),
                a.statement.into(),
                a.reason.unwrap_or_default().into(),
                Cell::Time(a.submitted_at),
                a.decided_at.map_or(Cell::from(""), Cell::Time),
            ]
        },
        id: |a| a.id,
    };
    let db = export.cx.db;
    respond(export.format, sheet, move |page| {
        let (db, search) = (db.clone(), search.clone());
        async move { super::service::review_list(&db, &search, page).await }
    })
    .await
}

/// Operator: approve an application; the partner joins and gets its certificate.
#[server(prefix = "/api", endpoint = "operator/plan-approve")]
pub async fn approve(id: i64) -> Result<String, AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    let number = super::service::approve(&cx, id).await?;
    leptos_axum::redirect(&format!("/operator/plans?approved={number}"));
    Ok(number)
}

/// Operator: reject an application with a reason.
#[server(prefix = "/api", endpoint = "operator/plan-reject")]
pub async fn reject(id: i64, reason: String) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    let reason = super::model::Reason::parse(&reason).map_err(AppError::invalid)?;
    super::service::reject(&cx, id, &reason).await?;
    ctx::redirect(&format!("/operator/plans?rejected={id}"))
}

/// Operator: revoke a certificate with a reason.
#[server(prefix = "/api", endpoint = "operator/certificate-revoke")]
pub async fn revoke(number: String, reason: String) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    let number = super::model::CertificateNumber::parse(&number).ok_or(AppError::NotFound)?;
    let reason = super::model::Reason::parse(&reason).map_err(AppError::invalid)?;
    super::service::revoke(&cx, &number, &reason).await?;
    ctx::redirect(&format!("/operator/plans?revoked={}", number.as_str()))
}

/// `GET /center/certificates/{number}/pdf`: the signed-in partner's own certificate as a PDF.
/// Another partner's number answers 404 like an unknown one. A revoked certificate is not
/// printed: 409 with the revocation's date and reason, as `/verify` shows them. An expired one
/// prints with a visible 已过期 / Expired mark.
#[cfg(feature = "ssr")]
pub async fn download(
    axum::extract::State(state): axum::extract::State<crate::server::state::AppState>,
    session: tower_sessions::Session,
    axum::Extension(client): axum::Extension<crate::server::security::ClientContext>,
    axum::extract::Path(number): axum::extract::Path<String>,
) -> Result<axum::response::Response, AppError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let path = format!("/center/certificates/{number}/pdf");
    let user =
        crate::server::session::require_user(&state.db, &session, Role::Partner, &path).await?;
    let origin = crate::accounts::audit::Origin::web(&client.ip.to_string());
    let cx = crate::accounts::audit::Caller::new(state.db.clone(), user, &origin);
    let cert = super::service::own_certificate(&cx, &number).await?;
    if cert.state == super::model::CertificateState::Revoked {
        return Ok(revoked(&cert));
    }
    let font = state
        .cert_font
        .clone()
        .ok_or_else(|| AppError::Unavailable("error.cert.font".into()))?;
    let url = format!("{}/verify/{}", state.config.public_url, cert.number);
    let number = cert.number.clone();
    // Rendering and font subsetting are CPU work: off the async workers, a few at a time.
    let pdf = crate::server::cpu::run(&crate::server::cpu::RENDERING, move || {
        super::pdf::render(&font, &cert, &url)
    })
    .await??;
    let disposition = format!("attachment; filename=\"certificate-{number}.pdf\"");
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        pdf,
    )
        .into_response())
}

/// The refusal to print a revoked certificate: the usual error body plus when and why.
#[cfg(feature = "ssr")]
fn revoked(cert: &super::model::Certificate) -> axum::response::Response {
    let e = AppError::conflict("error.cert.revoked");
    let mut body = e.body();
    body.insert(
        "revoked_at".into(),
        cert.revoked_at.map(crate::domain::format_time).into(),
    );
    body.insert("reason".into(), cert.revoke_reason.clone().into());
    body.insert("verify".into(), format!("/verify/{}", cert.number).into());
    e.respond(body)
}
