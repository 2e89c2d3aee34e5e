//! Wire types of the funds domain and the pure ledger rules, with a reference model for tests.

use super::FundsError;
use crate::domain::Money;
use serde::{Deserialize, Serialize};

/// What a transfer does, as the adjust records (调账记录) name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Operation {
    /// Operator funding: money entering from outside.
    Fund,
    /// 拨款: a distributor to its reseller, or a partner to its resale customer.
    Adjust,
    /// 回收: back from a reseller to its distributor, or from a resale customer to its partner.
    Retrieve,
    /// 解绑回收: a customer's remaining balance returning to the partner on disassociation.
    Unbind,
    /// An order's payment: from the payer (customer or partner) to Huawei Cloud (external).
    Pay,
    /// An unsubscribed order's refund: from Huawei Cloud back to whoever paid.
    Refund,
}

impl Operation {
    pub fn code(self) -> &'static str {
        match self {
            Operation::Fund => "FUND",
            Operation::Adjust => "BEADJUST",
            Operation::Retrieve => "BERETRIEVE",
            Operation::Unbind => "BEUNBIND",
            Operation::Pay => "PAY",
            Operation::Refund => "REFUND",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "FUND" => Some(Operation::Fund),
            "BEADJUST" => Some(Operation::Adjust),
            "BERETRIEVE" => Some(Operation::Retrieve),
            "BEUNBIND" => Some(Operation::Unbind),
            "PAY" => Some(Operation::Pay),
            "REFUND" => Some(Operation::Refund),
            _ => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Operation::Fund => "funds.op.fund",
            Operation::Adjust => "funds.op.adjust",
            Operation::Retrieve => "funds.op.retrieve",
            Operation::Unbind => "funds.op.unbind",
            Operation::Pay => "funds.op.pay",
            Operation::Refund => "funds.op.refund",
        }
    }
}

/// A partner's low-balance alert (余额预警), as 资金管理 shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LowBalance {
    /// The threshold, if the partner chose one.
    pub threshold: Option<Money>,
    pub available: Money,
    /// The available balance is below the threshold.
    pub below: bool,
}

/// The balances of one account, as shown in 资金管理.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balances {
    pub balance: Money,
    pub designated: Money,
}

impl Balances {
    pub const ZERO: Balances = Balances {
        balance: Money::ZERO,
        designated: Money::ZERO,
    };

    /// What may be allocated or reclaimed: balance − designated funds.
    pub fn available(&self) -> Money {
        self.balance
            .checked_sub(self.designated)
            .unwrap_or(Money::ZERO)
    }
}

/// The result of a transfer, returned again for a retried transaction id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub trans_id: String,
    pub operation: Operation,
    pub amount: Money,
    /// The payer's balance after the transfer.
    pub from_balance_after: Money,
    /// The payee's balance after the transfer.
    pub to_balance_after: Money,
    pub created_at: i64,
    /// True when this answer repeats an earlier transfer with the same transaction id.
    pub replayed: bool,
}

/// One line of 调账记录, from the viewing partner's side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdjustRecord {
    /// The transfer's id (0 where a record has none to show, e.g. older API answers).
    #[serde(default)]
    pub id: i64,
    pub trans_id: String,
    pub operation: Operation,
    /// Positive when money came in, negative when it went out, in fen.
    pub signed_fen: i64,
    pub counterparty: String,
    /// The counterparty's customer id when it is a customer.
    #[serde(default)]
    pub counterparty_customer: Option<i64>,
    /// The counterparty's partner id when it is a reseller (or the distributor).
    #[serde(default)]
    pub counterparty_partner: Option<i64>,
    pub operator: String,
    pub created_at: i64,
}

impl AdjustRecord {
    pub fn amount(&self) -> Money {
        Money::from_fen(self.signed_fen.abs()).unwrap_or(Money::ZERO)
    }
}

/// A reseller (or customer) row with its balance, for the management lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundedParty {
    pub id: i64,
    pub name: String,
    pub login: String,
    /// Association date (unix ms).
    pub since: i64,
    pub balance: Money,
    /// For customers: whether it may be funded (resale) — consulting customers may not.
    pub fundable: bool,
    /// i18n key of the association mode (customers) or kind (resellers).
    pub mode_key: String,
    /// For customers: the partner asked to disassociate and waits for the customer.
    #[serde(default)]
    pub unbind_pending: bool,
}

/// Which kind of counterparty a 拨款/回收 page acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    Reseller,
    Customer,
}

impl Target {
    pub fn parse(s: &str) -> Option<Target> {
        match s {
            "resellers" => Some(Target::Reseller),
            "customers" => Some(Target::Customer),
            _ => None,
        }
    }

    pub fn segment(self) -> &'static str {
        match self {
            Target::Reseller => "resellers",
            Target::Customer => "customers",
        }
    }
}

/// Which side a 拨款/回收 dialog acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    Allocate,
    Reclaim,
}

/// What the confirmation step shows before money moves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub direction: Direction,
    pub counterparty: String,
    pub amount: Money,
    pub my_before: Money,
    pub my_after: Money,
    pub their_before: Money,
    pub their_after: Money,
    /// A fresh transaction id for the confirmation, so a double submit moves money once.
    pub trans_id: String,
    /// Operator funding above the threshold: it will wait for a second operator's approval.
    #[serde(default)]
    pub needs_approval: bool,
}

/// What a 批量拨款 would do: the same amount to each selected resale customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkPreview {
    pub customers: Vec<(i64, String)>,
    pub amount: Money,
    pub total: Money,
    pub my_before: Money,
    pub my_after: Money,
    pub trans_id: String,
}

/// At most this many customers in one 批量拨款.
pub const MAX_BULK: usize = 10;

/// Parses the selected customer ids of a 批量拨款: 1–10 distinct positive ids.
pub fn parse_bulk_ids(raw: &str) -> Result<Vec<i64>, FundsError> {
    use crate::domain::{IdListError, parse_id_list};
    parse_id_list(raw, &[','], MAX_BULK).map_err(|e| match e {
        IdListError::Malformed => FundsError::BulkIds,
        IdListError::Empty => FundsError::BulkNone,
        IdListError::TooMany => FundsError::BulkTooMany,
    })
}

/// Checks that `amount` can leave an account with these balances. The same rule guards the SQL
/// update (`balance - designated >= amount`); this gives the user the reason.
pub fn check_debit(payer: &Balances, amount: Money, reclaim: bool) -> Result<(), FundsError> {
    if payer.available() < amount {
        return Err(if reclaim {
            FundsError::ReclaimExceeds
        } else {
            FundsError::Insufficient
        });
    }
    Ok(())
}

/// Whose fund account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    External,
    Partner(i64),
    Customer(i64),
}

impl Owner {
    /// A stable text form, part of the idempotency request key.
    pub fn key(self) -> String {
        match self {
            Owner::External => "external".into(),
            Owner::Partner(id) => format!("partner:{id}"),
            Owner::Customer(id) => format!("customer:{id}"),
        }
    }

    /// The partner's or customer's id (0 for the external account, which has none).
    pub fn id(self) -> i64 {
        match self {
            Owner::External => 0,
            Owner::Partner(id) | Owner::Customer(id) => id,
        }
    }

    /// The order in which a movement locks its two accounts: one order for every movement, so
    /// two opposite movements between the same accounts cannot deadlock (the external account,
    /// then partners, then customers, each by id).
    pub fn lock_rank(self) -> (u8, i64) {
        match self {
            Owner::External => (0, 0),
            Owner::Partner(id) => (1, id),
            Owner::Customer(id) => (2, id),
        }
    }
}

/// A transaction id: 1–64 characters of letters, digits, `-` and `_` (see `idempotency`).
pub use crate::idempotency::parse_key as parse_trans_id;

#[cfg(test)]
mod tests {
    use super::*;

    // The ledger's property test drives the real service and SQL: tests/it/ledger_props.rs.

    #[test]
    fn designated_funds_cannot_be_allocated() {
        let b = Balances {
            balance: Money::parse("100").unwrap(),
            designated: Money::parse("30").unwrap(),
        };
        assert_eq!(b.available().to_string(), "70.00");
        assert!(check_debit(&b, Money::parse("70").unwrap(), false).is_ok());
        assert_eq!(
            check_debit(&b, Money::parse("70.01").unwrap(), false),
            Err(FundsError::Insufficient)
        );
        assert_eq!(
            check_debit(&b, Money::parse("70.01").unwrap(), true),
            Err(FundsError::ReclaimExceeds)
        );
    }

    #[test]
    fn bulk_selections_are_distinct_and_bounded() {
        assert_eq!(parse_bulk_ids("3, 1,3").unwrap(), vec![3, 1]);
        assert_eq!(parse_bulk_ids(""), Err(FundsError::BulkNone));
        assert_eq!(parse_bulk_ids("1,x"), Err(FundsError::BulkIds));
        assert_eq!(parse_bulk_ids("-1"), Err(FundsError::BulkIds));
        let eleven: Vec<String> = (1..=11).map(|i| i.to_string()).collect();
        assert_eq!(
            parse_bulk_ids(&eleven.join(",")),
            Err(FundsError::BulkTooMany)
        );
    }

    #[test]
    fn transaction_ids_are_short_and_plain() {
        assert_eq!(parse_trans_id(" abc-123_X ").unwrap(), "abc-123_X");
        for bad in ["", "a b", "x;DROP", &"a".repeat(65), "中文"] {
            assert!(parse_trans_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn operations_round_trip_their_codes() {
        for op in [
            Operation::Fund,
            Operation::Adjust,
            Operation::Retrieve,
            Operation::Unbind,
            Operation::Pay,
            Operation::Refund,
        ] {
            assert_eq!(Operation::parse(op.code()), Some(op));
        }
    }
}

/// Where a funding request stands (资金管理 maker–checker).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    Pending,
    Approved,
    Rejected,
}

impl RequestState {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Pending => "pending",
            RequestState::Approved => "approved",
            RequestState::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            RequestState::Pending,
            RequestState::Approved,
            RequestState::Rejected,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            RequestState::Pending => "funds.request.pending",
            RequestState::Approved => "funds.request.approved",
            RequestState::Rejected => "funds.request.rejected",
        }
    }
}

#[cfg(feature = "ssr")]
crate::sql_text!(as_str: RequestState);

/// Operator funding above the threshold, waiting for (or decided by) a second operator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct FundingRequest {
    pub id: i64,
    pub partner_id: i64,
    pub partner_name: String,
    pub amount: Money,
    pub trans_id: String,
    pub requested_by: i64,
    pub requester: String,
    pub requested_at: i64,
    pub state: RequestState,
    pub decider: Option<String>,
    pub decided_at: Option<i64>,
    pub reason: Option<String>,
}

/// What an operator's funding did: the money moved, or a request now waits for approval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Funding {
    Funded(Receipt),
    Requested { request: i64 },
}
