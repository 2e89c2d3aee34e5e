//! Opportunities: stages, HO states, the business-day deadline, and parsed inputs.

use crate::calendar::model::Calendar;
use crate::domain::{Amount, DisplayName, Money};
use serde::{Deserialize, Serialize};

/// Business days a partner has to answer an HO.
pub const HO_BUSINESS_DAYS: u32 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    Discovery,
    Qualified,
    Proposal,
    Negotiation,
    Won,
    Lost,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Discovery,
        Stage::Qualified,
        Stage::Proposal,
        Stage::Negotiation,
        Stage::Won,
        Stage::Lost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Discovery => "discovery",
            Stage::Qualified => "qualified",
            Stage::Proposal => "proposal",
            Stage::Negotiation => "negotiation",
            Stage::Won => "won",
            Stage::Lost => "lost",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Stage::Discovery => "pce.stage.discovery",
            Stage::Qualified => "pce.stage.qualified",
            Stage::Proposal => "pce.stage.proposal",
            Stage::Negotiation => "pce.stage.negotiation",
            Stage::Won => "pce.stage.won",
            Stage::Lost => "pce.stage.lost",
        }
    }

    pub fn closed(self) -> bool {
        matches!(self, Stage::Won | Stage::Lost)
    }
}

/// Why an opportunity was lost (丢单原因).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LostReason {
    Price,
    Competitor,
    Cancelled,
    Budget,
    Other,
}

impl LostReason {
    pub const ALL: [LostReason; 5] = [
        LostReason::Price,
        LostReason::Competitor,
        LostReason::Cancelled,
        LostReason::Budget,
        LostReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LostReason::Price => "price",
            LostReason::Competitor => "competitor",
            LostReason::Cancelled => "cancelled",
            LostReason::Budget => "budget",
            LostReason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<LostReason> {
        LostReason::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            LostReason::Price => "pce.lost.price",
            LostReason::Competitor => "pce.lost.competitor",
            LostReason::Cancelled => "pce.lost.cancelled",
            LostReason::Budget => "pce.lost.budget",
            LostReason::Other => "pce.lost.other",
        }
    }
}

/// Where an HO stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HoState {
    Pending,
    Accepted,
    Rejected,
    /// Not answered in time: counts as rejected and is taken back.
    Expired,
}

impl HoState {
    pub fn as_str(self) -> &'static str {
        match self {
            HoState::Pending => "pending",
            HoState::Accepted => "accepted",
            HoState::Rejected => "rejected",
            HoState::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<HoState> {
        match s {
            "pending" => Some(HoState::Pending),
            "accepted" => Some(HoState::Accepted),
            "rejected" => Some(HoState::Rejected),
            "expired" => Some(HoState::Expired),
            _ => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            HoState::Pending => "pce.ho.pending",
            HoState::Accepted => "pce.ho.accepted",
            HoState::Rejected => "pce.ho.rejected",
            HoState::Expired => "pce.ho.expired",
        }
    }
}

/// An HO's deadline (3 business days after it is shared) and its reminder (one business day
/// before the deadline), by the holiday calendar.
pub fn ho_deadlines(shared: i64, calendar: &Calendar) -> (i64, i64) {
    let respond_by = calendar.add_business_days(shared, HO_BUSINESS_DAYS);
    (respond_by, calendar.sub_business_days(respond_by, 1))
}

/// The fields of a new opportunity.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOpportunity {
    pub customer: String,
    pub product: String,
    pub expected: Amount,
    pub stage: Stage,
    pub consent: bool,
}

impl NewOpportunity {
    pub fn parse(
        customer: &str,
        product: &str,
        amount: &str,
        stage: &str,
        consent: bool,
    ) -> Result<NewOpportunity, &'static str> {
        let customer = DisplayName::parse(customer)
            .map_err(|_| "error.pce.customer")?
            .as_str()
            .to_string();
        let product = DisplayName::parse(product)
            .map_err(|_| "error.pce.product")?
            .as_str()
            .to_string();
        let expected = Amount::parse(amount)?;
        let stage = Stage::parse(stage).ok_or("error.pce.stage")?;
        if stage.closed() {
            return Err("error.pce.stage_closed");
        }
        if !consent {
            return Err("error.pce.consent");
        }
        Ok(NewOpportunity {
            customer,
            product,
            expected,
            stage,
            consent,
        })
    }
}

#[cfg(feature = "ssr")]
crate::sql_text!(as_str: Stage, LostReason, HoState);

/// An opportunity as its partner sees it; a row decodes straight into it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Opportunity {
    pub id: i64,
    /// `po` or `ho`.
    pub direction: String,
    pub customer: String,
    pub product: String,
    pub expected: Money,
    pub stage: Stage,
    pub lost_reason: Option<LostReason>,
    pub ho_state: Option<HoState>,
    pub reject_reason: Option<String>,
    pub respond_by: Option<i64>,
    pub created_at: i64,
}

/// 机会点 (operator): an opportunity with its partner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OperatorOpportunity {
    pub partner_id: i64,
    pub partner_name: String,
    #[cfg_attr(feature = "ssr", sqlx(flatten))]
    pub opportunity: Opportunity,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CST_OFFSET_MS as CST_MS, DAY_MS};

    /// Monday = 0 … Sunday = 6, in China time.
    fn weekday_cst(ms: i64) -> i64 {
        // 1970-01-01 was a Thursday (3).
        ((ms + CST_MS).div_euclid(DAY_MS) + 3).rem_euclid(7)
    }

    /// Business days without holidays.
    fn add_business_days(from: i64, days: u32) -> i64 {
        Calendar::default().add_business_days(from, days)
    }

    #[test]
    fn the_reminder_is_one_business_day_before_the_deadline() {
        // Shared on Friday: due Wednesday, reminded Tuesday, same clock time.
        let (due, remind) = ho_deadlines(FRIDAY_10, &Calendar::default());
        assert_eq!(crate::domain::format_time(due), "2026-11-25 10:00:00");
        assert_eq!(crate::domain::format_time(remind), "2026-11-24 10:00:00");
    }

    /// 2026-11-20 10:00 China time, a Friday.
    const FRIDAY_10: i64 = 1_795_140_000_000;

    #[test]
    fn the_test_friday_is_a_friday() {
        assert_eq!(weekday_cst(FRIDAY_10), 4);
        assert_eq!(crate::domain::format_time(FRIDAY_10), "2026-11-20 10:00:00");
    }

    #[test]
    fn an_ho_shared_on_friday_expires_on_wednesday() {
        let due = add_business_days(FRIDAY_10, HO_BUSINESS_DAYS);
        assert_eq!(crate::domain::format_time(due), "2026-11-25 10:00:00");
        assert_eq!(weekday_cst(due), 2);
    }

    #[test]
    fn weekends_never_count() {
        let saturday = FRIDAY_10 + DAY_MS;
        assert_eq!(
            crate::domain::format_time(add_business_days(saturday, 3)),
            "2026-11-25 10:00:00"
        );
        let monday = FRIDAY_10 + 3 * DAY_MS;
        assert_eq!(
            crate::domain::format_time(add_business_days(monday, 3)),
            "2026-11-26 10:00:00"
        );
        // Late Friday evening in China is still Friday, though UTC says so too at 15:59.
        let friday_late = FRIDAY_10 + 13 * 3_600_000 + 59 * 60_000;
        assert_eq!(weekday_cst(friday_late), 4);
        assert_eq!(
            crate::domain::format_time(add_business_days(friday_late, 3)),
            "2026-11-25 23:59:00"
        );
    }

    #[test]
    fn new_opportunities_are_parsed() {
        assert!(NewOpportunity::parse("宁波港航", "ECS", "120000", "discovery", true).is_ok());
        for (a, b, c, d, e, refusal) in [
            (
                "宁波港航",
                "ECS",
                "1",
                "discovery",
                false,
                "error.pce.consent",
            ),
            (
                "宁波港航",
                "ECS",
                "1",
                "won",
                true,
                "error.pce.stage_closed",
            ),
            (" ", "ECS", "1", "discovery", true, "error.pce.customer"),
            ("a", "ECS", "1", "later", true, "error.pce.stage"),
        ] {
            assert_eq!(NewOpportunity::parse(a, b, c, d, e), Err(refusal));
        }
        assert!(NewOpportunity::parse("a", "ECS", "-1", "discovery", true).is_err());
    }
}
