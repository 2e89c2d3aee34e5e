//! The pickup whitelist: which of a partner's resale customers may receive pickup vouchers. The
//! operator grants it; the partner reads it.

use super::*;
use crate::accounts::audit::Caller;
use crate::accounts::audit::Target;
use crate::vouchers::VoucherError;

pub async fn whitelist(cx: &Caller) -> Result<Vec<WhitelistEntry>, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
    entries(&db.pool, partner).await
}

async fn entries(
    pool: &crate::server::db::Pool,
    partner: i64,
) -> Result<Vec<WhitelistEntry>, AppError> {
    Ok(repo::list_whitelist(pool, partner)
        .await?
        .into_iter()
        .map(|r| WhitelistEntry {
            customer_id: r.customer_id,
            customer_name: r.customer_name,
            login: r.login.unwrap_or_default(),
            created_at: r.created_at,
        })
        .collect())
}

/// The operator's whitelist console, for `partner` when one is chosen.
pub async fn whitelist_console(
    db: &Db,
    partner: Option<i64>,
) -> Result<WhitelistConsole, AppError> {
    let partners = repo::partners_with_resale_customers(&db.pool).await?;
    let partner = partner.filter(|p| partners.iter().any(|(id, _)| id == p));
    let (entries, candidates) = match partner {
        None => (vec![], vec![]),
        Some(p) => (
            entries(&db.pool, p).await?,
            repo::customers_for(&db.pool, p, "whitelist")
                .await?
                .into_iter()
                .map(|(id, name, _)| (id, name))
                .collect(),
        ),
    };
    Ok(WhitelistConsole {
        partners,
        partner,
        entries,
        candidates,
    })
}

/// An operator adds (`add` = true) or removes one of a partner's resale customers on that
/// partner's pickup whitelist. The partner only reads its whitelist.
pub async fn set_whitelisted(
    db: &Db,
    actor: &Actor,
    partner: i64,
    customer: i64,
    add: bool,
) -> Result<(), AppError> {
    let now = now_ms();
    db.write(|tx| {
        Box::pin(async move {
            let (_, mode) = crate::funds::service::customer_of_in(tx, partner, customer)
                .await?
                .ok_or_else(|| VoucherError::NotYourCustomer.conflict())?;
            if add {
                if mode != "resale" {
                    return Err(VoucherError::NotResale.conflict());
                }
                repo::whitelist_add(&mut *tx, partner, customer, now).await?;
            } else {
                repo::whitelist_remove(&mut *tx, partner, customer).await?;
            }
            let action = if add {
                "vouchers.whitelist_add"
            } else {
                "vouchers.whitelist_remove"
            };
            actor
                .record(
                    tx,
                    action,
                    Target::Partner(partner),
                    &format!("customer={customer}"),
                    now,
                )
                .await?;
            Ok(())
        })
    })
    .await
}
