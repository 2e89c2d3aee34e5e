//! Employee links, their states, and the association rules as a pure function.

use serde::{Deserialize, Serialize};

/// How many other partners a person may have been associated with in the window.
pub const MAX_RECENT_PARTNERS: i64 = 3;
/// The window of that rule.
pub const WINDOW_MS: i64 = 365 * 86_400_000;

#[cfg(feature = "ssr")]
crate::sql_text!(as_str: LinkState);

/// What happens to a link: the person accepts or declines an invitation; the partner cancels
/// one or ends a membership (取消绑定).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Accept,
    Decline,
    Cancel,
    Unbind,
}

impl Move {
    /// The person answers; the partner cancels and unbinds.
    pub fn by_person(self) -> bool {
        matches!(self, Move::Accept | Move::Decline)
    }

    /// The state the link must be in, and the one it moves to.
    pub fn states(self) -> (LinkState, LinkState) {
        match self {
            Move::Accept => (LinkState::Pending, LinkState::Active),
            Move::Decline => (LinkState::Pending, LinkState::Declined),
            Move::Cancel => (LinkState::Pending, LinkState::Cancelled),
            Move::Unbind => (LinkState::Active, LinkState::Unbound),
        }
    }

    /// The refusal when the link is not in the state the move needs.
    pub fn closed(self) -> &'static str {
        match self {
            Move::Unbind => "error.employees.not_active",
            _ => "error.employees.invitation_closed",
        }
    }

    /// The message the other side gets, and the audit action.
    pub fn keys(self) -> (&'static str, &'static str) {
        match self {
            Move::Accept => ("employee.accepted", "employees.accept"),
            Move::Decline => ("employee.declined", "employees.decline"),
            Move::Cancel => ("employee.cancelled", "employees.cancel"),
            Move::Unbind => ("employee.unbound", "employees.unbind"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkState {
    Pending,
    Cancelled,
    Declined,
    Active,
    Unbound,
}

impl LinkState {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkState::Pending => "pending",
            LinkState::Cancelled => "cancelled",
            LinkState::Declined => "declined",
            LinkState::Active => "active",
            LinkState::Unbound => "unbound",
        }
    }

    pub fn parse(s: &str) -> Option<LinkState> {
        [
            LinkState::Pending,
            LinkState::Cancelled,
            LinkState::Declined,
            LinkState::Active,
            LinkState::Unbound,
        ]
        .into_iter()
        .find(|l| l.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            LinkState::Pending => "employees.state.pending",
            LinkState::Cancelled => "employees.state.cancelled",
            LinkState::Declined => "employees.state.declined",
            LinkState::Active => "employees.state.active",
            LinkState::Unbound => "employees.state.unbound",
        }
    }
}

/// What is known about the invited account when the rules are applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub personal: bool,
    pub verified: bool,
    pub china_site: bool,
    /// The partner the person is an active member of, if any.
    pub active_partner: Option<i64>,
    /// Whether this partner already has a pending invitation for the person.
    pub invited_here: bool,
    /// Distinct partners other than the inviting one that count in the 365-day window.
    pub recent_other_partners: i64,
}

/// Whether `partner` may invite (or the person may now join) — the error is the i18n key of the
/// reason. `accepting` skips the pending-invitation check (the invitation being accepted is it).
pub fn check(c: &Candidate, partner: i64, accepting: bool) -> Result<(), &'static str> {
    if !c.personal {
        // The same answer as for an account that does not exist: an invitation must not tell
        // whether a login exists.
        return Err("error.employees.no_personal_account");
    }
    if !c.verified || !c.china_site {
        return Err("error.employees.not_verified");
    }
    match c.active_partner {
        Some(p) if p == partner => return Err("error.employees.already_member"),
        Some(_) => return Err("error.employees.other_partner"),
        None => {}
    }
    if !accepting && c.invited_here {
        return Err("error.employees.already_invited");
    }
    if c.recent_other_partners >= MAX_RECENT_PARTNERS {
        return Err("error.employees.too_many_partners");
    }
    Ok(())
}

/// One row of the partner's 项目专员 list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub id: i64,
    pub login: String,
    pub state: LinkState,
    pub invited_at: i64,
    pub joined_at: Option<i64>,
    pub ended_at: Option<i64>,
}

/// One of a person's invitations or associations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invitation {
    pub id: i64,
    pub partner_name: String,
    pub state: LinkState,
    pub invited_at: i64,
    pub joined_at: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok() -> Candidate {
        Candidate {
            personal: true,
            verified: true,
            china_site: true,
            active_partner: None,
            invited_here: false,
            recent_other_partners: 0,
        }
    }

    #[test]
    fn each_rule_has_its_reason() {
        assert_eq!(check(&ok(), 1, false), Ok(()));
        let cases = [
            (
                Candidate {
                    personal: false,
                    ..ok()
                },
                "error.employees.no_personal_account",
            ),
            (
                Candidate {
                    verified: false,
                    ..ok()
                },
                "error.employees.not_verified",
            ),
            (
                Candidate {
                    china_site: false,
                    ..ok()
                },
                "error.employees.not_verified",
            ),
            (
                Candidate {
                    active_partner: Some(1),
                    ..ok()
                },
                "error.employees.already_member",
            ),
            (
                Candidate {
                    active_partner: Some(2),
                    ..ok()
                },
                "error.employees.other_partner",
            ),
            (
                Candidate {
                    invited_here: true,
                    ..ok()
                },
                "error.employees.already_invited",
            ),
            (
                Candidate {
                    recent_other_partners: 3,
                    ..ok()
                },
                "error.employees.too_many_partners",
            ),
        ];
        for (c, key) in cases {
            assert_eq!(check(&c, 1, false), Err(key), "{c:?}");
        }
        assert_eq!(
            check(
                &Candidate {
                    recent_other_partners: 2,
                    ..ok()
                },
                1,
                false
            ),
            Ok(())
        );
        assert_eq!(
            check(
                &Candidate {
                    invited_here: true,
                    ..ok()
                },
                1,
                true
            ),
            Ok(())
        );
    }
}

/// The service-partner certification exam: an external site where a person studies, sits the
/// exam and gets a certificate.
pub const EXAM_URL: &str =
    "https://www.huaweicloud.com/partners/roles/service_partner/certification/index.html";

/// Whether one person may sit the service-partner exam: with a personal account that completed
/// real-name verification on the China site (the reference's 个人实名认证, 仅中国站).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamEligibility {
    pub login: String,
    pub real_name_verified: bool,
    pub china_site: bool,
}

impl ExamEligibility {
    pub fn eligible(&self) -> bool {
        self.real_name_verified && self.china_site
    }
}

/// A person's own exam panel: the partner it works for and whether it may sit the exam.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyExam {
    pub partner_name: String,
    pub eligibility: ExamEligibility,
}
