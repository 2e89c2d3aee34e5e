//! The low-balance alert (余额预警): a partner chooses a threshold; when its available balance
//! falls below it, by any movement or change of designated funds, it is told once (message
//! center, and by email to its contact address in its language unless it turned email off for
//! funds notices), and again only after the balance
//! has risen to the threshold or above.

use super::*;
use crate::messages::service::{To, params, send};
use model::LowBalance;

/// Looks at a partner's available balance after it changed, inside the change's transaction:
/// tells the partner when it has just fallen below its threshold, re-arms the alert when it is
/// back at or above it.
pub async fn watch_balance(tx: &mut Tx<'_>, partner: i64, now: i64) -> Result<(), AppError> {
    let Some(row) = repo::low_balance(&mut **tx, partner).await? else {
        return Ok(());
    };
    let balances = Balances {
        balance: row.balance,
        designated: row.designated,
    };
    react(tx, partner, row.threshold, row.told, balances, now).await
}

/// [`watch_balance`] after a movement, from what the movement's debit or credit of the
/// partner's account returned (no statement of its own unless the alert changes).
pub(super) async fn watch_moved(
    tx: &mut Tx<'_>,
    partner: i64,
    moved: &repo::Moved,
    now: i64,
) -> Result<(), AppError> {
    let owner = Owner::Partner(partner);
    let balances = Balances {
        balance: balance_after(owner, moved.balance_fen)?,
        designated: balance_after(owner, moved.designated_fen)?,
    };
    react(tx, partner, moved.threshold, moved.told, balances, now).await
}

/// Tells the partner when its available balance has just fallen below its threshold, re-arms
/// the alert when it is back at or above it, does nothing otherwise.
async fn react(
    tx: &mut Tx<'_>,
    partner: i64,
    threshold: Option<i64>,
    told: i64,
    balances: Balances,
    now: i64,
) -> Result<(), AppError> {
    let Some(threshold) = threshold else {
        return Ok(());
    };
    let available = balances.available();
    let below = available.fen() < threshold;
    if below == (told != 0) {
        return Ok(());
    }
    if !repo::set_low_balance_told(&mut *tx, partner, i64::from(below)).await? || !below {
        return Ok(());
    }
    let threshold = Money::from_fen(threshold)
        .unwrap_or(Money::ZERO)
        .to_string();
    let balance = available.to_string();
    let p = [
        ("balance", balance.as_str()),
        ("threshold", threshold.as_str()),
    ];
    send(
        &mut *tx,
        To::Partner(partner),
        "funds.low_balance",
        &params(p),
        Some("/center/sales/funds"),
        now,
    )
    .await?;
    let (by_email, _) = crate::messages::service::partner_channels(
        &mut *tx,
        partner,
        crate::messages::model::Group::Funds,
    )
    .await?;
    let email = repo::partner_email(&mut **tx, partner).await?.flatten();
    if let Some(email) = email.filter(|e| by_email && !e.is_empty()) {
        let lang = crate::accounts::service::partner_lang(&mut *tx, partner).await?;
        let via = crate::notify::service::Via::Email(&email);
        crate::notify::service::queue(&mut *tx, via, lang, "funds.low_balance", &p, now).await?;
    }
    Ok(())
}

/// A partner's alert: its threshold and whether the available balance is below it.
pub async fn low_balance(db: &Db, partner: i64) -> Result<LowBalance, AppError> {
    let alert = repo::low_balance(&db.pool, partner)
        .await?
        .ok_or(AppError::NotFound)?;
    let threshold = alert.threshold;
    let available = Balances {
        balance: alert.balance,
        designated: alert.designated,
    }
    .available();
    let threshold = threshold.and_then(Money::from_fen);
    Ok(LowBalance {
        below: threshold.is_some_and(|t| available < t),
        threshold,
        available,
    })
}

/// Sets (or with `None` clears) the signed-in partner's threshold, audited; the alert is armed
/// again and looks at the balance at once.
pub async fn set_low_balance(
    cx: &Caller,
    threshold: Option<Amount>,
) -> Result<LowBalance, AppError> {
    let partner = cx.user.as_partner()?.id;
    let fen = threshold.map(|t| t.fen());
    cx.db
        .write(|tx| {
            Box::pin(async move {
                repo::set_low_balance(&mut *tx, partner, fen).await?;
                let detail = threshold.map(|t| t.to_string()).unwrap_or_default();
                let target = crate::accounts::audit::Target::Partner(partner);
                let now = now_ms();
                cx.actor
                    .record(tx, "funds.low_balance_set", target, &detail, now)
                    .await?;
                watch_balance(tx, partner, now).await
            })
        })
        .await?;
    low_balance(&cx.db, partner).await
}
