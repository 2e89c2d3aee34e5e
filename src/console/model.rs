//! What the operator console's lists show.

use serde::{Deserialize, Serialize};

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditLine {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub ip: String,
    pub channel: String,
    pub detail: String,
}

/// The audit trail's filters, as the page's query gives them (empty: no filter).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// The actor's login (or `cli`, `system`), exact.
    pub actor: String,
    /// The action's name or its beginning (`onboarding.` lists every onboarding action).
    pub action: String,
    /// Part of a partner's name: entries about those partners.
    pub partner: String,
    /// `YYYY-MM-DD`, China time, inclusive.
    pub from: String,
    pub to: String,
}

/// One email or SMS in the outbox, without its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Delivery {
    pub id: i64,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The delivery states an operator filters by.
pub const DELIVERY_STATES: [&str; 4] = ["failed", "pending", "sending", "sent"];

/// One account in 账号管理.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Account {
    pub id: i64,
    pub login: String,
    pub role: String,
    /// The partner's or customer's name, if the account belongs to one.
    pub organisation: Option<String>,
    pub created_at: i64,
    pub disabled_at: Option<i64>,
}

/// The roles an operator filters accounts by.
pub const ROLES: [&str; 4] = ["partner", "customer", "operator", "personal"];

/// One choice of a search-as-you-type picker: what is chosen (its id) and how people know it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Pick {
    pub id: i64,
    pub label: String,
    /// A second line: the partner kind, the customer's partner, the account's role.
    pub detail: String,
}

/// What a picker chooses among.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PickKind {
    Partner,
    /// Distributors only (a reseller's parent, the distributor path's invitation).
    Distributor,
    Customer,
    /// Personal accounts (个人账号).
    Personal,
}

impl PickKind {
    pub fn code(self) -> &'static str {
        match self {
            PickKind::Partner => "partner",
            PickKind::Distributor => "distributor",
            PickKind::Customer => "customer",
            PickKind::Personal => "personal",
        }
    }

    pub fn parse(s: &str) -> Option<PickKind> {
        [
            PickKind::Partner,
            PickKind::Distributor,
            PickKind::Customer,
            PickKind::Personal,
        ]
        .into_iter()
        .find(|k| k.code() == s)
    }
}

/// How many choices a picker shows.
pub const PICKS: i64 = 10;
