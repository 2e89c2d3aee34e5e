//! Inviting customers, accepting, disassociating, and the customer's side.

use super::model::{
    EMAIL_INVITATION_MS, Invitation, InvitationState, InvitationView, MyPartner, NewInvitation,
    UnbindOutcome, check_accept,
};
use super::repo::{self, InvitationRow, NewInvitationRow};
use crate::accounts::audit::{Caller, Target};
use crate::domain::{Amount, CustomerMode, Money, Page, PageRequest};
use crate::error::AppError;
use crate::funds::model::Operation;
use crate::funds::model::Owner;
use crate::funds::service::transfer_in;
use crate::messages::service::{To, params, send};
use crate::server::db::{Db, Tx, now_ms};

pub use crate::server::security::token_hash;

/// Email invitations one partner may send in any 24 hours: the product's mail must not become
/// a way to send mail to anyone.
pub const MAX_EMAIL_INVITATIONS_PER_DAY: i64 = 50;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

fn new_token() -> String {
    let bytes: [u8; 24] = rand::random();
    hex::encode(bytes)
}

/// The path of an invitation link.
pub fn invitation_path(token: &str) -> String {
    format!("/invite/{token}")
}

fn invitation_view(
    keys: &crate::server::secrets::Keyring,
    r: InvitationRow,
    base_url: &str,
    now: i64,
) -> Option<Invitation> {
    Some(Invitation {
        id: r.id,
        channel: r.channel,
        email: r.email,
        label: r.label,
        mode: r.mode,
        state: InvitationState::parse(&r.state, r.expires_at, now)?,
        expires_at: r.expires_at,
        accepted: r.accepted,
        created_at: r.created_at,
        // The offline token is kept sealed (not usable from the database alone) so the partner
        // can copy the link again; it is bound to its row by the token's hash.
        link: r
            .token
            .and_then(|sealed| keys.open(&r.token_hash, &sealed).ok())
            .map(|t| format!("{base_url}{}", invitation_path(&t))),
    })
}

/// Creates an invitation. An email one is queued to the address (SMTP via the outbox) in the
/// same transaction; the link is returned for offline ones (and for the partner's own record).
pub async fn invite(
    cx: &Caller,
    base_url: &str,
    input: &NewInvitation,
) -> Result<Invitation, AppError> {
    let Caller { db, user, .. } = cx;
    let (partner, partner_name) = user.as_partner().map(|p| (p.id, p.name.clone()))?;
    let token = new_token();
    let hash = token_hash(&token);
    let now = now_ms();
    let offline = input.channel == super::model::Channel::Offline;
    let expires_at = Some(
        now + if offline {
            super::model::OFFLINE_INVITATION_MS
        } else {
            EMAIL_INVITATION_MS
        },
    );
    let sealed = offline.then(|| db.keys.seal(&hash, &token)).transpose()?;
    let (hash, partner_name, sealed, token) = (&hash, &partner_name, &sealed, &token);
    db.write(|tx| {
        Box::pin(async move {
            // Counted inside the write transaction, so concurrent requests cannot all pass.
            if input.channel == super::model::Channel::Email
                && repo::email_invitations_since(&mut *tx, partner, now - DAY_MS).await?
                    >= MAX_EMAIL_INVITATIONS_PER_DAY
            {
                return Err(AppError::conflict("error.invite.daily_limit"));
            }
            let row = NewInvitationRow {
                partner,
                token_hash: hash,
                token: sealed.as_deref(),
                channel: input.channel.as_str(),
                email: input.email.as_ref().map(|e| e.as_str()),
                label: input.label.as_str(),
                mode: input.mode.as_str(),
                expires_at,
                now,
            };
            let id = repo::insert_invitation(&mut *tx, &row).await?;
            let link = format!("{base_url}{}", invitation_path(token));
            if let Some(email) = &input.email {
                // Written in the inviting partner's language: the invitee has no account yet.
                let lang = crate::accounts::service::partner_lang(&mut *tx, partner).await?;
                let params = [
                    ("partner", partner_name.as_str()),
                    ("mode", input.mode.label_key()),
                    ("link", link.as_str()),
                ];
                crate::notify::service::queue(
                    &mut *tx,
                    crate::notify::service::Via::Email(email.as_str()),
                    lang,
                    "invite.customer",
                    &params,
                    now,
                )
                .await?;
            }
            let detail = format!(
                "channel={} mode={}",
                input.channel.as_str(),
                input.mode.as_str()
            );
            cx.actor
                .record(tx, "customers.invite", Target::Invitation(id), &detail, now)
                .await?;
            Ok(Invitation {
                id,
                channel: input.channel,
                email: input.email.as_ref().map(|e| e.as_str().to_string()),
                label: input.label.as_str().to_string(),
                mode: input.mode,
                state: InvitationState::Active,
                expires_at,
                accepted: 0,
                created_at: now,
                link: Some(link),
            })
        })
    })
    .await
}

pub async fn invitations(
    cx: &Caller,
    base_url: &str,
    page: PageRequest,
) -> Result<Page<Invitation>, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
    let now = now_ms();
    let (rows, total) = repo::list_invitations(&db.pool, partner, page).await?;
    Ok(page.answer(
        rows.into_iter()
            .filter_map(|r| invitation_view(&db.keys, r, base_url, now))
            .collect(),
        total,
    ))
}

pub async fn cancel_invitation(cx: &Caller, id: i64) -> Result<(), AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
    let now = now_ms();
    db.write(|tx| {
        Box::pin(async move {
            if repo::get_invitation(&mut **tx, partner, id)
                .await?
                .is_none()
            {
                return Err(AppError::NotFound);
            }
            if !repo::cancel_invitation(&mut *tx, partner, id).await? {
                return Err(AppError::conflict("error.invite.not_active"));
            }
            cx.actor
                .record(
                    tx,
                    "customers.invite_cancel",
                    Target::Invitation(id),
                    "",
                    now,
                )
                .await
        })
    })
    .await
}

/// What the signed-in customer sees on an invitation link. An unknown token is 404.
pub async fn open_invitation(cx: &Caller, token: &str) -> Result<InvitationView, AppError> {
    let Caller { db, user, .. } = cx;
    let customer = user.as_customer()?.id;
    let now = now_ms();
    let inv = repo::invitation_by_hash(&db.pool, &token_hash(token))
        .await?
        .ok_or(AppError::NotFound)?;
    let state =
        InvitationState::parse(&inv.state, inv.expires_at, now).ok_or(AppError::Internal)?;
    let current = repo::current_partner(&db.pool, customer).await?.flatten();
    Ok(InvitationView {
        partner_name: inv.partner_name,
        mode: inv.mode,
        label: inv.label,
        state,
        expires_at: inv.expires_at,
        refusal: check_accept(state, inv.partner_id, current)
            .err()
            .map(str::to_string),
    })
}

/// The signed-in customer accepts an invitation and becomes the partner's customer.
pub async fn accept(cx: &Caller, token: &str) -> Result<(), AppError> {
    let Caller { db, user, .. } = cx;
    let customer = user.as_customer()?.id;
    let hash = token_hash(token);
    let hash = &hash;
    db.write(|tx| {
        Box::pin(async move {
            let now = now_ms();
            let inv = repo::invitation_by_hash(&mut **tx, hash)
                .await?
                .ok_or(AppError::NotFound)?;
            let state = InvitationState::parse(&inv.state, inv.expires_at, now)
                .ok_or(AppError::Internal)?;
            let current = repo::current_partner(&mut **tx, customer).await?.flatten();
            check_accept(state, inv.partner_id, current).map_err(AppError::conflict)?;
            if !repo::record_acceptance(
                &mut *tx,
                inv.id,
                inv.channel == super::model::Channel::Email,
            )
            .await?
            {
                return Err(AppError::conflict("error.invite.used"));
            }
            if !repo::associate(&mut *tx, customer, inv.partner_id, inv.mode.as_str(), now).await? {
                return Err(AppError::conflict("error.invite.already_linked"));
            }
            let name = repo::customer_name(&mut **tx, customer)
                .await?
                .unwrap_or_default();
            let mode = crate::i18n::t(crate::i18n::Lang::Zh, inv.mode.label_key());
            let p = params([
                ("customer", name.as_str()),
                ("partner", inv.partner_name.as_str()),
                ("mode", mode),
            ]);
            send(
                &mut *tx,
                To::Partner(inv.partner_id),
                "customer.associated",
                &p,
                Some("/center/sales/customers"),
                now,
            )
            .await?;
            cx.actor
                .record(
                    tx,
                    "customers.accept",
                    Target::Customer(customer),
                    &format!("partner={} invitation={}", inv.partner_id, inv.id),
                    now,
                )
                .await
        })
    })
    .await
}

/// The partner asks to disassociate one of its customers; the customer is told and confirms.
pub async fn request_unbind(cx: &Caller, customer: i64) -> Result<(), AppError> {
    let Caller { db, user, .. } = cx;
    let (partner, partner_name) = user.as_partner().map(|p| (p.id, p.name.clone()))?;
    let now = now_ms();
    let partner_name = &partner_name;
    db.write(|tx| {
        Box::pin(async move {
            match repo::current_partner(&mut **tx, customer).await?.flatten() {
                Some(p) if p == partner => {}
                _ => return Err(crate::funds::FundsError::NotYourCustomer.conflict()),
            }
            if !repo::request_unbind(&mut *tx, partner, customer, now).await? {
                return Err(AppError::conflict("error.unbind.already_requested"));
            }
            let p = params([("partner", partner_name.as_str())]);
            let to = To::Customer(customer);
            send(
                &mut *tx,
                to,
                "customer.unbind_requested",
                &p,
                Some("/customer"),
                now,
            )
            .await?;
            cx.actor
                .record(
                    tx,
                    "customers.unbind_request",
                    Target::Customer(customer),
                    "",
                    now,
                )
                .await
        })
    })
    .await
}

/// The partner withdraws its request.
pub async fn cancel_unbind(cx: &Caller, customer: i64) -> Result<(), AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
    let now = now_ms();
    db.write(|tx| {
        Box::pin(async move {
            if !repo::clear_unbind(&mut *tx, customer, partner).await? {
                return Err(AppError::conflict("error.unbind.not_requested"));
            }
            cx.actor
                .record(
                    tx,
                    "customers.unbind_cancel",
                    Target::Customer(customer),
                    "",
                    now,
                )
                .await
        })
    })
    .await
}

/// The customer answers the partner's request: `confirm` disassociates (balance back to the
/// partner, coupons reclaimed, pending partner payments released), otherwise it is declined.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn answer_unbind(cx: &Caller, confirm: bool) -> Result<Option<UnbindOutcome>, AppError> {
    let customer = cx.user.as_customer()?.id;
    cx.db
        .write(|tx| Box::pin(try_answer(tx, cx, customer, confirm)))
        .await
}

async fn try_answer(
    tx: &mut Tx<'_>,
    cx: &Caller,
    customer: i64,
    confirm: bool,
) -> Result<Option<UnbindOutcome>, AppError> {
    let now = now_ms();
    // The customer's row is locked first: a 拨款 in flight finishes before the balance is read
    // (and is returned with it), or waits and then finds the customer gone.
    repo::hold_customer(&mut *tx, customer).await?;
    let a = repo::current_association(&mut **tx, customer)
        .await?
        .filter(|a| a.unbind_requested_at.is_some())
        .ok_or_else(|| AppError::conflict("error.unbind.not_requested"))?;
    let name = repo::customer_name(&mut **tx, customer)
        .await?
        .unwrap_or_default();
    let (message, action, detail, outcome) = if confirm {
        let (detail, outcome) = disassociate(tx, cx, customer, &a, now).await?;
        (
            "customer.unbound",
            "customers.unbind",
            detail,
            Some(outcome),
        )
    } else {
        repo::clear_unbind(&mut *tx, customer, a.partner_id).await?;
        (
            "customer.unbind_declined",
            "customers.unbind_decline",
            String::new(),
            None,
        )
    };
    let p = params([("customer", name.as_str())]);
    let page = Some("/center/sales/customers");
    send(&mut *tx, To::Partner(a.partner_id), message, &p, page, now).await?;
    let target = Target::Customer(customer);
    cx.actor.record(tx, action, target, &detail, now).await?;
    Ok(outcome)
}

/// The confirmed disassociation: the movable balance back to the partner, coupons reclaimed,
/// pending partner payments released, the association ended. Returns the audit detail.
async fn disassociate(
    tx: &mut Tx<'_>,
    cx: &Caller,
    customer: i64,
    a: &repo::AssociationRow,
    now: i64,
) -> Result<(String, UnbindOutcome), AppError> {
    let actor = cx.actor.clone();
    let balance = crate::funds::service::balances_in(tx, Owner::Customer(customer)).await?;
    let movable = balance
        .balance
        .checked_sub(balance.designated)
        .unwrap_or(Money::ZERO);
    if let Some(amount) = Amount::from_fen(movable.fen()) {
        transfer_in(
            &mut *tx,
            Operation::Unbind,
            Owner::Customer(customer),
            Owner::Partner(a.partner_id),
            amount,
            &crate::idempotency::Scope::Customer(customer),
            &format!("unbind-{}", a.id),
            &actor,
        )
        .await?;
    }
    let (coupons, coupon_fen) =
        crate::vouchers::service::reclaim_for_unbind(&mut *tx, a.partner_id, customer, &actor, now)
            .await?;
    crate::orders::service::release_partner_requests_in(
        &mut *tx,
        customer,
        a.partner_id,
        // A message key: the order page shows it in the reader's language.
        "orders.released_on_unbind",
        now,
    )
    .await?;
    if !repo::end_association(&mut *tx, customer, a.partner_id, a.id, now).await? {
        return Err(AppError::Busy);
    }
    let detail = format!(
        "partner={} returned={movable} coupons={coupons}",
        a.partner_id
    );
    let outcome = UnbindOutcome {
        returned: movable,
        coupons_reclaimed: coupons,
        coupon_amount: Money::from_fen(coupon_fen).ok_or(AppError::Internal)?,
    };
    Ok((detail, outcome))
}

/// 我的合作伙伴: `None` when the customer has no partner now.
pub async fn my_partner(cx: &Caller) -> Result<Option<MyPartner>, AppError> {
    let Caller { db, user, .. } = cx;
    let customer = user.as_customer()?.id;
    let Some(r) = repo::my_partner(&db.pool, customer).await? else {
        return Ok(None);
    };
    let contracts = repo::contracts(&db.pool, customer).await?;
    Ok(Some(MyPartner {
        partner_name: r.partner_name,
        partner_email: r.partner_email,
        partner_phone: r.partner_phone,
        mode: r.mode,
        associated_at: r.associated_at,
        unbind_requested_at: r.unbind_requested_at,
        contracts,
    }))
}

/// 申请合同: a consulting customer applies for a contract with Huawei Cloud.
pub async fn apply_contract(cx: &Caller) -> Result<i64, AppError> {
    let Caller { db, user, .. } = cx;
    let customer = user.as_customer()?.id;
    let now = now_ms();
    db.write(|tx| {
        Box::pin(async move {
            let r = repo::my_partner(&mut **tx, customer)
                .await?
                .ok_or_else(|| AppError::conflict("error.orders.no_partner"))?;
            if r.mode != CustomerMode::Consulting {
                return Err(AppError::conflict("error.contract.resale_offline"));
            }
            if repo::has_open_contract(&mut **tx, customer).await? {
                return Err(AppError::conflict("error.contract.open"));
            }
            let id = repo::insert_contract(&mut *tx, customer, r.partner_id, now).await?;
            cx.actor
                .record(
                    tx,
                    "customers.contract_apply",
                    Target::Contract(id),
                    "",
                    now,
                )
                .await?;
            Ok(id)
        })
    })
    .await
}

/// 合同申请: the operator's queue of applications in `state`.
pub async fn contract_queue(
    db: &Db,
    state: super::model::ContractState,
    search: Option<String>,
    page: PageRequest,
) -> Result<Page<super::model::ContractApplication>, AppError> {
    let (items, total) = repo::contract_queue(&db.pool, state.as_str(), search, page).await?;
    Ok(page.answer(items, total))
}

/// The operator approves (`reason` `None`) or rejects a submitted contract application, once;
/// the customer and its partner are told in the same transaction.
pub async fn decide_contract(
    cx: &Caller,
    id: i64,
    reason: Option<&crate::domain::Reason>,
) -> Result<(), AppError> {
    use super::model::ContractState;
    let state = if reason.is_some() {
        ContractState::Rejected
    } else {
        ContractState::Approved
    };
    cx.db
        .write(|tx| {
            Box::pin(async move {
                let now = now_ms();
                let (customer, partner, name) = repo::contract_parties(&mut *tx, id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let why = reason.map(|r| r.as_str());
                if !repo::decide_contract(&mut *tx, id, state.as_str(), why, now).await? {
                    return Err(AppError::conflict("error.contract.decided"));
                }
                let (action, kind) = match state {
                    ContractState::Approved => {
                        ("customers.contract_approve", "customer.contract_approved")
                    }
                    _ => ("customers.contract_reject", "customer.contract_rejected"),
                };
                cx.actor
                    .record(tx, action, Target::Contract(id), why.unwrap_or(""), now)
                    .await?;
                let number = id.to_string();
                let p = params([
                    ("customer", name.as_str()),
                    ("contract", number.as_str()),
                    ("reason", why.unwrap_or("")),
                ]);
                send(
                    &mut *tx,
                    To::Customer(customer),
                    kind,
                    &p,
                    Some("/customer"),
                    now,
                )
                .await?;
                send(
                    &mut *tx,
                    To::Partner(partner),
                    kind,
                    &p,
                    Some("/center/sales/customers"),
                    now,
                )
                .await
            })
        })
        .await
}

/// Seals offline invitation tokens that an older version stored in plaintext (run on start).
pub async fn seal_offline_tokens(db: &Db) -> Result<usize, AppError> {
    let rows = repo::plaintext_offline_tokens(&db.pool).await?;
    for (id, token) in &rows {
        let sealed = db.keys.seal(&token_hash(token), token)?;
        repo::set_sealed_token(&db.pool, *id, token, &sealed).await?;
    }
    Ok(rows.len())
}

/// Offline links at their end: expired (at `now`) or cancelled ones lose their sealed token, so
/// the partner's list no longer offers a link that cannot be used (run by the housekeeping job).
pub async fn forget_dead_links(db: &Db, now: i64) -> Result<u64, AppError> {
    db.write(|tx| Box::pin(async move { Ok(repo::forget_dead_links(&mut *tx, now).await?) }))
        .await
}

/// 客户管理 (operator): every customer, searched and filtered (`mode`: resale, consulting or
/// none; anything else is refused).
pub async fn operator_list(
    db: &Db,
    search: Option<String>,
    partner: Option<String>,
    mode: Option<String>,
    page: PageRequest,
) -> Result<Page<super::model::CustomerListItem>, AppError> {
    let mode = match mode.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(m @ ("resale" | "consulting" | "none")) => Some(m),
        Some(_) => return Err(AppError::invalid("error.invite.mode")),
    };
    let text = |s: Option<String>| {
        s.map(|s| s.trim().chars().take(64).collect::<String>())
            .filter(|s| !s.is_empty())
    };
    let (items, total) =
        repo::operator_list(&db.pool, text(search), text(partner), mode, page).await?;
    Ok(page.answer(items, total))
}
