//! Wire types of development paths and the pure rules: which requirements a stage has, whether
//! the partner's data meets them, and when a review window is open.

use serde::{Deserialize, Serialize};

/// A development path (发展路径).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PathKind {
    Software,
    Service,
    Learning,
    Si,
    Distributor,
}

impl PathKind {
    pub const ALL: [PathKind; 5] = [
        PathKind::Software,
        PathKind::Service,
        PathKind::Learning,
        PathKind::Si,
        PathKind::Distributor,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PathKind::Software => "software",
            PathKind::Service => "service",
            PathKind::Learning => "learning",
            PathKind::Si => "si",
            PathKind::Distributor => "distributor",
        }
    }

    pub fn parse(s: &str) -> Option<PathKind> {
        PathKind::ALL.into_iter().find(|p| p.code() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            PathKind::Software => "path.software",
            PathKind::Service => "path.service",
            PathKind::Learning => "path.learning",
            PathKind::Si => "path.si",
            PathKind::Distributor => "path.distributor",
        }
    }

    /// What the path brings, for the explore page.
    pub fn brings_key(self) -> &'static str {
        match self {
            PathKind::Software => "path.software.brings",
            PathKind::Service => "path.service.brings",
            PathKind::Learning => "path.learning.brings",
            PathKind::Si => "path.si.brings",
            PathKind::Distributor => "path.distributor.brings",
        }
    }

    /// Joined only through an operator's invitation (the distributor path).
    pub fn by_invitation(self) -> bool {
        self == PathKind::Distributor
    }

    /// The evidence a partner records for this path.
    pub fn evidence_kinds(self) -> &'static [EvidenceKind] {
        match self {
            PathKind::Software => &[EvidenceKind::Solution, EvidenceKind::Case],
            PathKind::Service => &[EvidenceKind::EmployeeCert, EvidenceKind::Case],
            PathKind::Learning => &[EvidenceKind::EmployeeCert, EvidenceKind::Course],
            PathKind::Si => &[EvidenceKind::Offering, EvidenceKind::Label],
            PathKind::Distributor => &[],
        }
    }
}

/// A certification stage of a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stage {
    /// 角色认证
    Role,
    /// 能力差异化认证
    Differentiation,
}

impl Stage {
    pub const ALL: [Stage; 2] = [Stage::Role, Stage::Differentiation];

    pub fn code(self) -> &'static str {
        match self {
            Stage::Role => "role",
            Stage::Differentiation => "differentiation",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|x| x.code() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Stage::Role => "path.stage.role",
            Stage::Differentiation => "path.stage.differentiation",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EvidenceKind {
    /// A certificate held by one of the partner's employees (a personal, real-name account).
    EmployeeCert,
    /// A delivered professional-service case.
    Case,
    /// A joint offering (联合解决方案).
    Offering,
    /// A capability label (能力标签).
    Label,
    /// A certified cloud-software solution.
    Solution,
    /// A course the partner developed.
    Course,
}

impl EvidenceKind {
    pub const ALL: [EvidenceKind; 6] = [
        EvidenceKind::EmployeeCert,
        EvidenceKind::Case,
        EvidenceKind::Offering,
        EvidenceKind::Label,
        EvidenceKind::Solution,
        EvidenceKind::Course,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EvidenceKind::EmployeeCert => "employee_cert",
            EvidenceKind::Case => "case",
            EvidenceKind::Offering => "offering",
            EvidenceKind::Label => "label",
            EvidenceKind::Solution => "solution",
            EvidenceKind::Course => "course",
        }
    }

    pub fn parse(s: &str) -> Option<EvidenceKind> {
        EvidenceKind::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            EvidenceKind::EmployeeCert => "evidence.employee_cert",
            EvidenceKind::Case => "evidence.case",
            EvidenceKind::Offering => "evidence.offering",
            EvidenceKind::Label => "evidence.label",
            EvidenceKind::Solution => "evidence.solution",
            EvidenceKind::Course => "evidence.course",
        }
    }
}

/// The state of evidence and of applications: an operator decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Pending,
    Approved,
    Rejected,
}

impl Decision {
    pub fn code(self) -> &'static str {
        match self {
            Decision::Pending => "pending",
            Decision::Approved => "approved",
            Decision::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Decision> {
        match s {
            "pending" => Some(Decision::Pending),
            "approved" => Some(Decision::Approved),
            "rejected" => Some(Decision::Rejected),
            _ => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Decision::Pending => "path.decision.pending",
            Decision::Approved => "path.decision.approved",
            Decision::Rejected => "path.decision.rejected",
        }
    }
}

/// What the requirements are computed from: the partner's approved evidence and real data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// Distinct real-name-verified employees, currently associated, holding approved certificates.
    pub certified_people: i64,
    /// Approved certificates those employees hold.
    pub certificates: i64,
    /// Approved cases delivered in the last 12 months.
    pub recent_cases: i64,
    pub offerings: i64,
    pub labels: i64,
    pub solutions: i64,
    pub courses: i64,
    /// The distributor's resellers (real partners in the system).
    pub resellers: i64,
}

/// One checklist item: what is needed and what the partner has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    /// i18n key of the item's text.
    pub key: String,
    pub needed: i64,
    pub have: i64,
}

impl Requirement {
    pub fn met(&self) -> bool {
        self.have >= self.needed
    }

    /// How many are missing (0 when met).
    pub fn missing(&self) -> i64 {
        (self.needed - self.have).max(0)
    }
}

fn item(key: &str, needed: i64, have: i64) -> Requirement {
    Requirement {
        key: key.to_string(),
        needed,
        have,
    }
}

/// The minimum requirements of a stage (the reference's where it gives them; this service's
/// decisions otherwise, documented in `paths/mod.rs`).
pub fn requirements(path: PathKind, stage: Stage, f: &Facts) -> Vec<Requirement> {
    use PathKind::*;
    use Stage::*;
    match (path, stage) {
        // "2人4证" and one professional-service case in the last 12 months.
        (Service, Role) => vec![
            item("req.people", 2, f.certified_people),
            item("req.certificates", 4, f.certificates),
            item("req.recent_cases", 1, f.recent_cases),
        ],
        (Service, Differentiation) => vec![
            item("req.people", 4, f.certified_people),
            item("req.certificates", 8, f.certificates),
            item("req.recent_cases", 3, f.recent_cases),
        ],
        // Any 1 joint offering or capability label; then ≥ 3 together with at least 2 labels.
        (Si, Role) => vec![item("req.offerings_or_labels", 1, f.offerings + f.labels)],
        (Si, Differentiation) => vec![
            item("req.offerings_or_labels", 3, f.offerings + f.labels),
            item("req.labels", 2, f.labels),
        ],
        (Software, Role) => vec![item("req.solutions", 1, f.solutions)],
        (Software, Differentiation) => vec![
            item("req.solutions", 2, f.solutions),
            item("req.recent_cases", 1, f.recent_cases),
        ],
        (Learning, Role) => vec![
            item("req.trainers", 2, f.certified_people),
            item("req.courses", 1, f.courses),
        ],
        (Learning, Differentiation) => vec![
            item("req.trainers", 4, f.certified_people),
            item("req.courses", 3, f.courses),
        ],
        (Distributor, Role) => vec![item("req.resellers", 1, f.resellers)],
        (Distributor, Differentiation) => vec![item("req.resellers", 5, f.resellers)],
    }
}

pub fn all_met(reqs: &[Requirement]) -> bool {
    reqs.iter().all(Requirement::met)
}

pub use crate::domain::{CST_OFFSET_MS, DAY_MS, day_start};

/// A review window's span: from the first instant of its first day to the last millisecond of
/// its last day, both inclusive.
pub fn window_span(first: chrono::NaiveDate, last: chrono::NaiveDate) -> Option<(i64, i64)> {
    (last >= first).then(|| (day_start(first), day_start(last) + DAY_MS - 1))
}

/// Whether `now` is inside a window.
pub fn window_open(starts_at: i64, ends_at: i64, now: i64) -> bool {
    starts_at <= now && now <= ends_at
}

/// The notice a review window calls for at `now`, for a partner that has not submitted its
/// review: none before it opens; `Open` once open; `Week` from 7 days before it closes (the
/// first instant of the 7th-last day); `Day` on its last day; `Closed` once it is over (the
/// stage is then withdrawn).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewNotice {
    Open,
    Week,
    Day,
    Closed,
}

impl ReviewNotice {
    pub fn at(starts_at: i64, ends_at: i64, now: i64) -> Option<ReviewNotice> {
        let close = ends_at + 1;
        Some(if now < starts_at {
            return None;
        } else if now >= close {
            ReviewNotice::Closed
        } else if now >= close - DAY_MS {
            ReviewNotice::Day
        } else if now >= close - 7 * DAY_MS {
            ReviewNotice::Week
        } else {
            ReviewNotice::Open
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            ReviewNotice::Open => "open",
            ReviewNotice::Week => "week",
            ReviewNotice::Day => "day",
            ReviewNotice::Closed => "closed",
        }
    }

    /// The message kind it is sent as.
    pub fn message(self) -> &'static str {
        match self {
            ReviewNotice::Open => "path.review_open",
            ReviewNotice::Week | ReviewNotice::Day => "path.review_closing",
            ReviewNotice::Closed => "path.review_missed",
        }
    }
}

/// Whole days left in a window, counting today (1 on the last day).
pub fn days_left(ends_at: i64, now: i64) -> i64 {
    if now > ends_at {
        0
    } else {
        (ends_at - now) / DAY_MS + 1
    }
}

/// A joined path as the home module and the detail page show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinedPath {
    pub path: PathKind,
    pub joined_at: i64,
    pub stages: Vec<StageView>,
}

impl JoinedPath {
    /// The highest active stage, if any.
    pub fn current(&self) -> Option<Stage> {
        self.stages
            .iter()
            .rev()
            .find(|s| s.certification.as_ref().is_some_and(|c| c.active))
            .map(|s| s.stage)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certification {
    /// Held: granted, not revoked, and still valid.
    pub active: bool,
    /// Its validity ended (without a review that extended it).
    pub expired: bool,
    pub certified_at: i64,
    pub valid_until: i64,
    pub revoked_reason: String,
}

#[cfg(feature = "ssr")]
crate::sql_text!(code: PathKind, Stage, EvidenceKind, Decision);

/// An application for a stage; a row decodes straight into it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Application {
    pub id: i64,
    pub partner_id: i64,
    pub partner_name: String,
    pub path: PathKind,
    pub stage: Stage,
    /// `Some(year)` for an annual review.
    pub review_year: Option<i64>,
    pub state: Decision,
    pub reason: String,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

/// A pending application in the operator's queue, with the partner's live requirement
/// checklist for its stage (what approved evidence and data show now).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuedApplication {
    #[serde(flatten)]
    pub application: Application,
    pub checklist: Vec<Requirement>,
}

/// One stage of a joined path: its checklist, certification and latest application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageView {
    pub stage: Stage,
    pub requirements: Vec<Requirement>,
    pub certification: Option<Certification>,
    pub latest: Option<Application>,
    /// Why `申请` is not offered now (an i18n key), or `None` when it is.
    pub blocked: Option<String>,
    /// An open review window covering this stage, while the stage is certified.
    pub review: Option<ReviewOpen>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewOpen {
    pub window_id: i64,
    pub year: i64,
    pub ends_at: i64,
    pub days_left: i64,
    /// A review application for this window is already pending or decided.
    pub submitted: Option<Decision>,
}

/// A piece of evidence; a row decodes straight into it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Evidence {
    pub id: i64,
    pub partner_id: i64,
    pub partner_name: String,
    pub path: PathKind,
    pub kind: EvidenceKind,
    pub title: String,
    pub holder: Option<String>,
    pub occurred_at: Option<i64>,
    pub state: Decision,
    pub reason: String,
    pub created_at: i64,
}

/// The path detail page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PathDetail {
    pub joined: JoinedPath,
    pub evidence: Vec<Evidence>,
    /// The partner's associated employees who may hold certificates: (user id, login, verified).
    pub employees: Vec<(i64, String, bool)>,
    /// Whether each associated employee may sit the service-partner exam (the exam is for
    /// people: each sits it with a personal account from the person's own page).
    pub exam: Vec<crate::employees::model::ExamEligibility>,
}

/// The explore page: each path, and whether and why the partner may select it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExploreItem {
    pub path: PathKind,
    pub joined: bool,
    /// Why `选择该路径` is not offered (an i18n key), or `None`.
    pub blocked: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewWindow {
    pub id: i64,
    pub year: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub covers: Vec<(PathKind, Stage)>,
    pub open: bool,
    /// Not opened yet: it may still be edited.
    #[serde(default)]
    pub upcoming: bool,
}

/// The distributor-path invitation page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationView {
    pub partner_name: String,
    pub expires_at: i64,
    /// Why the link cannot be used (an i18n key), or `None`.
    pub refusal: Option<String>,
}

/// A distributor-path invitation in the operator's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OperatorInvitation {
    pub id: i64,
    pub partner_id: i64,
    pub partner_name: String,
    pub email: String,
    /// `sent`, `used` or `cancelled` as stored; a sent one past `expires_at` has expired.
    pub state: String,
    pub expires_at: i64,
    pub created_at: i64,
    pub used_at: Option<i64>,
    /// Sent, not used, and past `expires_at` when listed.
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub expired: bool,
}

impl OperatorInvitation {
    /// The state's label key (`invite.state.*`).
    pub fn state_key(&self) -> &'static str {
        match self.state.as_str() {
            "used" => "invite.state.used",
            "cancelled" => "invite.state.cancelled",
            _ if self.expired => "invite.state.expired",
            _ => "invite.state.active",
        }
    }
}

/// Parses `service:role,si:differentiation`.
pub fn parse_covers(raw: &str) -> Result<Vec<(PathKind, Stage)>, &'static str> {
    let mut out = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (p, s) = part.split_once(':').ok_or("error.paths.window_covers")?;
        let pair = (
            PathKind::parse(p).ok_or("error.paths.window_covers")?,
            Stage::parse(s).ok_or("error.paths.window_covers")?,
        );
        if !out.contains(&pair) {
            out.push(pair);
        }
    }
    if out.is_empty() {
        return Err("error.paths.window_covers");
    }
    Ok(out)
}

pub fn format_covers(covers: &[(PathKind, Stage)]) -> String {
    covers
        .iter()
        .map(|(p, s)| format!("{}:{}", p.code(), s.code()))
        .collect::<Vec<_>>()
        .join(",")
}

/// Evidence text: 1 to 100 characters, no control characters.
pub fn parse_title(raw: &str) -> Result<String, &'static str> {
    let s = raw.trim();
    if s.is_empty() || s.chars().count() > 100 || s.chars().any(char::is_control) {
        return Err("error.paths.title");
    }
    Ok(s.to_string())
}

/// A decision's reason: required for a rejection, at most 200 characters.
pub fn parse_reason(raw: &str, approve: bool) -> Result<String, &'static str> {
    let s = raw.trim();
    if s.chars().count() > 200 || s.chars().any(|c| c.is_control() && c != '\n') {
        return Err("error.paths.reason");
    }
    if !approve && s.is_empty() {
        return Err("error.paths.reason_required");
    }
    Ok(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn facts() -> Facts {
        Facts::default()
    }

    #[test]
    fn review_notices_change_at_their_boundary_instants() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // A window from 2026-03-01 to 2026-03-31 (China time).
        let (start, end) = window_span(d(2026, 3, 1), d(2026, 3, 31)).unwrap();
        let at = |t| ReviewNotice::at(start, end, t);
        assert_eq!(at(start - 1), None);
        assert_eq!(at(start), Some(ReviewNotice::Open));
        let week = day_start(d(2026, 3, 25));
        assert_eq!(at(week - 1), Some(ReviewNotice::Open));
        assert_eq!(at(week), Some(ReviewNotice::Week));
        let last = day_start(d(2026, 3, 31));
        assert_eq!(at(last - 1), Some(ReviewNotice::Week));
        assert_eq!(at(last), Some(ReviewNotice::Day));
        assert_eq!(at(end), Some(ReviewNotice::Day));
        assert_eq!(at(end + 1), Some(ReviewNotice::Closed));
        assert_eq!(ReviewNotice::Closed.message(), "path.review_missed");
    }

    #[test]
    fn service_role_needs_two_people_four_certificates_and_a_recent_case() {
        let mut f = facts();
        f.certified_people = 2;
        f.certificates = 3;
        f.recent_cases = 1;
        let r = requirements(PathKind::Service, Stage::Role, &f);
        assert!(!all_met(&r));
        let certs = r.iter().find(|x| x.key == "req.certificates").unwrap();
        assert_eq!(certs.missing(), 1);
        f.certificates = 4;
        assert!(all_met(&requirements(PathKind::Service, Stage::Role, &f)));
        f.recent_cases = 0;
        assert!(!all_met(&requirements(PathKind::Service, Stage::Role, &f)));
    }

    #[test]
    fn si_differentiation_needs_three_with_two_labels() {
        let mut f = facts();
        f.offerings = 1;
        assert!(all_met(&requirements(PathKind::Si, Stage::Role, &f)));
        f.offerings = 3;
        f.labels = 1;
        assert!(!all_met(&requirements(
            PathKind::Si,
            Stage::Differentiation,
            &f
        )));
        f.offerings = 1;
        f.labels = 2;
        assert!(all_met(&requirements(
            PathKind::Si,
            Stage::Differentiation,
            &f
        )));
    }

    #[test]
    fn a_window_is_open_from_its_first_instant_to_its_last() {
        let first = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
        let (start, end) = window_span(first, last).unwrap();
        // 2024-06-01 00:00:00 China time is 2024-05-31 16:00:00 UTC.
        assert_eq!(
            start,
            chrono::DateTime::parse_from_rfc3339("2024-05-31T16:00:00Z")
                .unwrap()
                .timestamp_millis()
        );
        assert!(window_open(start, end, start));
        assert!(!window_open(start, end, start - 1000));
        assert!(window_open(start, end, end));
        assert!(window_open(start, end, end - 999));
        assert!(!window_open(start, end, end + 1000));
        assert_eq!(days_left(end, start), 30);
        assert_eq!(days_left(end, end - 1000), 1);
        assert_eq!(days_left(end, end + 1), 0);
        assert!(window_span(last, first).is_none());
    }

    #[test]
    fn covers_parse_and_print() {
        let c = parse_covers("service:role, si:differentiation,service:role").unwrap();
        assert_eq!(
            c,
            vec![
                (PathKind::Service, Stage::Role),
                (PathKind::Si, Stage::Differentiation)
            ]
        );
        assert_eq!(format_covers(&c), "service:role,si:differentiation");
        assert!(parse_covers("").is_err());
        assert!(parse_covers("service:gold").is_err());
    }

    #[test]
    fn a_rejection_needs_a_reason() {
        assert!(parse_reason("", false).is_err());
        assert_eq!(parse_reason(" 材料不全 ", false).unwrap(), "材料不全");
        assert!(parse_reason("", true).is_ok());
    }
}
