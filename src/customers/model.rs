//! Wire types and pure rules of customer association.

use crate::domain::{CustomerMode, Money};
use serde::{Deserialize, Serialize};

/// How long an email invitation is valid.
pub const EMAIL_INVITATION_MS: i64 = 7 * 24 * 3_600_000;

/// How long an offline invitation link is valid: meant to be shared with several customers, it
/// lives longer than an email one, but not for ever (a link posted once must not open an
/// association years later). A partner makes a new one when it has expired.
pub const OFFLINE_INVITATION_MS: i64 = 30 * 24 * 3_600_000;

#[cfg(feature = "ssr")]
crate::sql_text!(as_str: Channel);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Offline,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Offline => "offline",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "email" => Some(Channel::Email),
            "offline" => Some(Channel::Offline),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvitationState {
    Active,
    Used,
    Cancelled,
    /// An active invitation past its validity (7 days by email, 30 offline; computed, never
    /// stored).
    Expired,
}

impl InvitationState {
    pub fn parse(s: &str, expires_at: Option<i64>, now: i64) -> Option<Self> {
        let state = match s {
            "active" => InvitationState::Active,
            "used" => InvitationState::Used,
            "cancelled" => InvitationState::Cancelled,
            _ => return None,
        };
        Some(match (state, expires_at) {
            (InvitationState::Active, Some(e)) if now >= e => InvitationState::Expired,
            (s, _) => s,
        })
    }

    pub fn label_key(self) -> &'static str {
        match self {
            InvitationState::Active => "invite.state.active",
            InvitationState::Used => "invite.state.used",
            InvitationState::Cancelled => "invite.state.cancelled",
            InvitationState::Expired => "invite.state.expired",
        }
    }

    /// Why an invitation in this state cannot be accepted.
    pub fn refusal(self) -> Option<&'static str> {
        match self {
            InvitationState::Active => None,
            InvitationState::Used => Some("error.invite.used"),
            InvitationState::Cancelled => Some("error.invite.cancelled"),
            InvitationState::Expired => Some("error.invite.expired"),
        }
    }
}

pub use crate::domain::Email;

/// An optional label (标签) for an invitation, at most 32 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label(String);

impl Label {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s = raw.trim();
        if s.chars().count() > 32 || s.chars().any(char::is_control) {
            return Err("error.invite.label");
        }
        Ok(Label(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new invitation, parsed from the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvitation {
    pub channel: Channel,
    pub email: Option<Email>,
    pub label: Label,
    pub mode: CustomerMode,
}

impl NewInvitation {
    pub fn parse(
        channel: &str,
        email: &str,
        label: &str,
        mode: &str,
    ) -> Result<Self, &'static str> {
        let channel = Channel::parse(channel).ok_or("error.invite.channel")?;
        let mode = CustomerMode::parse(mode).ok_or("error.invite.mode")?;
        let email = match channel {
            Channel::Email => Some(Email::parse(email)?),
            Channel::Offline => None,
        };
        Ok(NewInvitation {
            channel,
            email,
            label: Label::parse(label)?,
            mode,
        })
    }
}

/// An invitation in the partner's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invitation {
    pub id: i64,
    pub channel: Channel,
    pub email: Option<String>,
    pub label: String,
    pub mode: CustomerMode,
    pub state: InvitationState,
    pub expires_at: Option<i64>,
    pub accepted: i64,
    pub created_at: i64,
    /// The link, for offline invitations (meant to be shared) and right after creating one.
    pub link: Option<String>,
}

/// What a customer sees when it opens an invitation link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationView {
    pub partner_name: String,
    pub mode: CustomerMode,
    pub label: String,
    pub state: InvitationState,
    pub expires_at: Option<i64>,
    /// Why this customer cannot accept it (already associated, …), if so.
    pub refusal: Option<String>,
}

/// Whether a customer may accept an invitation: the invitation must be usable and the customer
/// free. `current_partner` is the customer's partner now, if any.
pub fn check_accept(
    state: InvitationState,
    inviting_partner: i64,
    current_partner: Option<i64>,
) -> Result<(), &'static str> {
    if let Some(reason) = state.refusal() {
        return Err(reason);
    }
    match current_partner {
        Some(p) if p == inviting_partner => Err("error.invite.already_yours"),
        Some(_) => Err("error.invite.already_linked"),
        None => Ok(()),
    }
}

/// The customer's side: its partner and contracts (我的合作伙伴).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyPartner {
    pub partner_name: String,
    pub partner_email: Option<String>,
    pub partner_phone: Option<String>,
    pub mode: CustomerMode,
    pub associated_at: i64,
    /// The partner asked to disassociate; the customer may confirm or decline.
    pub unbind_requested_at: Option<i64>,
    pub contracts: Vec<Contract>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContractState {
    Submitted,
    Approved,
    Rejected,
}

#[cfg(feature = "ssr")]
crate::sql_text!(as_str: ContractState);

impl ContractState {
    pub fn as_str(self) -> &'static str {
        match self {
            ContractState::Submitted => "submitted",
            ContractState::Approved => "approved",
            ContractState::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "submitted" => Some(ContractState::Submitted),
            "approved" => Some(ContractState::Approved),
            "rejected" => Some(ContractState::Rejected),
            _ => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            ContractState::Submitted => "contract.state.submitted",
            ContractState::Approved => "contract.state.approved",
            ContractState::Rejected => "contract.state.rejected",
        }
    }
}

/// A contract application in the operator's queue (合同申请); a row decodes straight into it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ContractApplication {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub partner_id: i64,
    pub partner_name: String,
    pub state: ContractState,
    pub reason: Option<String>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

/// A contract application (申请合同); a row decodes straight into it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Contract {
    pub id: i64,
    pub state: ContractState,
    pub reason: Option<String>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

/// What a confirmed disassociation did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnbindOutcome {
    /// The balance that went back to the partner (BEUNBIND).
    pub returned: Money,
    /// Coupons and pickup vouchers reclaimed (解绑自动回收).
    pub coupons_reclaimed: i64,
    pub coupon_amount: Money,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked() {
        assert!(Email::parse("ops@example.com").is_ok());
        assert!(Email::parse(" ops@example.com ").is_ok());
        for bad in [
            "",
            "ops",
            "ops@",
            "@example.com",
            "ops@example",
            "a b@example.com",
            "a@b@c.com",
            "ops@example.com,x@y.z",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn email_invitations_need_an_address_and_offline_ones_do_not() {
        assert_eq!(
            NewInvitation::parse("email", "", "", "resale"),
            Err("error.invite.email_required")
        );
        let offline = NewInvitation::parse("offline", "ignored", "华东", "consulting").unwrap();
        assert_eq!(offline.email, None);
        assert_eq!(offline.mode, CustomerMode::Consulting);
        for (a, b, c, d, refusal) in [
            ("fax", "", "", "resale", "error.invite.channel"),
            ("offline", "", "", "direct", "error.invite.mode"),
            (
                "offline",
                "",
                &"长".repeat(33),
                "resale",
                "error.invite.label",
            ),
        ] {
            assert_eq!(NewInvitation::parse(a, b, c, d), Err(refusal));
        }
    }

    #[test]
    fn an_active_email_invitation_expires_at_its_deadline() {
        let s = |now| InvitationState::parse("active", Some(1_000), now).unwrap();
        assert_eq!(s(999), InvitationState::Active);
        assert_eq!(s(1_000), InvitationState::Expired);
        assert_eq!(
            InvitationState::parse("active", None, i64::MAX),
            Some(InvitationState::Active)
        );
        assert_eq!(
            InvitationState::parse("used", Some(1), 5),
            Some(InvitationState::Used)
        );
    }

    #[test]
    fn only_a_free_customer_accepts_a_usable_invitation() {
        assert_eq!(check_accept(InvitationState::Active, 1, None), Ok(()));
        for (a, b, c, refusal) in [
            (
                InvitationState::Active,
                1,
                Some(1),
                "error.invite.already_yours",
            ),
            (
                InvitationState::Active,
                1,
                Some(2),
                "error.invite.already_linked",
            ),
            (InvitationState::Used, 1, None, "error.invite.used"),
            (InvitationState::Expired, 1, None, "error.invite.expired"),
            (
                InvitationState::Cancelled,
                1,
                None,
                "error.invite.cancelled",
            ),
        ] {
            assert_eq!(check_accept(a, b, c), Err(refusal));
        }
    }
}

/// 客户管理 (operator): one customer, its sign-in and its current partner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CustomerListItem {
    pub id: i64,
    pub name: String,
    pub login: Option<String>,
    pub partner_id: Option<i64>,
    pub partner_name: Option<String>,
    pub mode: Option<crate::domain::CustomerMode>,
    pub associated_at: Option<i64>,
    pub created_at: i64,
}
