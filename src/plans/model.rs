//! The plan catalogue, who may join what, application and certificate states, and the parsed
//! inputs of the application and review forms.

use crate::domain::{HcpnState, PartnerKind};
use serde::{Deserialize, Serialize};

/// A plan of 华为云伙伴计划.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Plan {
    /// 合作伙伴共拓计划 (PCE: opportunity sharing).
    CoExpansion,
    /// 合作伙伴能力计划.
    Capability,
    /// 解决方案提供商计划.
    SolutionProvider,
    /// 分销计划(总经销商).
    DistributionTier1,
    /// 分销计划(云经销商).
    DistributionTier2,
    /// 云商店商家计划.
    MarketplaceSeller,
    /// 云商店客户服务商计划.
    MarketplaceService,
    /// 服务伙伴能力提升专项计划.
    ServiceUplift,
}

/// Days a joined plan (and its certificate) is valid.
pub const VALIDITY_DAYS: i64 = 365;

impl Plan {
    pub const ALL: [Plan; 8] = [
        Plan::CoExpansion,
        Plan::Capability,
        Plan::SolutionProvider,
        Plan::DistributionTier1,
        Plan::DistributionTier2,
        Plan::MarketplaceSeller,
        Plan::MarketplaceService,
        Plan::ServiceUplift,
    ];

    /// The code in URLs and in the database.
    pub fn code(self) -> &'static str {
        match self {
            Plan::CoExpansion => "pce",
            Plan::Capability => "capability",
            Plan::SolutionProvider => "solution-provider",
            Plan::DistributionTier1 => "distribution-tier1",
            Plan::DistributionTier2 => "distribution-tier2",
            Plan::MarketplaceSeller => "marketplace-seller",
            Plan::MarketplaceService => "marketplace-service",
            Plan::ServiceUplift => "service-uplift",
        }
    }

    pub fn parse(code: &str) -> Option<Plan> {
        Plan::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The i18n key of the plan's name; `<key>.desc` describes it.
    pub fn name_key(self) -> &'static str {
        match self {
            Plan::CoExpansion => "plan.pce",
            Plan::Capability => "plan.capability",
            Plan::SolutionProvider => "plan.solution_provider",
            Plan::DistributionTier1 => "plan.distribution_tier1",
            Plan::DistributionTier2 => "plan.distribution_tier2",
            Plan::MarketplaceSeller => "plan.marketplace_seller",
            Plan::MarketplaceService => "plan.marketplace_service",
            Plan::ServiceUplift => "plan.service_uplift",
        }
    }

    pub fn desc_key(self) -> &'static str {
        match self {
            Plan::CoExpansion => "plan.pce.desc",
            Plan::Capability => "plan.capability.desc",
            Plan::SolutionProvider => "plan.solution_provider.desc",
            Plan::DistributionTier1 => "plan.distribution_tier1.desc",
            Plan::DistributionTier2 => "plan.distribution_tier2.desc",
            Plan::MarketplaceSeller => "plan.marketplace_seller.desc",
            Plan::MarketplaceService => "plan.marketplace_service.desc",
            Plan::ServiceUplift => "plan.service_uplift.desc",
        }
    }

    /// The i18n key saying who may join.
    pub fn audience_key(self) -> &'static str {
        match self.only_for() {
            Some(PartnerKind::Distributor) => "plans.audience.distributor",
            Some(PartnerKind::Reseller) => "plans.audience.reseller",
            Some(PartnerKind::SolutionProvider) => "plans.audience.provider",
            None => "plans.audience.all",
        }
    }

    /// The only kind of partner the plan is for, if it is restricted.
    fn only_for(self) -> Option<PartnerKind> {
        match self {
            Plan::DistributionTier1 => Some(PartnerKind::Distributor),
            Plan::DistributionTier2 => Some(PartnerKind::Reseller),
            Plan::SolutionProvider => Some(PartnerKind::SolutionProvider),
            _ => None,
        }
    }

    /// Whether a partner of this kind and onboarding state may apply; the error is the i18n key
    /// of the reason shown to it.
    pub fn eligibility(self, kind: PartnerKind, hcpn: HcpnState) -> Result<(), &'static str> {
        if hcpn != HcpnState::Onboarded {
            return Err("error.plans.need_hcpn");
        }
        match self.only_for() {
            Some(only) if only != kind => Err(match only {
                PartnerKind::Distributor => "error.plans.only_distributor",
                PartnerKind::Reseller => "error.plans.only_reseller",
                PartnerKind::SolutionProvider => "error.plans.only_provider",
            }),
            _ => Ok(()),
        }
    }
}

#[cfg(feature = "ssr")]
crate::sql_text!(code: Plan);
#[cfg(feature = "ssr")]
crate::sql_text!(as_str: ApplicationState);

/// The state of an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApplicationState {
    Pending,
    Approved,
    Rejected,
}

impl ApplicationState {
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationState::Pending => "pending",
            ApplicationState::Approved => "approved",
            ApplicationState::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(ApplicationState::Pending),
            "approved" => Some(ApplicationState::Approved),
            "rejected" => Some(ApplicationState::Rejected),
            _ => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            ApplicationState::Pending => "plans.state.pending",
            ApplicationState::Approved => "plans.state.approved",
            ApplicationState::Rejected => "plans.state.rejected",
        }
    }
}

/// Where a certificate stands at a given moment (a decoded row is `Valid` until
/// [`CertificateState::at`] says otherwise).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CertificateState {
    #[default]
    Valid,
    Expired,
    Revoked,
}

impl CertificateState {
    /// Revocation wins over expiry: a revoked certificate says so even after its end date.
    pub fn at(now_ms: i64, expires_at: i64, revoked: bool) -> CertificateState {
        if revoked {
            CertificateState::Revoked
        } else if now_ms >= expires_at {
            CertificateState::Expired
        } else {
            CertificateState::Valid
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            CertificateState::Valid => "cert.state.valid",
            CertificateState::Expired => "cert.state.expired",
            CertificateState::Revoked => "cert.state.revoked",
        }
    }

    pub fn css(self) -> &'static str {
        match self {
            CertificateState::Valid => "tag tag-ok",
            CertificateState::Expired => "tag tag-muted",
            CertificateState::Revoked => "tag tag-bad",
        }
    }
}

/// A certificate number: `PC` + year + `-` + 10 characters of Crockford base32, e.g.
/// `PC2026-7K3M9Q2X4B`. Random, so numbers cannot be enumerated from the public verify page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateNumber(String);

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

impl CertificateNumber {
    /// Reads a number typed or linked by anyone (case-insensitive). Anything else is not a number.
    pub fn parse(raw: &str) -> Option<CertificateNumber> {
        let s = raw.trim().to_ascii_uppercase();
        let (head, tail) = s.split_once('-')?;
        let year = head.strip_prefix("PC")?;
        let ok = year.len() == 4
            && year.bytes().all(|b| b.is_ascii_digit())
            && tail.len() == 10
            && tail.bytes().all(|b| CROCKFORD.contains(&b));
        ok.then_some(CertificateNumber(s))
    }

    /// A fresh number for a certificate issued in `year`, from 50 random bits.
    pub fn generate(year: i32, random: u64) -> CertificateNumber {
        let tail: String = (0..10)
            .map(|i| CROCKFORD[((random >> (i * 5)) & 31) as usize] as char)
            .collect();
        CertificateNumber(format!("PC{year:04}-{tail}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The filled-in application form (申请加入): a contact and a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationForm {
    pub contact_name: String,
    pub contact_phone: String,
    pub statement: String,
}

impl ApplicationForm {
    pub const STATEMENT_MAX: usize = 500;

    pub fn parse(name: &str, phone: &str, statement: &str) -> Result<Self, &'static str> {
        let contact_name = crate::domain::DisplayName::parse(name)
            .map_err(|_| "error.plans.contact_name")?
            .as_str()
            .to_string();
        let phone = phone.trim();
        let digits = phone.bytes().filter(u8::is_ascii_digit).count();
        if !(5..=20).contains(&digits)
            || phone.len() > 24
            || !phone
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b' '))
        {
            return Err("error.plans.contact_phone");
        }
        let statement = statement.trim();
        if statement.is_empty() {
            return Err("error.plans.statement_required");
        }
        if statement.chars().count() > Self::STATEMENT_MAX
            || statement
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\r')
        {
            return Err("error.plans.statement_too_long");
        }
        Ok(ApplicationForm {
            contact_name,
            contact_phone: phone.to_string(),
            statement: statement.to_string(),
        })
    }
}

pub use crate::domain::Reason;

/// The partner's standing with one plan, for the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Standing {
    /// May apply.
    Open,
    /// May not apply; the i18n key says why.
    NotEligible(String),
    /// An application waits for review.
    Pending,
    /// The last application was rejected (and the partner may apply again).
    Rejected { reason: String },
    /// Joined, valid until the given time.
    Joined { until: i64 },
}

/// One plan in the catalogue, as seen by one partner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanCard {
    pub plan: Plan,
    pub standing: Standing,
}

/// One of the partner's applications.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub id: i64,
    pub plan: Plan,
    pub state: ApplicationState,
    pub reason: Option<String>,
    pub submitted_at: i64,
    pub decided_at: Option<i64>,
}

/// An application as stored (what the operator's review list shows); a row decodes straight
/// into it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ReviewItem {
    pub id: i64,
    pub partner_id: i64,
    pub partner_name: String,
    pub plan: Plan,
    pub state: ApplicationState,
    pub contact_name: String,
    pub contact_phone: String,
    pub statement: String,
    pub reason: Option<String>,
    pub submitted_at: i64,
    pub decided_at: Option<i64>,
}

/// A certificate, as its owner and the public verification page see it. A row decodes into it
/// with the state left to [`CertificateState::at`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Certificate {
    pub number: String,
    pub partner_name: String,
    /// `plan` or `path`.
    pub subject_kind: String,
    pub subject: String,
    pub issued_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    pub revoke_reason: Option<String>,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub state: CertificateState,
}

impl Certificate {
    /// The i18n key of what the certificate is for.
    pub fn subject_key(&self) -> &'static str {
        match (self.subject_kind.as_str(), Plan::parse(&self.subject)) {
            ("plan", Some(plan)) => plan.name_key(),
            _ => "cert.subject.unknown",
        }
    }
}

/// A joined plan (已加入伙伴计划): its certificate is the membership.
pub type JoinedPlan = Certificate;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distribution_plans_are_only_for_their_tier() {
        use PartnerKind::*;
        let on = HcpnState::Onboarded;
        assert!(Plan::DistributionTier1.eligibility(Distributor, on).is_ok());
        assert_eq!(
            Plan::DistributionTier1.eligibility(Reseller, on),
            Err("error.plans.only_distributor")
        );
        assert!(Plan::DistributionTier2.eligibility(Reseller, on).is_ok());
        assert_eq!(
            Plan::DistributionTier2.eligibility(Distributor, on),
            Err("error.plans.only_reseller")
        );
        assert_eq!(
            Plan::SolutionProvider.eligibility(Reseller, on),
            Err("error.plans.only_provider")
        );
        for kind in [SolutionProvider, Distributor, Reseller] {
            assert!(Plan::CoExpansion.eligibility(kind, on).is_ok());
            assert_eq!(
                Plan::CoExpansion.eligibility(kind, HcpnState::Pending),
                Err("error.plans.need_hcpn")
            );
        }
    }

    #[test]
    fn plan_codes_round_trip() {
        for p in Plan::ALL {
            assert_eq!(Plan::parse(p.code()), Some(p));
        }
        assert_eq!(Plan::parse("PCE"), None);
    }

    #[test]
    fn certificate_numbers_are_generated_and_parsed_strictly() {
        let n = CertificateNumber::generate(2026, 0x3_ffff_ffff_ffff);
        assert_eq!(n.as_str(), "PC2026-ZZZZZZZZZZ");
        let n = CertificateNumber::generate(2026, 1);
        assert_eq!(n.as_str(), "PC2026-1000000000");
        assert_eq!(
            CertificateNumber::parse(" pc2026-7k3m9q2x4b "),
            Some(CertificateNumber("PC2026-7K3M9Q2X4B".into()))
        );
        for bad in [
            "",
            "PC2026",
            "PC2026-7K3M9Q2X4",
            "PC2026-7K3M9Q2X4U",
            "PC26-7K3M9Q2X4B",
            "XX2026-7K3M9Q2X4B",
            "PC2026-7K3M9Q2X4B-1",
            "PC2026-../../etc",
        ] {
            assert_eq!(CertificateNumber::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn revocation_wins_over_expiry() {
        assert_eq!(CertificateState::at(5, 10, false), CertificateState::Valid);
        assert_eq!(
            CertificateState::at(10, 10, false),
            CertificateState::Expired
        );
        assert_eq!(
            CertificateState::at(11, 10, true),
            CertificateState::Revoked
        );
        assert_eq!(CertificateState::at(5, 10, true), CertificateState::Revoked);
    }

    #[test]
    fn application_forms_are_parsed() {
        let f = ApplicationForm::parse(" 张三 ", "+86 138-0000-0000", " 我们申请加入 ").unwrap();
        assert_eq!(f.contact_name, "张三");
        assert_eq!(f.statement, "我们申请加入");
        for (a, b, c, refusal) in [
            ("", "13800000000", "x", "error.plans.contact_name"),
            ("a", "12", "x", "error.plans.contact_phone"),
            ("a", "1380000000a", "x", "error.plans.contact_phone"),
            ("a", "13800000000", "  ", "error.plans.statement_required"),
            (
                "a",
                "13800000000",
                &"长".repeat(501),
                "error.plans.statement_too_long",
            ),
        ] {
            assert_eq!(ApplicationForm::parse(a, b, c), Err(refusal));
        }
        assert!(ApplicationForm::parse("a", "13800000000", &"长".repeat(500)).is_ok());
    }

    #[test]
    fn reasons_are_required_and_bounded() {
        assert_eq!(Reason::parse(" "), Err("error.plans.reason_required"));
        assert_eq!(
            Reason::parse(&"x".repeat(201)),
            Err("error.plans.reason_too_long")
        );
        assert_eq!(Reason::parse(" 材料不全 ").unwrap().as_str(), "材料不全");
    }
}
