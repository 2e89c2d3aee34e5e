//! A year of demo history (`seed-demo --history-months`): what the provider and its resale
//! customer did month after month, made through the same services as everything else while this
//! process's clock reads that month (`db::set_clock_back`), so a fresh start shows meaningful
//! charts and lists.
//!
//! Invariants:
//! - Every movement is a real one (ledger entries, audit lines, notices), written at the time it
//!   tells: nothing is moved afterwards (the ledger is immutable). The months go oldest first, so
//!   the ledger's order by id is its order by time and every `balance_after` is true.
//! - The clock is the real one again when [`write`] returns, or fails.

use super::db::Db;
use crate::accounts::audit::{Caller, Origin};
use crate::error::AppError;

/// A month, as far as the history is concerned (30 days).
const MONTH_MS: i64 = 30 * crate::domain::DAY_MS;

/// The provider, its resale customer and the users acting for them.
pub struct Cast {
    pub provider_user: i64,
    pub customer: i64,
    pub customer_user: i64,
    pub coupon_quota: i64,
}

async fn caller(db: &Db, user: i64) -> Result<Caller, AppError> {
    let user = crate::accounts::service::session_user(db, user)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(Caller::new(db.clone(), user, &Origin::cli()))
}

/// The clock `months` months (and one) back, for what the seeding does before the history
/// starts (accounts, opening funds); `None` puts it back to the real time.
pub fn before(months: Option<i64>) {
    super::db::set_clock_back(months.map_or(0, |m| (m + 1) * MONTH_MS));
}

/// `months` months of history, the oldest first, each moved back to its month.
pub async fn write(db: &Db, cast: &Cast, months: i64) -> Result<usize, AppError> {
    let partner = caller(db, cast.provider_user).await?;
    let customer = caller(db, cast.customer_user).await?;
    let done = months_of(&partner, &customer, cast, months).await;
    super::db::set_clock_back(0);
    done
}

async fn months_of(
    partner: &Caller,
    customer: &Caller,
    cast: &Cast,
    months: i64,
) -> Result<usize, AppError> {
    use crate::funds::model::Direction;
    use crate::funds::service::Counterparty;
    use crate::orders::model::{CATALOGUE, Event, NewOrder};
    let yuan = |fen: i64| {
        crate::domain::Amount::parse(&format!("{}.{:02}", fen / 100, fen % 100))
            .map_err(AppError::invalid)
    };
    let mut actions = 0;
    for m in (1..=months).rev() {
        // `m` months ago.
        super::db::set_clock_back(m * MONTH_MS);
        let cp = Counterparty::Customer(cast.customer);
        // Each month: an allocation; every third month, a reclaim after the orders.
        let allocated = 130_000 + 3_700 * (months - m);
        crate::funds::service::adjust(
            partner,
            cp,
            Direction::Allocate,
            yuan(allocated)?,
            Some(format!("demo-{m}-allocate")),
        )
        .await?;
        actions += 1;
        // Two orders: one the customer pays, one it asks the partner to pay (伙伴代付).
        for (i, partner_pays) in [(0usize, false), (1, true)] {
            let product = &CATALOGUE[(m as usize + i) % CATALOGUE.len()];
            let input = NewOrder {
                product: *product,
                // The customer buys one month; the partner pays for up to three.
                quantity: if partner_pays { 1 + m % 3 } else { 1 },
                partner_pays,
            };
            let order = crate::orders::service::create(customer, &input).await?;
            let (who, event) = if partner_pays {
                (partner, Event::PayByPartner)
            } else {
                (customer, Event::PayByCustomer)
            };
            crate::orders::service::act(who, order.id, event, None, None).await?;
            actions += 2;
        }
        // Every other month, a coupon for the customer.
        if m % 2 == 0 {
            let req = crate::vouchers::model::IssueRequest::parse(
                &cast.coupon_quota.to_string(),
                "50",
                "",
                "",
                "",
                "",
                "",
                &cast.customer.to_string(),
                "",
                10,
            )
            .map_err(crate::vouchers::VoucherError::invalid)?;
            let trans = format!("demo-{m}-coupon");
            crate::vouchers::service::issue(
                partner,
                crate::vouchers::model::Kind::Coupon,
                &req,
                Some(&trans),
            )
            .await?;
            actions += 1;
        }
        if m % 3 == 0 {
            crate::funds::service::adjust(
                partner,
                cp,
                Direction::Reclaim,
                yuan(15_000)?,
                Some(format!("demo-{m}-reclaim")),
            )
            .await?;
            actions += 1;
        }
    }
    Ok(actions)
}
