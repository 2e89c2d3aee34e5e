//! Invitations to the distributor path: mailed links, opened and accepted once.

use super::*;
use crate::accounts::audit::Caller;
use crate::accounts::audit::Target;

use crate::domain::{Page, PageRequest};
use crate::server::security::new_token;

/// The path of a distributor-path invitation link.
pub fn invitation_path(token: &str) -> String {
    format!("/paths/invitation/{token}")
}

/// Mails a partner the invitation to the distributor path (through the outbox, in the same
/// transaction). Only an onboarded distributor-kind partner is invited. Returns the link, which
/// only the mail carries otherwise.
pub async fn invite_distributor(
    db: &Db,
    op: &Actor,
    partner: i64,
    email: &crate::domain::Email,
    base_url: &str,
) -> Result<String, AppError> {
    let name = invitable(db, partner).await?;
    let now = now_ms();
    let (name, email) = (&name, email.as_str());
    db.write(|tx| {
        Box::pin(async move {
            let (id, link) = send_invitation(tx, partner, name, email, base_url, now).await?;
            let detail = format!("partner:{partner}");
            op.record(
                tx,
                "paths.invite_distributor",
                Target::PathInvitation(id),
                &detail,
                now,
            )
            .await?;
            Ok(link)
        })
    })
    .await
}

/// The name of a partner that may be invited to the distributor path: onboarded, and a
/// distributor (总经销商) by kind.
async fn invitable(db: &Db, partner: i64) -> Result<String, AppError> {
    let (name, hcpn, kind) = repo::partner(&db.pool, partner)
        .await?
        .ok_or_else(|| AppError::invalid("error.partner.not_found"))?;
    if hcpn != "onboarded" {
        return Err(AppError::conflict("error.paths.hcpn_required"));
    }
    if kind != "distributor" {
        return Err(AppError::conflict("error.paths.invite_distributor_only"));
    }
    Ok(name)
}

/// Writes a new invitation and queues its mail, in the caller's transaction: its id and link.
async fn send_invitation(
    tx: &mut Tx<'_>,
    partner: i64,
    name: &str,
    email: &str,
    base_url: &str,
    now: i64,
) -> Result<(i64, String), AppError> {
    let token = new_token();
    let link = format!("{base_url}{}", invitation_path(&token));
    let id = repo::insert_invitation(
        &mut **tx,
        partner,
        email,
        &token_hash(&token),
        now + INVITATION_MS,
        now,
    )
    .await?;
    let params = [("name", name), ("link", link.as_str())];
    let lang = crate::accounts::service::partner_lang(&mut *tx, partner).await?;
    crate::notify::service::queue(
        &mut *tx,
        crate::notify::service::Via::Email(email),
        lang,
        "invite.distributor",
        &params,
        now,
    )
    .await?;
    Ok((id, link))
}

/// The operator's list of distributor-path invitations, newest first.
pub async fn invitations(
    db: &Db,
    page: PageRequest,
) -> Result<Page<model::OperatorInvitation>, AppError> {
    let (mut items, total) = repo::invitations(&db.pool, page).await?;
    let now = now_ms();
    for i in &mut items {
        i.expired = i.state == "sent" && now >= i.expires_at;
    }
    Ok(page.answer(items, total))
}

/// Cancels an invitation not used yet: its link stops working.
pub async fn cancel_invitation(db: &Db, op: &Actor, id: i64) -> Result<(), AppError> {
    db.write(|tx| {
        Box::pin(async move {
            repo::invitation_by_id(&mut *tx, id)
                .await?
                .ok_or(AppError::NotFound)?;
            if !repo::cancel_invitation(&mut *tx, id).await? {
                return Err(AppError::conflict("error.paths.invitation_not_open"));
            }
            op.record(
                tx,
                "paths.invitation_cancel",
                Target::PathInvitation(id),
                "",
                now_ms(),
            )
            .await
        })
    })
    .await
}

/// Sends an invitation not used yet again: a new link (7 days) to the same address replaces the
/// old one, which stops working. Returns the new invitation's id.
pub async fn resend_invitation(
    db: &Db,
    op: &Actor,
    id: i64,
    base_url: &str,
) -> Result<i64, AppError> {
    let (partner, email, _) = repo::invitation_by_id(&mut *db.pool.acquire().await?, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let name = invitable(db, partner).await?;
    let (name, email) = (&name, &email);
    db.write(|tx| {
        Box::pin(async move {
            let now = now_ms();
            if !repo::cancel_invitation(&mut *tx, id).await? {
                return Err(AppError::conflict("error.paths.invitation_not_open"));
            }
            let (new, _) = send_invitation(tx, partner, name, email, base_url, now).await?;
            let detail = format!("replaces:{id}");
            op.record(
                tx,
                "paths.invitation_resend",
                Target::PathInvitation(new),
                &detail,
                now,
            )
            .await?;
            Ok(new)
        })
    })
    .await
}

/// What the invitation page shows: the invited partner and why it cannot be used, if so.
pub async fn open_invitation(cx: &Caller, token: &str) -> Result<model::InvitationView, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
    let (_, invited, name, state, expires_at) = repo::invitation(&db.pool, &token_hash(token))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(model::InvitationView {
        partner_name: name,
        expires_at,
        refusal: refusal(partner, invited, &state, expires_at, now_ms()).map(str::to_string),
    })
}

pub(super) fn refusal(
    partner: i64,
    invited: i64,
    state: &str,
    expires_at: i64,
    now: i64,
) -> Option<&'static str> {
    if partner != invited {
        Some("error.paths.invitation_other")
    } else if state == "used" {
        Some("error.paths.invitation_used")
    } else if state != "sent" {
        Some("error.paths.invitation_cancelled")
    } else if now >= expires_at {
        Some("error.paths.invitation_expired")
    } else {
        None
    }
}

/// Applies through an invitation link: the partner joins the distributor path; the link is used.
pub async fn accept_invitation(cx: &Caller, token: &str) -> Result<(), AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
    let now = now_ms();
    db.write(|tx| {
        Box::pin(async move {
            let (id, invited, _, state, expires_at) =
                repo::invitation(&mut **tx, &token_hash(token))
                    .await?
                    .ok_or(AppError::NotFound)?;
            if let Some(key) = refusal(partner, invited, &state, expires_at, now) {
                return Err(AppError::conflict(key));
            }
            if !repo::use_invitation(&mut **tx, id, now).await? {
                return Err(AppError::conflict("error.paths.invitation_used"));
            }
            repo::insert_membership(&mut **tx, partner, PathKind::Distributor.code(), now).await?;
            cx.actor
                .record(
                    tx,
                    "paths.join_distributor",
                    Target::PathInvitation(id),
                    "",
                    now,
                )
                .await
        })
    })
    .await
}
