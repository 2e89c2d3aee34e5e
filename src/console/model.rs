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

    /// The query parameter that presets a picker of this kind (`?partner=7`).
    pub fn query_key(self) -> &'static str {
        match self {
            PickKind::Partner | PickKind::Distributor => "partner",
            PickKind::Customer => "customer",
            PickKind::Personal => "personal",
        }
    }
}

/// The partner a page is about (`/operator/partners/<id>`): its forms' partner pickers show it
/// chosen, and send its id without a search (so they work before the WebAssembly loads).
#[derive(Debug, Clone, PartialEq)]
pub struct FixedPartner(pub Pick);

/// Where an action taken on a partner's page returns: that page, and nothing else (a form field
/// must not send the operator to another site or page).
pub fn partner_page(back: Option<&str>) -> Option<&str> {
    let back = back?.trim();
    let id = back.strip_prefix("/operator/partners/")?;
    (!id.is_empty() && id.len() <= 19 && id.chars().all(|c| c.is_ascii_digit())).then_some(back)
}

/// How many choices a picker shows.
pub const PICKS: i64 = 10;

/// 伙伴管理 → one partner: everything the programme knows about it, for its detail page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerDetail {
    pub id: i64,
    pub name: String,
    pub kind: crate::domain::PartnerKind,
    pub hcpn: crate::domain::HcpnState,
    pub parent_id: Option<i64>,
    pub parent_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub created_at: i64,
    pub balances: crate::funds::model::Balances,
    /// Its quotas (the newest first page).
    pub quotas: Vec<crate::vouchers::model::OperatorQuota>,
    /// Plan certificates and path certifications.
    pub certificates: Vec<HeldCertificate>,
    pub paths: Vec<HeldPath>,
    pub customers: i64,
    /// A distributor's resellers: (id, name).
    pub resellers: Vec<(i64, String)>,
    pub members: Vec<crate::members::model::Member>,
    /// The latest entries of the audit trail about it.
    pub audit: Vec<AuditLine>,
}

/// A plan certificate a partner holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct HeldCertificate {
    pub number: String,
    pub subject: String,
    pub issued_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
}

/// A development-path certification a partner holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct HeldPath {
    pub path: String,
    pub stage: String,
    pub state: String,
    pub valid_until: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_return_only_to_a_partners_page() {
        assert_eq!(
            partner_page(Some("/operator/partners/42")),
            Some("/operator/partners/42")
        );
        for bad in [
            "",
            "/operator/partners/",
            "/operator/partners/4x",
            "https://evil.example.com/operator/partners/1",
            "//evil.example.com",
            "/operator/partners/1/../../x",
            "/operator/funding",
        ] {
            assert_eq!(partner_page(Some(bad)), None, "{bad}");
        }
        assert_eq!(partner_page(None), None);
    }
}
