//! Invitations to the distributor path: mailed links, opened and accepted once.

use super::*;
use crate::accounts::audit::Caller;
use crate::accounts::audit::Target;

use crate::server::security::new_token;

/// The path of a distributor-path invitation link.
pub fn invitation_path(token: &str) -> String {
    format!("/paths/invitation/{token}")
}

/// Mails a partner the invitation to the distributor path (through the outbox, in the same
/// transaction). Returns the link, which only the mail carries otherwise.
pub async fn invite_distributor(
    db: &Db,
    op: &Actor,
    partner: i64,
    email: &crate::domain::Email,
    base_url: &str,
) -> Result<String, AppError> {
    let (name, hcpn) = repo::partner(&db.pool, partner)
        .await?
        .ok_or_else(|| AppError::invalid("error.partner.not_found"))?;
    if hcpn != "onboarded" {
        return Err(AppError::conflict("error.paths.hcpn_required"));
    }
    let token = new_token();
    let now = now_ms();
    let link = format!("{base_url}{}", invitation_path(&token));
    let (link, name, token) = (&link, &name, &token);
    db.write(|tx| {
        Box::pin(async move {
            let id = repo::insert_invitation(
                &mut **tx,
                partner,
                email.as_str(),
                &token_hash(token),
                now + INVITATION_MS,
                now,
            )
            .await?;
            let params = [("name", name.as_str()), ("link", link.as_str())];
            let lang = crate::accounts::service::partner_lang(&mut *tx, partner).await?;
            crate::notify::service::queue(
                &mut *tx,
                crate::notify::service::Via::Email(email.as_str()),
                lang,
                "invite.distributor",
                &params,
                now,
            )
            .await?;
            op.record(
                tx,
                "paths.invite_distributor",
                Target::PathInvitation(id),
                &format!("partner:{partner}"),
                now,
            )
            .await?;
            Ok(link.clone())
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
