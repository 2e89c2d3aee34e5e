//! Balances, the management lists and 调账记录, and the reads other domains make inside their writes.

use super::*;
use crate::accounts::audit::Caller;
use crate::funds::FundsError;

/// An owner's balances, read in the caller's transaction (for another domain's write).
pub async fn balances_in(tx: &mut Tx<'_>, owner: Owner) -> Result<Balances, AppError> {
    Ok(repo::balances(&mut **tx, owner).await?)
}

/// A partner's customer, read in the caller's transaction: its name and mode (`resale` or
/// `consulting`), or `None` when it is not this partner's.
pub async fn customer_of_in(
    tx: &mut Tx<'_>,
    partner: i64,
    customer: i64,
) -> Result<Option<(String, String)>, AppError> {
    Ok(repo::customer_of(&mut **tx, partner, customer).await?)
}

/// Whether a partner exists, read in the caller's transaction.
pub async fn partner_exists_in(tx: &mut Tx<'_>, partner: i64) -> Result<bool, AppError> {
    Ok(repo::partner_name(&mut **tx, partner).await?.is_some())
}

pub async fn partner_balances(db: &Db, partner: i64) -> Result<Balances, AppError> {
    Ok(repo::balances(&db.pool, Owner::Partner(partner)).await?)
}

pub async fn customer_balances(db: &Db, customer: i64) -> Result<Balances, AppError> {
    Ok(repo::balances(&db.pool, Owner::Customer(customer)).await?)
}

/// List filters as the pages send them.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub login: String,
    /// Inclusive date bounds (unix ms); missing means open.
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// Only this reseller or customer.
    pub id: Option<i64>,
    /// Name contains (case-insensitive).
    pub name: String,
    /// Only customers of this mode (`resale`, `consulting`).
    pub mode: Option<&'static str>,
    /// Balance bounds (fen, inclusive), or open.
    pub min_fen: Option<i64>,
    pub max_fen: Option<i64>,
    pub sort: crate::domain::SortBy,
}

impl Search {
    /// The repository's filter of this search for `page`; `login` and `name` are the LIKE
    /// patterns made by [`like_pattern`].
    fn filter<'a>(&'a self, login: &'a str, name: &'a str, page: PageRequest) -> ListFilter<'a> {
        ListFilter {
            login_like: login,
            name_like: name,
            id: self.id,
            mode: self.mode,
            min_fen: self.min_fen,
            max_fen: self.max_fen,
            sort: &self.sort,
            from_ms: self.from_ms.unwrap_or(0),
            to_ms: self.to_ms.unwrap_or(i64::MAX),
            page,
        }
    }
}

/// The resellers (distributors only) or customers of the caller's partner.
pub async fn parties(
    cx: &Caller,
    target: Target,
    search: &Search,
    page: PageRequest,
) -> Result<Page<FundedParty>, AppError> {
    let Caller { db, user, .. } = cx;
    let (partner, kind) = user.as_partner().map(|p| (p.id, p.kind))?;
    if target == Target::Reseller && kind != PartnerKind::Distributor {
        return Err(FundsError::DistributorOnly.conflict());
    }
    parties_of(db, target, partner, search, page).await
}

/// Whose funds the caller looks at: its own partner, or (`reseller`) one of a distributor's
/// resellers. A partner naming itself is itself; naming anyone else needs to be its distributor.
pub async fn acting_partner(
    db: &Db,
    user: &SessionUser,
    reseller: Option<i64>,
) -> Result<i64, AppError> {
    let (partner, kind) = user.as_partner().map(|p| (p.id, p.kind))?;
    match reseller {
        None => Ok(partner),
        Some(r) if r == partner => Ok(partner),
        Some(r) => {
            if kind != PartnerKind::Distributor {
                return Err(FundsError::DistributorOnly.conflict());
            }
            repo::reseller_name(&db.pool, partner, r)
                .await?
                .ok_or_else(|| FundsError::NotYourReseller.conflict())?;
            Ok(r)
        }
    }
}

/// The balances of the partner [`acting_partner`] resolves to.
pub async fn balances_of(
    db: &Db,
    user: &SessionUser,
    reseller: Option<i64>,
) -> Result<(i64, Balances), AppError> {
    let partner = acting_partner(db, user, reseller).await?;
    Ok((partner, partner_balances(db, partner).await?))
}

/// The resellers or customers of a partner already resolved by [`acting_partner`].
pub async fn parties_of(
    db: &Db,
    target: Target,
    partner: i64,
    search: &Search,
    page: PageRequest,
) -> Result<Page<FundedParty>, AppError> {
    let (login, name) = (
        crate::server::sql::like_pattern(&search.login),
        crate::server::sql::like_pattern(&search.name),
    );
    let f = search.filter(&login, &name, page);
    let (items, total) = repo::list_parties(&db.pool, target, partner, &f).await?;
    Ok(page.answer(items, total))
}

/// Filters of 调账记录.
#[derive(Debug, Clone, Default)]
pub struct RecordSearch {
    pub operation: Option<Operation>,
    pub trans_id: String,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// Only 拨款, 回收 and 解绑回收 with customers and resellers (the open API's 调账记录).
    pub adjustments_only: bool,
    /// Only movements with this customer or reseller.
    pub counterparty: Option<i64>,
}

pub async fn records(
    cx: &Caller,
    search: &RecordSearch,
    page: PageRequest,
) -> Result<Page<AdjustRecord>, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = acting_partner(db, user, None).await?;
    records_of(db, partner, search, page).await
}

/// The 调账记录 of a partner already resolved by [`acting_partner`].
pub async fn records_of(
    db: &Db,
    partner: i64,
    search: &RecordSearch,
    page: PageRequest,
) -> Result<Page<AdjustRecord>, AppError> {
    let (items, total) = records_in(db, partner, search, page).await?;
    Ok(page.answer(items, total))
}

/// The 调账记录 of a partner in a window (the open API pages by offset) and how many match in
/// all.
pub async fn records_window(
    db: &Db,
    partner: i64,
    search: &RecordSearch,
    page: PageRequest,
) -> Result<(Vec<AdjustRecord>, i64), AppError> {
    records_in(db, partner, search, page).await
}

/// A window already bounded by its caller (a [`PageRequest`], at most an export's rows).
async fn records_in(
    db: &Db,
    partner: i64,
    search: &RecordSearch,
    page: PageRequest,
) -> Result<(Vec<AdjustRecord>, i64), AppError> {
    let op = search.operation.map(Operation::code).unwrap_or("");
    let f = RecordFilter {
        operation: op,
        trans_id: search.trans_id.trim(),
        from_ms: search.from_ms.unwrap_or(0),
        to_ms: search.to_ms.unwrap_or(i64::MAX),
        adjustments_only: search.adjustments_only,
        counterparty: search.counterparty.unwrap_or(0),
        page,
    };
    Ok(repo::adjust_records(&db.pool, Owner::Partner(partner), &f).await?)
}
