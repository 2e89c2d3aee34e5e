//! Pages of development paths: the home module, 探索发展路径, a path's certification page, the
//! distributor invitation, the operator's queue, and the interstitial before leaving the site.

use super::api::{
    AcceptInvitation, ApplyStage, RecordEvidence, SelectPath, SubmitReview, detail_of_path,
    explore, open_invitation,
};
use super::model::{
    Application, Decision, EvidenceKind, JoinedPath, PathDetail, PathKind, Requirement, Stage,
    StageView,
};
use crate::domain::{Role, format_time};
use crate::i18n::{Lang, t, use_lang};
use crate::ui::{
    Col, DataTable, EmptyState, ErrorNotice, Field, FormError, Loaded, RequireRole, failure,
    list_table, loading, urlencode,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

mod operator;
pub use operator::{InviteDistributorForm, OperatorPaths};

fn day(ms: i64) -> String {
    format_time(ms).chars().take(10).collect()
}

/// The page that warns before a link leaves the site.
pub fn leave_link(url: &str) -> String {
    format!("/leave?to={}", urlencode(url))
}

/// Which associated employees may sit the service-partner exam, and why not.
fn exam_table(lang: Lang, people: Vec<crate::employees::model::ExamEligibility>) -> AnyView {
    if people.is_empty() {
        return view! { <EmptyState title=t(lang, "exam.no_employees") hint=t(lang, "exam.no_employees.hint") /> }.into_any();
    }
    let yes_no = move |ok: bool| {
        let (css, key) = if ok {
            ("tag tag-ok", "common.yes")
        } else {
            ("tag tag-bad", "common.no")
        };
        view! { <span class=css>{t(lang, key)}</span> }
    };
    let rows = people
        .into_iter()
        .map(|e| {
            view! {
                <tr data-testid=format!("exam-{}", e.login) data-eligible=e.eligible().to_string()>
                    <td>{e.login.clone()}</td>
                    <td>{yes_no(e.real_name_verified)}</td>
                    <td>{yes_no(e.china_site)}</td>
                    <td>{yes_no(e.eligible())}</td>
                </tr>
            }
        })
        .collect_view();
    view! { <DataTable testid="exam-employees" rows=rows.into_any()
    columns=vec![Col::text("funds.col.login"), Col::text("exam.real_name"), Col::text("exam.china_site"), Col::text("exam.eligible")] /> }.into_any()
}

fn stage_state(lang: Lang, s: &StageView) -> String {
    match &s.certification {
        Some(c) if c.active => format!(
            "{} · {} {} · {} {}",
            t(lang, "path.certified"),
            t(lang, "path.certified_at"),
            day(c.certified_at),
            t(lang, "path.valid_until"),
            day(c.valid_until)
        ),
        Some(c) if c.expired => format!(
            "{} · {} {}",
            t(lang, "path.expired"),
            t(lang, "path.valid_until"),
            day(c.valid_until)
        ),
        Some(c) => format!(
            "{}：{}",
            t(lang, "path.revoked"),
            crate::i18n::text_or_key(lang, &c.revoked_reason)
        ),
        None => t(lang, "path.not_certified").to_string(),
    }
}

/// The 发展路径模块 of 主页: the joined paths from 主页's workbench (one reading for both).
#[component]
pub fn PathModule(
    data: Resource<Result<crate::workbench::model::Workbench, crate::error::AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="panel" data-testid="path-module">
            <div class="panel-head">
                <h2>{t(lang, "home.paths")}</h2>
                <a href="/center/paths/explore" class="btn btn-primary" data-testid="explore-paths">{t(lang, "path.explore")}</a>
            </div>
            <Loaded resource=data body=move |w| match w.paths {
                p if p.is_empty() => view! {
                    <EmptyState title=t(lang, "home.paths.empty") hint=t(lang, "home.paths.hint") />
                }.into_any(),
                p => view! {
                    <ul class="path-list">
                        {p.into_iter().map(|j| path_summary(lang, j)).collect_view()}
                    </ul>
                }.into_any(),
            } />
        </section>
    }
}

fn path_summary(lang: Lang, j: JoinedPath) -> impl IntoView {
    let code = j.path.code();
    let stage = j
        .current()
        .map(|s| t(lang, s.label_key()).to_string())
        .unwrap_or_else(|| t(lang, "path.not_certified").to_string());
    let next = j
        .stages
        .iter()
        .find(|s| !s.certification.as_ref().is_some_and(|c| c.active))
        .map(|s| {
            let met = s.requirements.iter().filter(|r| r.met()).count();
            format!(
                "{}：{}/{}",
                t(lang, s.stage.label_key()),
                met,
                s.requirements.len()
            )
        });
    let review = j.stages.iter().find_map(|s| s.review.clone());
    view! {
        <li data-testid=format!("joined-{code}")>
            <a href=format!("/center/paths/{code}")><strong>{t(lang, j.path.label_key())}</strong></a>
            " · " <span data-testid="path-stage">{stage}</span>
            {next.map(|n| view! { " · " <span class="muted">{t(lang, "path.progress")} " " {n}</span> })}
            {review.map(|r| view! {
                <p class="notice-warn" data-testid="review-banner">
                    {format!("{} {} · {} {}", r.year, t(lang, "path.review.open"), t(lang, "path.review.days_left"), r.days_left)}
                </p>
            })}
        </li>
    }
}

/// 探索发展路径.
#[component]
pub fn ExplorePaths() -> impl IntoView {
    let lang = use_lang();
    let select = ServerAction::<SelectPath>::new();
    let items = Resource::new(move || select.version().get(), |_| explore());
    let error = failure(select);
    view! {
        <h1>{t(lang, "path.explore")}</h1>
        {move || select.value().get().and_then(|r| r.ok()).map(|new| view! {
            <p class="notice-ok" role="status" data-testid="select-result">
                {t(lang, if new { "path.selected" } else { "path.already_selected" })}
            </p>
        })}
        <FormError error />
        <Loaded resource=items body=move |items| {
                let hcpn = items.iter().any(|i| i.blocked.as_deref() == Some("error.paths.hcpn_required"));
                view! {
                    {hcpn.then(|| view! {
                        <div class="notice-warn" role="note" data-testid="hcpn-required">
                            <p>{t(lang, "error.paths.hcpn_required")}</p>
                            <p>{t(lang, "path.hcpn.todo")}</p>
                        </div>
                    })}
                    <div class="card-grid">
                        {items.into_iter().map(|i| {
                            let code = i.path.code();
                            view! {
                                <article class="card" data-testid=format!("path-{code}")>
                                    <h2>{t(lang, i.path.label_key())}</h2>
                                    <p>{t(lang, i.path.brings_key())}</p>
                                    {if i.joined {
                                        view! {
                                            <p><span class="badge">{t(lang, "path.blocked.joined")}</span> " "
                                            <a href=format!("/center/paths/{code}")>{t(lang, "path.open")}</a></p>
                                        }.into_any()
                                    } else if let Some(why) = i.blocked.clone() {
                                        view! { <p class="muted" data-testid="path-blocked">{t(lang, &why)}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ActionForm action=select>
                                                <input type="hidden" name="code" value=code />
                                                <button type="submit" class="btn btn-primary">{t(lang, "path.select")}</button>
                                            </ActionForm>
                                        }.into_any()
                                    }}
                                </article>
                            }
                        }).collect_view()}
                    </div>
                }.into_any()
            }
        />
    }
}

fn application_line(lang: Lang, a: Application) -> impl IntoView {
    let reason =
        (!a.reason.is_empty()).then(|| format!("（{}：{}）", t(lang, "path.reason"), a.reason));
    view! {
        <p data-testid="latest-application">
            {t(lang, "path.application")} " " {day(a.created_at)} " · "
            <span data-testid="application-state">{t(lang, a.state.label_key())}</span>
            {reason}
        </p>
    }
}

/// A joined path: its stages' checklists, applications, reviews and evidence.
#[component]
pub fn PathPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let apply = ServerAction::<ApplyStage>::new();
    let review = ServerAction::<SubmitReview>::new();
    let record = ServerAction::<RecordEvidence>::new();
    let detail = Resource::new(
        move || {
            (
                code(),
                apply.version().get(),
                review.version().get(),
                record.version().get(),
            )
        },
        |(c, ..)| detail_of_path(c),
    );
    let apply_error = failure(apply);
    let review_error = failure(review);
    let record_error = failure(record);
    view! {
        {move || query.read().get("joined").map(|_| view! {
            <p class="notice-ok" role="status">{t(lang, "path.selected")}</p>
        })}
        <FormError error=apply_error />
        <FormError error=review_error />
        <Suspense fallback=move || loading(lang)>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(crate::error::AppError::NotFound) => view! {
                        <EmptyState title=t(lang, "path.not_joined") hint=t(lang, "home.paths.hint") />
                        <p><a href="/center/paths/explore">{t(lang, "path.explore")}</a></p>
                    }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(d) => path_body(lang, d, apply, review, record, record_error).into_any(),
                }
            })}
        </Suspense>
    }
}

fn path_body(
    lang: Lang,
    d: PathDetail,
    apply: ServerAction<ApplyStage>,
    review: ServerAction<SubmitReview>,
    record: ServerAction<RecordEvidence>,
    record_error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let path = d.joined.path;
    let code = path.code();
    view! {
        <h1>{t(lang, path.label_key())}</h1>
        <p class="muted">{t(lang, "path.joined_at")} " " {day(d.joined.joined_at)}</p>
        {d.joined.stages.clone().into_iter().map(|s| stage_section(lang, path, s, apply, review)).collect_view()}
        {(path == PathKind::Service).then(|| view! {
            <section class="panel" data-testid="exam">
                <h2>{t(lang, "path.exam")}</h2>
                <p>{t(lang, "path.exam.hint")}</p>
                {exam_table(lang, d.exam.clone())}
            </section>
        })}
        {(!path.evidence_kinds().is_empty()).then(move || evidence_section(lang, d, code, record, record_error))}
    }
}

fn stage_section(
    lang: Lang,
    path: PathKind,
    s: StageView,
    apply: ServerAction<ApplyStage>,
    review: ServerAction<SubmitReview>,
) -> impl IntoView {
    let code = path.code();
    let stage = s.stage.code();
    let apply_label = if s.stage == Stage::Role {
        "path.apply.role"
    } else {
        "path.apply.differentiation"
    };
    view! {
        <section class="panel" data-testid=format!("stage-{stage}")>
            <h2>{t(lang, s.stage.label_key())}</h2>
            <p data-testid="stage-state">{stage_state(lang, &s)}</p>
            {checklist(lang, &s.requirements)}
            {s.latest.clone().map(|a| application_line(lang, a))}
            {match s.blocked.clone() {
                None => view! {
                    <ActionForm action=apply>
                        <input type="hidden" name="code" value=code />
                        <input type="hidden" name="stage_code" value=stage />
                        <button type="submit" class="btn btn-primary" data-testid=format!("apply-{stage}")>{t(lang, apply_label)}</button>
                    </ActionForm>
                }.into_any(),
                Some(why) => view! { <p class="muted" data-testid="stage-blocked">{t(lang, &why)}</p> }.into_any(),
            }}
            {s.review.clone().map(|r| view! {
                <div class="notice-warn" data-testid="review-banner">
                    <p>{format!("{} {} · {} {}", r.year, t(lang, "path.review.open"), t(lang, "path.review.days_left"), r.days_left)}</p>
                    {match r.submitted {
                        Some(Decision::Pending) | Some(Decision::Approved) => view! {
                            <p data-testid="review-state">{t(lang, "path.review.submitted")} " · " {t(lang, r.submitted.map(|d| d.label_key()).unwrap_or_default())}</p>
                        }.into_any(),
                        _ => view! {
                            <ActionForm action=review>
                                <input type="hidden" name="code" value=code />
                                <input type="hidden" name="stage_code" value=stage />
                                <button type="submit" class="btn btn-primary" data-testid=format!("review-{stage}")>{t(lang, "path.review.submit")}</button>
                            </ActionForm>
                        }.into_any(),
                    }}
                </div>
            })}
        </section>
    }
}

fn evidence_section(
    lang: Lang,
    d: PathDetail,
    code: &'static str,
    record: ServerAction<RecordEvidence>,
    record_error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let kinds = d.joined.path.evidence_kinds();
    let needs_holder = kinds.contains(&EvidenceKind::EmployeeCert);
    let needs_date = kinds.contains(&EvidenceKind::Case);
    let employees = d.employees;
    let rows = d.evidence;
    view! {
        <section class="panel" data-testid="evidence">
            <h2>{t(lang, "path.evidence")}</h2>
            <p class="muted">{t(lang, "path.evidence.hint")}</p>
            <ActionForm action=record attr:class="form-grid">
                <input type="hidden" name="code" value=code />
                <label for="evidence-kind">{t(lang, "path.evidence.kind")}</label>
                <select id="evidence-kind" name="kind">
                    {kinds.iter().map(|k| view! { <option value=k.code()>{t(lang, k.label_key())}</option> }).collect_view()}
                </select>
                <Field id="evidence-title" name="title" label="path.evidence.title" maxlength=100 required=true />
                {needs_holder.then(|| view! {
                    <label for="evidence-holder">{t(lang, "path.evidence.holder")}</label>
                    <select id="evidence-holder" name="holder">
                        <option value="">"-"</option>
                        {employees.into_iter().map(|(id, login, verified)| {
                            let text = if verified { login } else { format!("{login}（{}）", t(lang, "path.unverified")) };
                            view! { <option value=id.to_string()>{text}</option> }
                        }).collect_view()}
                    </select>
                })}
                {needs_date.then(|| view! {
                    <Field id="evidence-date" name="occurred_on" label="path.evidence.date" kind="date" />
                })}
                <button type="submit" class="btn btn-primary" data-testid="evidence-submit">{t(lang, "path.evidence.record")}</button>
            </ActionForm>
            <FormError error=record_error />
            {if rows.is_empty() {
                view! { <EmptyState title=t(lang, "path.evidence.none") /> }.into_any()
            } else {
                let rows = rows.into_iter().map(|e| view! {
                    <tr>
                        <td>{t(lang, e.kind.label_key())}</td>
                        <td>{e.title}</td>
                        <td>{e.holder.unwrap_or_default()}</td>
                        <td>{e.occurred_at.map(day).unwrap_or_default()}</td>
                        <td data-testid="evidence-state">{t(lang, e.state.label_key())}</td>
                        <td>{e.reason}</td>
                    </tr>
                }).collect_view();
                view! { <DataTable testid="evidence-table" rows=rows.into_any()
                    columns=vec![Col::text("path.evidence.kind"), Col::text("path.evidence.title"), Col::text("path.evidence.holder"),
                Col::text("path.evidence.date"), Col::text("invite.state"), Col::text("path.reason")] /> }.into_any()
            }}
        </section>
    }
}

/// The distributor-path invitation link (`这里` in the mail).
#[component]
pub fn PathInvitationPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let invitation = Resource::new(token, open_invitation);
    let accept = ServerAction::<AcceptInvitation>::new();
    let error = failure(accept);
    view! {
        <RequireRole role=Role::Partner>
            <section class="panel" data-testid="path-invitation">
                <h1>{t(lang, "path.invitation.title")}</h1>
                <Loaded resource=invitation not_found=("error.paths.invitation_unknown", "invitation-refusal")
                    body=move |v| view! {
                        <dl class="facts">
                            <dt>{t(lang, "path.invitation.partner")}</dt><dd>{v.partner_name.clone()}</dd>
                            <dt>{t(lang, "invite.expires")}</dt><dd>{format_time(v.expires_at)}</dd>
                        </dl>
                        {match v.refusal.clone() {
                            Some(key) => view! { <p class="notice-error" role="alert" data-testid="invitation-refusal">{t(lang, &key)}</p> }.into_any(),
                            None => view! {
                                <p>{t(lang, "path.distributor.brings")}</p>
                                <ActionForm action=accept>
                                    <input type="hidden" name="token" value=token() />
                                    <FormError error />
                                    <button type="submit" class="btn btn-primary" data-testid="invitation-apply">{t(lang, "path.invitation.apply")}</button>
                                </ActionForm>
                            }.into_any(),
                        }}
                    }.into_any()
                />
            </section>
        </RequireRole>
    }
}

/// `您即将访问非华为云网站，请注意账号财产安全`: every link leaving the site comes here first.
#[component]
pub fn LeavePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    // "Back" is the signed-in user's own home (a person's page, the partner center...).
    let home = use_context::<crate::ui::Auth>()
        .and_then(|a| a.user)
        .map_or("/", |u| u.role.home());
    let target = move || {
        query.read().get("to").filter(|u| {
            (u.starts_with("https://") || u.starts_with("http://"))
                && !u.chars().any(|c| c.is_whitespace() || c.is_control())
        })
    };
    view! {
        <section class="panel leave" data-testid="leave">
            <h1>{t(lang, "leave.title")}</h1>
            {move || match target() {
                Some(url) => view! {
                    <p class="muted">{t(lang, "leave.target")}</p>
                    <p><code data-testid="leave-target">{url.clone()}</code></p>
                    <p class="actions">
                        <a class="btn btn-primary" href=url rel="noopener noreferrer external" data-testid="leave-continue">{t(lang, "leave.continue")}</a>
                        " "
                        <a class="btn" href=home data-testid="leave-back">{t(lang, "leave.back")}</a>
                    </p>
                }.into_any(),
                None => view! {
                    <p class="notice-error" role="alert">{t(lang, "leave.invalid")}</p>
                    <a class="btn" href="/">{t(lang, "common.back_home")}</a>
                }.into_any(),
            }}
        </section>
    }
}

/// A stage's requirement checklist: each item met (✓) or not (✗) with what is missing. The
/// partner's path page and the operator's decision queue show the same list.
pub fn checklist(lang: Lang, requirements: &[Requirement]) -> AnyView {
    view! {
        <ul class="checklist" data-testid="requirements">
            {requirements.iter().map(|r| {
                let text = format!("{}：{}/{}", t(lang, &r.key), r.have, r.needed);
                let missing = (!r.met()).then(|| format!("（{} {}）", t(lang, "path.missing"), r.missing()));
                view! {
                    <li class=if r.met() { "met" } else { "unmet" } data-met=r.met().to_string()>
                        {if r.met() { "✓ " } else { "✗ " }} {text} {missing}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
