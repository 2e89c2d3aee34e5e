//! Wire types of the accounts domain and the pure rules around them.

use crate::domain::{CustomerMode, HcpnState, PartnerKind, Role};
use serde::{Deserialize, Serialize};

/// The signed-in user as the pages see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: i64,
    pub login: String,
    pub role: Role,
    pub partner: Option<PartnerSummary>,
    pub customer: Option<CustomerSummary>,
    /// Unread messages in the message center, shown in the header (`未读消息`).
    #[serde(default)]
    pub unread: i64,
    /// The password was set by an operator: the user must choose its own before anything else.
    #[serde(default)]
    pub must_change_password: bool,
    /// The epoch of the user's sessions (server side only: a password change moves it on).
    #[serde(skip, default)]
    pub epoch: i64,
}

impl SessionUser {
    /// The name shown in the header: the organisation for partners and customers.
    pub fn display_name(&self) -> &str {
        if let Some(p) = &self.partner {
            return &p.name;
        }
        if let Some(c) = &self.customer {
            return &c.name;
        }
        &self.login
    }

    /// The partner this partner user acts for; anyone else is refused.
    pub fn as_partner(&self) -> Result<&PartnerSummary, crate::error::AppError> {
        match (self.role, &self.partner) {
            (Role::Partner, Some(p)) => Ok(p),
            _ => Err(crate::error::AppError::Forbidden),
        }
    }

    /// Whether this user may open `path` (a page or a server function): a partner member only
    /// in the areas of its role; everyone else wherever its role lets it (checked elsewhere).
    pub fn may_open(&self, path: &str) -> bool {
        use crate::members::model::{Area, area_of};
        match (self.role, &self.partner) {
            (Role::Partner, Some(p)) => p.role.may(area_of(path)),
            (Role::Partner, None) => area_of(path) == Area::Everyone,
            _ => true,
        }
    }

    /// Whether this user is a partner member whose role works in `area` (menus and buttons).
    pub fn works_in(&self, area: crate::members::model::Area) -> bool {
        self.partner.as_ref().is_some_and(|p| p.role.may(area))
    }

    /// The customer this customer user is; anyone else is refused.
    pub fn as_customer(&self) -> Result<&CustomerSummary, crate::error::AppError> {
        match (self.role, &self.customer) {
            (Role::Customer, Some(c)) => Ok(c),
            _ => Err(crate::error::AppError::Forbidden),
        }
    }
}

/// The signed-in user of a page request, put in the request's extensions by the server.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub Option<SessionUser>);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerSummary {
    pub id: i64,
    pub name: String,
    pub kind: PartnerKind,
    pub hcpn: HcpnState,
    pub parent_name: Option<String>,
    /// The signed-in user's role in its partner (成员角色).
    pub role: crate::members::model::MemberRole,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerSummary {
    pub id: i64,
    pub name: String,
    /// The current association: mode and partner, all `None` for a customer with no partner.
    pub mode: Option<CustomerMode>,
    pub partner_id: Option<i64>,
    pub partner_name: Option<String>,
}

/// One row of the operator's partner list; a row decodes straight into it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PartnerListItem {
    pub id: i64,
    pub name: String,
    pub kind: PartnerKind,
    pub hcpn: HcpnState,
    pub parent_name: Option<String>,
    pub customers: i64,
    pub created_at: i64,
}

/// Where to go after signing in: the requested local path, or the role's home.
/// Only same-site absolute paths are followed, so a crafted link cannot send the user away.
pub fn safe_next(next: Option<&str>, role: Role) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && n.len() <= 512
                && n.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            n.to_string()
        }
        _ => role.home().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(
            safe_next(Some("/center/sales"), Role::Partner),
            "/center/sales"
        );
        assert_eq!(safe_next(Some("//evil.test/x"), Role::Partner), "/center");
        assert_eq!(
            safe_next(Some("https://evil.test"), Role::Customer),
            "/customer"
        );
        assert_eq!(safe_next(Some("/\\evil.test"), Role::Partner), "/center");
        assert_eq!(safe_next(Some("/a b"), Role::Operator), "/operator");
        assert_eq!(safe_next(None, Role::Operator), "/operator");
    }
}
