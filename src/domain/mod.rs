//! Value types shared by every domain.
//!
//! Invariants:
//! - A value of these types is valid by construction: the only way to get one from user input is
//!   its `parse` function, which refuses anything out of range with an i18n error key.
//! - Money is exact: `Money` wraps `rust_decimal::Decimal`, is stored as integer fen (1/100 yuan),
//!   and is never converted to or from a float.

mod account;
#[cfg(feature = "ssr")]
pub mod export;
mod money;
mod page;
mod reason;
mod time;

pub use account::{AccountName, DisplayName, Email, NewPassword, PasswordAttempt};
pub use money::{Amount, Money};
pub use page::{Page, PageRequest, SortBy, page_of};
pub use reason::Reason;
pub use time::{BadDay, CST_OFFSET_MS, DAY_MS, day_start, format_time, parse_day};

use serde::{Deserialize, Serialize};

/// What a signed-in user is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Partner,
    Customer,
    Operator,
    /// A person's own account (个人华为账号), which a partner may associate as an employee.
    Personal,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Partner => "partner",
            Role::Customer => "customer",
            Role::Operator => "operator",
            Role::Personal => "personal",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "partner" => Some(Role::Partner),
            "customer" => Some(Role::Customer),
            "operator" => Some(Role::Operator),
            "personal" => Some(Role::Personal),
            _ => None,
        }
    }

    /// Where this role lands after signing in.
    pub fn home(self) -> &'static str {
        match self {
            Role::Partner => "/center",
            Role::Customer => "/customer",
            Role::Operator => "/operator",
            Role::Personal => "/personal",
        }
    }
}

#[cfg(feature = "ssr")]
crate::sql_text!(as_str: PartnerKind, HcpnState, CustomerMode);

/// The kind of a partner: solution provider, tier-1 distributor or tier-2 cloud reseller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerKind {
    SolutionProvider,
    Distributor,
    Reseller,
}

impl PartnerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PartnerKind::SolutionProvider => "solution_provider",
            PartnerKind::Distributor => "distributor",
            PartnerKind::Reseller => "reseller",
        }
    }

    /// Accepts the database spelling (`solution_provider`) and the command-line one
    /// (`solution-provider`).
    pub fn parse(s: &str) -> Option<Self> {
        match s.replace('-', "_").as_str() {
            "solution_provider" => Some(PartnerKind::SolutionProvider),
            "distributor" => Some(PartnerKind::Distributor),
            "reseller" => Some(PartnerKind::Reseller),
            _ => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            PartnerKind::SolutionProvider => "partner_kind.solution_provider",
            PartnerKind::Distributor => "partner_kind.distributor",
            PartnerKind::Reseller => "partner_kind.reseller",
        }
    }
}

/// Whether a partner completed HCPN onboarding (完成HCPN入驻).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HcpnState {
    Onboarded,
    Pending,
}

impl HcpnState {
    pub fn as_str(self) -> &'static str {
        match self {
            HcpnState::Onboarded => "onboarded",
            HcpnState::Pending => "pending",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "onboarded" => Some(HcpnState::Onboarded),
            "pending" => Some(HcpnState::Pending),
            _ => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            HcpnState::Onboarded => "hcpn.onboarded",
            HcpnState::Pending => "hcpn.pending",
        }
    }
}

/// How a customer is associated with its partner: resale (代售, `association_type` 2)
/// or consulting sales (顾问销售, `association_type` 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerMode {
    Resale,
    Consulting,
}

impl CustomerMode {
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerMode::Resale => "resale",
            CustomerMode::Consulting => "consulting",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "resale" => Some(CustomerMode::Resale),
            "consulting" => Some(CustomerMode::Consulting),
            _ => None,
        }
    }

    /// The `association_type` of the Huawei BSS API.
    pub fn association_type(self) -> i32 {
        match self {
            CustomerMode::Resale => 2,
            CustomerMode::Consulting => 1,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            CustomerMode::Resale => "customer_mode.resale",
            CustomerMode::Consulting => "customer_mode.consulting",
        }
    }
}

/// Why a list of ids does not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdListError {
    /// A part is not a positive integer.
    Malformed,
    /// No id at all.
    Empty,
    /// More than the allowed number of distinct ids.
    TooMany,
}

/// Declares an enum stored as an integer code: the enum (with `Debug, Clone, Copy, PartialEq,
/// Eq, Serialize, Deserialize`), `ALL` in declaration order, `code()`, `from_code()` and
/// `label_key()`, so each variant's code and label are written once (`Variant = code => "key"`).
#[macro_export]
macro_rules! coded {
    ($(#[$m:meta])* pub enum $name:ident { $($(#[$vm:meta])* $variant:ident = $code:literal => $key:literal,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vm])* $variant,)*
        }

        impl $name {
            pub const ALL: [$name; [$(stringify!($variant)),*].len()] = [$($name::$variant),*];

            pub fn code(self) -> i64 {
                match self {
                    $($name::$variant => $code,)*
                }
            }

            pub fn from_code(c: i64) -> Option<Self> {
                $name::ALL.into_iter().find(|v| v.code() == c)
            }

            /// The message key of its label.
            pub fn label_key(self) -> &'static str {
                match self {
                    $($name::$variant => $key,)*
                }
            }
        }
    };
}

/// A required text field, trimmed: refused with `required` when empty and with `too_long` when
/// over `max` characters.
pub fn required_text<E>(raw: &str, max: usize, required: E, too_long: E) -> Result<&str, E> {
    match raw.trim() {
        "" => Err(required),
        s if s.chars().count() > max => Err(too_long),
        s => Ok(s),
    }
}

/// An optional form field: blank means none; anything else must `parse`, or is refused with
/// `refusal`.
pub fn optional<T, E>(
    raw: &str,
    parse: impl FnOnce(&str) -> Option<T>,
    refusal: E,
) -> Result<Option<T>, E> {
    match raw.trim() {
        "" => Ok(None),
        s => parse(s).map(Some).ok_or(refusal),
    }
}

/// Parses a list of positive ids separated by any of `separators`, in order and without
/// duplicates, refusing more than `max` distinct ids. Linear in the input and stops at the
/// first id over `max`, so a huge list costs no more than reading it.
pub fn parse_id_list(raw: &str, separators: &[char], max: usize) -> Result<Vec<i64>, IdListError> {
    let mut seen = std::collections::HashSet::with_capacity(max.min(64));
    let mut ids = Vec::with_capacity(max.min(64));
    for part in raw
        .split(separators)
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let id: i64 = part.parse().map_err(|_| IdListError::Malformed)?;
        if id <= 0 {
            return Err(IdListError::Malformed);
        }
        if seen.insert(id) {
            if ids.len() == max {
                return Err(IdListError::TooMany);
            }
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err(IdListError::Empty);
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {

    #[test]
    fn id_lists_dedupe_in_order_and_stop_at_the_limit() {
        assert_eq!(parse_id_list("3, 1 3", &[',', ' '], 10), Ok(vec![3, 1]));
        assert_eq!(parse_id_list(" , ", &[','], 10), Err(IdListError::Empty));
        assert_eq!(
            parse_id_list("1,-2", &[','], 10),
            Err(IdListError::Malformed)
        );
        assert_eq!(parse_id_list("1,1,1,2", &[','], 2), Ok(vec![1, 2]));
        assert_eq!(parse_id_list("1,2,3", &[','], 2), Err(IdListError::TooMany));
        // A million ids are refused after the limit is passed, without quadratic work.
        let huge: String = (1..=1_000_000).map(|i| format!("{i},")).collect();
        let t = std::time::Instant::now();
        assert_eq!(parse_id_list(&huge, &[','], 10), Err(IdListError::TooMany));
        assert!(t.elapsed() < std::time::Duration::from_millis(100));
    }

    use super::*;

    #[test]
    fn partner_kind_accepts_cli_and_db_spellings() {
        assert_eq!(
            PartnerKind::parse("solution-provider"),
            Some(PartnerKind::SolutionProvider)
        );
        assert_eq!(
            PartnerKind::parse("solution_provider"),
            Some(PartnerKind::SolutionProvider)
        );
        assert_eq!(PartnerKind::parse("reseller"), Some(PartnerKind::Reseller));
        assert_eq!(PartnerKind::parse("Reseller"), None);
    }

    #[test]
    fn times_are_shown_in_china_standard_time() {
        assert_eq!(format_time(0), "1970-01-01 08:00:00");
    }

    #[test]
    fn customer_modes_map_to_bss_association_types() {
        assert_eq!(CustomerMode::Resale.association_type(), 2);
        assert_eq!(CustomerMode::Consulting.association_type(), 1);
    }
}
