//! Onboarding applications: the enterprise information, parsed once at the edge.

use crate::domain::{DisplayName, Email, PartnerKind};
use serde::{Deserialize, Serialize};

/// The 31 characters of a unified social credit code (no I, O, Z, S, V).
const USCC_CHARS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A 统一社会信用代码 (GB 32100-2015) whose check character is right. Upper-cased; spaces around
/// it are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uscc(String);

impl Uscc {
    pub fn parse(raw: &str) -> Result<Uscc, &'static str> {
        let s = raw.trim().to_ascii_uppercase();
        if s.is_empty() {
            return Err("error.onboarding.uscc_required");
        }
        if s.chars().count() != 18 {
            return Err("error.onboarding.uscc_length");
        }
        let values: Vec<u32> = s
            .bytes()
            .map(|b| USCC_CHARS.iter().position(|c| *c == b).map(|p| p as u32))
            .collect::<Option<_>>()
            .ok_or("error.onboarding.uscc_chars")?;
        if values[values.len() - 1] != Self::check(&values[..17]) {
            return Err("error.onboarding.uscc_check");
        }
        Ok(Uscc(s))
    }

    /// The check character's value for the first 17 characters' values.
    fn check(values: &[u32]) -> u32 {
        let sum: u32 = values.iter().zip(USCC_WEIGHTS).map(|(v, w)| v * w).sum();
        (31 - sum % 31) % 31
    }

    /// Completes 17 characters with their check character (for demo data and tests).
    pub fn complete(first17: &str) -> Option<Uscc> {
        let values: Vec<u32> = first17
            .bytes()
            .map(|b| USCC_CHARS.iter().position(|c| *c == b).map(|p| p as u32))
            .collect::<Option<_>>()?;
        (values.len() == 17).then(|| {
            let c = USCC_CHARS[Self::check(&values) as usize] as char;
            Uscc(format!("{first17}{c}"))
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A mainland mobile number: 11 digits starting with 1 (a leading `+86` or `86` and spaces or
/// dashes are accepted), kept as the 11 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mobile(String);

impl Mobile {
    pub fn parse(raw: &str) -> Result<Mobile, &'static str> {
        let s: String = raw
            .trim()
            .chars()
            .filter(|c| *c != ' ' && *c != '-')
            .collect();
        if s.is_empty() {
            return Err("error.onboarding.phone_required");
        }
        let s = s
            .strip_prefix("+86")
            .or(s.strip_prefix("86").filter(|r| r.len() == 11))
            .unwrap_or(&s);
        let ok = s.len() == 11
            && s.bytes().all(|b| b.is_ascii_digit())
            && s.starts_with('1')
            && (b'3'..=b'9').contains(&s.as_bytes()[1]);
        if ok {
            Ok(Mobile(s.to_string()))
        } else {
            Err("error.onboarding.phone")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppState {
    /// Waiting for the contact email to be confirmed.
    Unconfirmed,
    /// In the operator's queue (待审核).
    Pending,
    /// 已驳回, with a reason; the partner may edit and submit again.
    Rejected,
    /// 已通过: the partner is onboarded.
    Approved,
}

impl AppState {
    pub fn code(self) -> &'static str {
        match self {
            AppState::Unconfirmed => "unconfirmed",
            AppState::Pending => "pending",
            AppState::Rejected => "rejected",
            AppState::Approved => "approved",
        }
    }

    pub fn parse(s: &str) -> Option<AppState> {
        [
            AppState::Unconfirmed,
            AppState::Pending,
            AppState::Rejected,
            AppState::Approved,
        ]
        .into_iter()
        .find(|a| a.code() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            AppState::Unconfirmed => "onboarding.state.unconfirmed",
            AppState::Pending => "onboarding.state.pending",
            AppState::Rejected => "onboarding.state.rejected",
            AppState::Approved => "onboarding.state.approved",
        }
    }
}

/// The enterprise information as the form sends it (text fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EnterpriseInput {
    pub company: String,
    pub uscc: String,
    pub address: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub kind: String,
    /// The distributor a cloud reseller applies under (its id, as the select sends it).
    #[serde(default)]
    pub parent: String,
}

/// The enterprise information, valid.
#[derive(Debug, Clone, PartialEq)]
pub struct Enterprise {
    pub company: DisplayName,
    pub uscc: Uscc,
    pub address: String,
    pub contact_name: String,
    pub contact_email: Email,
    pub contact_phone: Mobile,
    pub kind: PartnerKind,
    /// Set exactly for a cloud reseller.
    pub parent: Option<i64>,
}

/// A text of 1..=max characters after trimming, without control characters.
fn text(
    raw: &str,
    max: usize,
    required: &'static str,
    bad: &'static str,
) -> Result<String, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(required);
    }
    if s.chars().count() > max || s.chars().any(char::is_control) {
        return Err(bad);
    }
    Ok(s.to_string())
}

impl Enterprise {
    pub fn parse(i: &EnterpriseInput) -> Result<Enterprise, &'static str> {
        let company = DisplayName::parse(&i.company).map_err(|_| "error.onboarding.company")?;
        let uscc = Uscc::parse(&i.uscc)?;
        let address = text(
            &i.address,
            200,
            "error.onboarding.address_required",
            "error.onboarding.address",
        )?;
        let contact_name = text(
            &i.contact_name,
            50,
            "error.onboarding.contact_required",
            "error.onboarding.contact",
        )?;
        let contact_email = Email::parse(&i.contact_email).map_err(|k| match k {
            "error.invite.email_required" => "error.onboarding.email_required",
            _ => "error.onboarding.email",
        })?;
        let contact_phone = Mobile::parse(&i.contact_phone)?;
        let kind = PartnerKind::parse(i.kind.trim()).ok_or("error.onboarding.kind")?;
        let parent = match (kind, i.parent.trim()) {
            (PartnerKind::Reseller, "") => return Err("error.onboarding.parent_required"),
            (PartnerKind::Reseller, p) => {
                Some(p.parse::<i64>().map_err(|_| "error.onboarding.parent")?)
            }
            _ => None,
        };
        Ok(Enterprise {
            company,
            uscc,
            address,
            contact_name,
            contact_email,
            contact_phone,
            kind,
            parent,
        })
    }
}

/// An application as its partner and the operator see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Application {
    pub partner_id: i64,
    pub company: String,
    pub uscc: String,
    pub address: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub parent_name: Option<String>,
    pub state: String,
    pub reason: Option<String>,
    pub submitted_at: i64,
    pub decided_at: Option<i64>,
}

impl Application {
    pub fn state(&self) -> AppState {
        AppState::parse(&self.state).unwrap_or(AppState::Pending)
    }

    pub fn kind(&self) -> PartnerKind {
        PartnerKind::parse(&self.kind).unwrap_or(PartnerKind::SolutionProvider)
    }

    /// The form's fields as this application filled them (to edit and submit again).
    pub fn input(&self) -> EnterpriseInput {
        EnterpriseInput {
            company: self.company.clone(),
            uscc: self.uscc.clone(),
            address: self.address.clone(),
            contact_name: self.contact_name.clone(),
            contact_email: self.contact_email.clone(),
            contact_phone: self.contact_phone.clone(),
            kind: self.kind.clone(),
            parent: self.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        }
    }
}

/// A distributor a cloud reseller may apply under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DistributorChoice {
    pub id: i64,
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_character_of_known_codes() {
        // Well-formed codes (the last one of each is its check character).
        for code in [
            "91350100M000100Y43",
            "91110000600037341L",
            "91440300708461136T",
        ] {
            assert_eq!(
                Uscc::parse(code).map(|u| u.0),
                Ok(code.to_string()),
                "{code}"
            );
        }
        assert_eq!(
            Uscc::parse(" 91350100m000100y43 ").unwrap().as_str(),
            "91350100M000100Y43"
        );
        assert_eq!(
            Uscc::parse("91350100M000100Y44"),
            Err("error.onboarding.uscc_check")
        );
        assert_eq!(
            Uscc::parse("91350100M000100Y4"),
            Err("error.onboarding.uscc_length")
        );
        assert_eq!(
            Uscc::parse("91350100M000100I43"),
            Err("error.onboarding.uscc_chars")
        );
        assert_eq!(Uscc::parse(""), Err("error.onboarding.uscc_required"));
    }

    #[test]
    fn every_single_character_change_is_caught() {
        let good = "91350100M000100Y43";
        for i in 0..18 {
            for c in USCC_CHARS.iter().map(|b| *b as char) {
                let mut s: Vec<char> = good.chars().collect();
                if s[i] == c {
                    continue;
                }
                s[i] = c;
                let s: String = s.into_iter().collect();
                assert_eq!(Uscc::parse(&s), Err("error.onboarding.uscc_check"), "{s}");
            }
        }
        assert_eq!(Uscc::complete("91350100M000100Y4").unwrap().as_str(), good);
    }

    #[test]
    fn mobiles() {
        assert_eq!(
            Mobile::parse("+86 138-0013-8000").unwrap().as_str(),
            "13800138000"
        );
        assert_eq!(
            Mobile::parse("8613800138000").unwrap().as_str(),
            "13800138000"
        );
        assert_eq!(Mobile::parse("12800138000"), Err("error.onboarding.phone"));
        assert_eq!(Mobile::parse("1380013800"), Err("error.onboarding.phone"));
        assert_eq!(Mobile::parse(" "), Err("error.onboarding.phone_required"));
    }

    fn input() -> EnterpriseInput {
        EnterpriseInput {
            company: "成都初创科技有限公司".into(),
            uscc: "91350100M000100Y43".into(),
            address: "成都市高新区天府大道 1 号".into(),
            contact_name: "王经理".into(),
            contact_email: "wang@example.com".into(),
            contact_phone: "13800138000".into(),
            kind: "solution_provider".into(),
            parent: String::new(),
        }
    }

    #[test]
    fn a_reseller_names_its_distributor_and_only_a_reseller_does() {
        let e = Enterprise::parse(&input()).unwrap();
        assert_eq!((e.kind, e.parent), (PartnerKind::SolutionProvider, None));
        let with_parent = EnterpriseInput {
            parent: "7".into(),
            ..input()
        };
        assert_eq!(Enterprise::parse(&with_parent).unwrap().parent, None);
        let reseller = EnterpriseInput {
            kind: "reseller".into(),
            ..input()
        };
        assert_eq!(
            Enterprise::parse(&reseller),
            Err("error.onboarding.parent_required")
        );
        let reseller = EnterpriseInput {
            kind: "reseller".into(),
            parent: "7".into(),
            ..input()
        };
        assert_eq!(Enterprise::parse(&reseller).unwrap().parent, Some(7));
        let bad = EnterpriseInput {
            kind: "vendor".into(),
            ..input()
        };
        assert_eq!(Enterprise::parse(&bad), Err("error.onboarding.kind"));
        let bad = EnterpriseInput {
            address: " ".into(),
            ..input()
        };
        assert_eq!(
            Enterprise::parse(&bad),
            Err("error.onboarding.address_required")
        );
        let bad = EnterpriseInput {
            contact_email: "x@".into(),
            ..input()
        };
        assert_eq!(Enterprise::parse(&bad), Err("error.onboarding.email"));
    }
}
