//! Member roles, the areas of the partner center they open, and the member list's rows.

use serde::{Deserialize, Serialize};

/// How long a member's invitation link works.
pub const INVITATION_MS: i64 = 72 * 3_600_000;

/// Where an invited member chooses its password.
pub fn join_path(token: &str) -> String {
    format!("/join/member/{token}")
}

/// A partner user's role (成员角色).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MemberRole {
    /// 管理员: everything, including members, the company, access keys and employees.
    Admin,
    /// 财务: funds, vouchers and orders.
    Finance,
    /// 业务: customers, opportunities, plans and paths.
    Business,
}

#[cfg(feature = "ssr")]
crate::sql_text!(as_str: MemberRole);

impl MemberRole {
    pub const ALL: [MemberRole; 3] = [MemberRole::Admin, MemberRole::Finance, MemberRole::Business];

    pub fn as_str(self) -> &'static str {
        match self {
            MemberRole::Admin => "admin",
            MemberRole::Finance => "finance",
            MemberRole::Business => "business",
        }
    }

    pub fn parse(s: &str) -> Option<MemberRole> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            MemberRole::Admin => "members.role.admin",
            MemberRole::Finance => "members.role.finance",
            MemberRole::Business => "members.role.business",
        }
    }

    /// Whether a member of this role works in `area`.
    pub fn may(self, area: Area) -> bool {
        use Area::*;
        match self {
            MemberRole::Admin => true,
            MemberRole::Finance => matches!(area, Everyone | Funds | Vouchers | Orders),
            MemberRole::Business => {
                matches!(area, Everyone | Customers | Opportunities | Plans | Paths)
            }
        }
    }
}

/// What part of the partner center a page or server function belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// Home, messages, one's own account: every member.
    Everyone,
    Funds,
    Vouchers,
    Orders,
    Customers,
    Opportunities,
    Plans,
    Paths,
    /// The company itself: members, onboarding, employees, access keys (administrators).
    Company,
}

/// Which area each partner-center path belongs to, first match wins. A pattern's `*` is one
/// segment, a final `**` any rest (or none). A path under `/center`, `/api/`, `/paths/` or
/// `/v2`–`/v3` that no pattern names belongs to [`Area::Company`], so a page or function added
/// without an entry is open to administrators only.
const AREAS: &[(&str, Area)] = &[
    // Pages (and their downloads).
    ("/center", Area::Everyone),
    ("/center/sales", Area::Everyone),
    ("/center/sales/customers/bulk", Area::Funds),
    ("/center/sales/customers/*/*", Area::Funds),
    ("/center/sales/resellers/**", Area::Funds),
    ("/center/sales/customers/**", Area::Customers),
    ("/center/sales/funds/**", Area::Funds),
    ("/center/sales/vouchers/**", Area::Vouchers),
    ("/center/sales/orders/**", Area::Orders),
    ("/center/sales/opportunities/**", Area::Opportunities),
    // 拨款/回收 of one reseller or customer: `/center/sales/{target}/{id}/{direction}`.
    ("/center/sales/*/*/*", Area::Funds),
    ("/center/plans/**", Area::Plans),
    ("/center/certificates/**", Area::Plans),
    ("/center/capability", Area::Paths),
    ("/center/paths/**", Area::Paths),
    ("/paths/invitation/*", Area::Paths),
    // Server functions.
    ("/api/login", Area::Everyone),
    ("/api/logout", Area::Everyone),
    ("/api/me", Area::Everyone),
    ("/api/messages/**", Area::Everyone),
    // The workbench answers each member with its own role's to-dos and figures.
    ("/api/workbench/**", Area::Everyone),
    ("/api/account/**", Area::Everyone),
    ("/api/certificates/verify", Area::Everyone),
    ("/api/members/invitation", Area::Everyone),
    ("/api/members/join", Area::Everyone),
    ("/api/funds/customers", Area::Customers),
    ("/api/funds/**", Area::Funds),
    ("/api/vouchers/**", Area::Vouchers),
    ("/api/orders/**", Area::Orders),
    ("/api/customers/**", Area::Customers),
    ("/api/pce/**", Area::Opportunities),
    ("/api/plans/**", Area::Plans),
    ("/api/paths/**", Area::Paths),
];

fn matches(pattern: &str, path: &str) -> bool {
    let mut want = pattern.split('/');
    let mut have = path.trim_end_matches('/').split('/');
    loop {
        match (want.next(), have.next()) {
            (Some("**"), _) => return true,
            (None, None) => return true,
            (Some("*"), Some(s)) if !s.is_empty() => {}
            (Some(w), Some(s)) if w == s => {}
            _ => return false,
        }
    }
}

/// The area of a path (without its query).
pub fn area_of(path: &str) -> Area {
    let path = path.split('?').next().unwrap_or(path);
    if let Some((_, area)) = AREAS.iter().find(|(p, _)| matches(p, path)) {
        return *area;
    }
    let partner_side = ["/center", "/api", "/paths", "/v2", "/v3"].iter().any(|p| {
        path.strip_prefix(p)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    });
    if partner_side {
        Area::Company
    } else {
        Area::Everyone
    }
}

/// Where a member stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberState {
    /// Invited, has not yet chosen its password (待接受).
    Invited,
    Active,
    /// Removed by an administrator: cannot sign in.
    Removed,
}

impl MemberState {
    pub fn label_key(self) -> &'static str {
        match self {
            MemberState::Invited => "members.state.invited",
            MemberState::Active => "members.state.active",
            MemberState::Removed => "members.state.removed",
        }
    }
}

/// One row of 成员管理.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub user_id: i64,
    pub login: String,
    pub email: Option<String>,
    pub role: MemberRole,
    pub state: MemberState,
    pub created_at: i64,
    /// The signed-in administrator itself (it cannot change or remove itself).
    pub me: bool,
}

/// An invitation as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invitation {
    pub login: String,
    pub partner: String,
    pub role: MemberRole,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_fall_in_their_areas_and_unknown_partner_paths_are_for_administrators() {
        let cases = [
            ("/center", Area::Everyone),
            ("/center/sales", Area::Everyone),
            ("/center/sales/customers", Area::Customers),
            ("/center/sales/customers/invite", Area::Customers),
            ("/center/sales/customers/bulk", Area::Funds),
            ("/center/sales/customers/12/allocate", Area::Funds),
            ("/center/sales/resellers/3/reclaim", Area::Funds),
            ("/center/sales/funds/records.csv", Area::Funds),
            ("/center/sales/vouchers/issue", Area::Vouchers),
            ("/center/sales/orders/7", Area::Orders),
            ("/center/plans/apply/3?x=1", Area::Plans),
            ("/center/paths/solution", Area::Paths),
            ("/center/org", Area::Company),
            ("/center/members", Area::Company),
            ("/center/new-thing", Area::Company),
            ("/api/funds/customers", Area::Customers),
            ("/api/funds/adjust", Area::Funds),
            ("/api/members/invite", Area::Company),
            ("/api/openapi/keys", Area::Company),
            ("/api/messages/list", Area::Everyone),
            ("/api/anything-new", Area::Company),
            ("/messages", Area::Everyone),
            ("/account/password", Area::Everyone),
            ("/centerfold", Area::Everyone),
        ];
        for (path, area) in cases {
            assert_eq!(area_of(path), area, "{path}");
        }
    }

    #[test]
    fn roles_open_their_areas_only() {
        use MemberRole::*;
        assert!(Admin.may(Area::Company) && Admin.may(Area::Funds));
        assert!(
            Finance.may(Area::Funds) && Finance.may(Area::Orders) && Finance.may(Area::Vouchers)
        );
        assert!(
            !Finance.may(Area::Customers)
                && !Finance.may(Area::Plans)
                && !Finance.may(Area::Company)
        );
        assert!(
            Business.may(Area::Customers)
                && Business.may(Area::Paths)
                && Business.may(Area::Opportunities)
        );
        assert!(
            !Business.may(Area::Funds)
                && !Business.may(Area::Orders)
                && !Business.may(Area::Company)
        );
        assert!(Finance.may(Area::Everyone) && Business.may(Area::Everyone));
    }
}
