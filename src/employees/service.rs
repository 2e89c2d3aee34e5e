//! Inviting, accepting, declining, cancelling and unbinding — each in one transaction with its
//! notice and audit entry.

use super::model::{self, Candidate, ExamEligibility, Invitation, LinkState, Member, Move, MyExam};
use super::repo::{self, LinkRow};
use crate::accounts::audit::{Caller, Target};
use crate::domain::{AccountName, Page, PageRequest};
use crate::error::AppError;
use crate::messages::service::{To, params, send};
use crate::server::db::{Db, Tx, is_unique_violation, now_ms};

async fn candidate(
    tx: &mut Tx<'_>,
    account: &repo::Account,
    partner: i64,
    now: i64,
) -> Result<Candidate, AppError> {
    Ok(Candidate {
        personal: account.role == "personal",
        verified: account.real_name_verified == 1,
        china_site: account.site == "cn",
        active_partner: repo::active_partner(tx, account.id).await?,
        invited_here: repo::pending_exists(tx, partner, account.id).await?,
        recent_other_partners: repo::recent_other_partners(
            tx,
            account.id,
            partner,
            now - model::WINDOW_MS,
        )
        .await?,
    })
}

fn unique_to_conflict(e: sqlx::Error, key: &str) -> AppError {
    if is_unique_violation(&e) {
        AppError::conflict(key)
    } else {
        e.into()
    }
}

/// 邀请成员: invites a personal account by its account name.
#[tracing::instrument(skip(cx), fields(user = cx.user.id))]
pub async fn invite(cx: &Caller, login: &AccountName) -> Result<i64, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
    let partner_name = user
        .partner
        .as_ref()
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let partner_name = &partner_name;
    db.write(|tx| {
        Box::pin(async move {
            let account = repo::account_by_login(&mut **tx, login.as_str())
                .await?
                .ok_or_else(|| AppError::conflict("error.employees.no_personal_account"))?;
            let now = now_ms();
            let c = candidate(&mut *tx, &account, partner, now).await?;
            model::check(&c, partner, false).map_err(AppError::conflict)?;
            let id = repo::insert_pending(&mut *tx, partner, account.id, now)
                .await
                .map_err(|e| unique_to_conflict(e, "error.employees.already_invited"))?;
            send(
                &mut *tx,
                To::User(account.id),
                "employee.invited",
                &params([("partner", partner_name.as_str())]),
                Some(&format!("/personal#invitation-{id}")),
                now,
            )
            .await?;
            cx.actor
                .record(tx, "employees.invite", Target::EmployeeLink(id), "", now)
                .await?;
            Ok(id)
        })
    })
    .await
}

fn member(r: LinkRow) -> Member {
    Member {
        id: r.id,
        login: r.login,
        state: r.state,
        invited_at: r.invited_at,
        joined_at: r.joined_at,
        ended_at: r.ended_at,
    }
}

pub async fn members(cx: &Caller, page: PageRequest) -> Result<Page<Member>, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
    let (rows, total) = repo::links_of_partner(&db.pool, partner, page).await?;
    Ok(page.answer(rows.into_iter().map(member).collect(), total))
}

pub async fn my_invitations(cx: &Caller) -> Result<Vec<Invitation>, AppError> {
    let Caller { db, user, .. } = cx;
    Ok(repo::links_of_user(&db.pool, user.id)
        .await?
        .into_iter()
        .map(|r| Invitation {
            id: r.id,
            partner_name: r.partner_name,
            state: r.state,
            invited_at: r.invited_at,
            joined_at: r.joined_at,
        })
        .collect())
}

/// The person's exam panel: only for someone associated with a partner (the exam is how a
/// partner's employees earn the certificates its service path counts).
pub async fn my_exam(cx: &Caller) -> Result<Option<MyExam>, AppError> {
    let Caller { db, user, .. } = cx;
    let links = repo::links_of_user(&db.pool, user.id).await?;
    let Some(active) = links.into_iter().find(|l| l.state == LinkState::Active) else {
        return Ok(None);
    };
    let account = repo::account_by_id(&db.pool, user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Some(MyExam {
        partner_name: active.partner_name,
        eligibility: eligibility(account.login, account.real_name_verified, &account.site),
    }))
}

/// Which of the partner's associated employees may sit the exam.
pub async fn exam_candidates(db: &Db, partner: i64) -> Result<Vec<ExamEligibility>, AppError> {
    Ok(repo::exam_candidates(&db.pool, partner)
        .await?
        .into_iter()
        .map(|(login, verified, site)| eligibility(login, verified, &site))
        .collect())
}

fn eligibility(login: String, verified: i64, site: &str) -> ExamEligibility {
    ExamEligibility {
        login,
        real_name_verified: verified == 1,
        china_site: site == "cn",
    }
}

/// A link changes state ([`Move`]): the person answers an invitation addressed to it, or the
/// partner withdraws one or ends a membership. The other side is told.
#[tracing::instrument(skip(cx), fields(user = cx.user.id))]
pub async fn change(cx: &Caller, id: i64, m: Move) -> Result<(), AppError> {
    let Caller { db, user, .. } = cx;
    // Whose link it must be: the person's own, or one of the partner's.
    let partner = match m.by_person() {
        true => None,
        false => Some(user.as_partner()?.id),
    };
    db.write(|tx| {
        Box::pin(async move {
            let link = repo::link(&mut **tx, id)
                .await?
                .filter(|l| partner.map_or(l.user_id == user.id, |p| l.partner_id == p))
                .ok_or(AppError::NotFound)?;
            let (from, to) = m.states();
            if m.by_person() && link.state != from {
                return Err(AppError::conflict(m.closed()));
            }
            let now = now_ms();
            if m == Move::Accept {
                let account = repo::account_by_id(&mut **tx, user.id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let c = candidate(&mut *tx, &account, link.partner_id, now).await?;
                model::check(&c, link.partner_id, true).map_err(AppError::conflict)?;
            }
            let joined = (m == Move::Accept).then_some(now);
            let ended = (m == Move::Unbind).then_some(now);
            let moved = repo::transition(&mut *tx, id, from.as_str(), to.as_str(), joined, ended)
                .await
                .map_err(|e| unique_to_conflict(e, "error.employees.other_partner"))?;
            if !moved {
                return Err(AppError::conflict(m.closed()));
            }
            let (who, param, page) = match m.by_person() {
                true => (
                    To::Partner(link.partner_id),
                    ("person", &link.login),
                    "/center/org",
                ),
                false => (
                    To::User(link.user_id),
                    ("partner", &link.partner_name),
                    "/personal",
                ),
            };
            let (message, action) = m.keys();
            let p = params([(param.0, param.1.as_str())]);
            send(&mut *tx, who, message, &p, Some(page), now).await?;
            cx.actor
                .record(tx, action, Target::EmployeeLink(id), "", now)
                .await
        })
    })
    .await
}
