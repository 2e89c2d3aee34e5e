//! Messages as the reader sees them, and how their text is made.

use crate::i18n::{Lang, has};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The kinds of notice, each with `msg.<kind>.title` and `msg.<kind>.body` texts.
pub const KINDS: [&str; 45] = [
    "employee.invited",
    "employee.accepted",
    "employee.declined",
    "employee.unbound",
    "employee.cancelled",
    "pce.ho_shared",
    "pce.ho_expiring",
    "pce.ho_expired",
    "order.requested",
    "order.submitted",
    "order.paid",
    "order.rejected",
    "order.refunded",
    "order.auto_cancelled",
    "customer.associated",
    "customer.unbind_requested",
    "customer.unbound",
    "customer.unbind_declined",
    "customer.contract_approved",
    "customer.contract_rejected",
    "path.evidence_approved",
    "path.evidence_rejected",
    "path.application_approved",
    "path.application_rejected",
    "path.review_passed",
    "path.review_failed",
    "path.certification_expired",
    "path.review_open",
    "path.review_closing",
    "path.review_missed",
    "voucher.quota_lapsed",
    "voucher.quota_granted",
    "voucher.quota_status",
    "voucher.coupon_issued",
    "voucher.coupon_reclaimed",
    "voucher.coupon_expiring",
    "funds.low_balance",
    "funds.allocated",
    "funds.reclaimed",
    "plan.approved",
    "plan.rejected",
    "plan.certificate_revoked",
    "hcpn.approved",
    "hcpn.rejected",
    "member.role_changed",
];

/// One message in the reader's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub id: i64,
    pub kind: String,
    pub params: BTreeMap<String, String>,
    pub link: Option<String>,
    pub created_at: i64,
    pub read: bool,
}

/// A parameter that is a message key (a path's or stage's name, a reason the product wrote)
/// is shown in the reader's language.
fn fill(lang: Lang, key: &str, params: &BTreeMap<String, String>) -> String {
    crate::i18n::fill(
        lang,
        key,
        params
            .iter()
            .map(|(k, v)| (k.as_str(), crate::i18n::text_or_key(lang, v))),
    )
}

impl Message {
    pub fn title(&self, lang: Lang) -> String {
        let key = format!("msg.{}.title", self.kind);
        if has(&key) {
            fill(lang, &key, &self.params)
        } else {
            self.kind.clone()
        }
    }

    pub fn body(&self, lang: Lang) -> String {
        let key = format!("msg.{}.body", self.kind);
        if has(&key) {
            fill(lang, &key, &self.params)
        } else {
            String::new()
        }
    }

    /// The filter group a message belongs to.
    pub fn group(&self) -> Option<Group> {
        Group::of(&self.kind)
    }
}

/// The message center's type filter. Every kind in [`KINDS`] belongs to exactly one group: the
/// part of the kind before the first dot names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Group {
    Employee,
    Pce,
    Order,
    Customer,
    Path,
    Voucher,
    Funds,
    Plan,
    Hcpn,
    Member,
}

impl Group {
    pub const ALL: [Group; 10] = [
        Group::Employee,
        Group::Pce,
        Group::Order,
        Group::Customer,
        Group::Path,
        Group::Voucher,
        Group::Funds,
        Group::Plan,
        Group::Hcpn,
        Group::Member,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Group::Employee => "employee",
            Group::Pce => "pce",
            Group::Order => "order",
            Group::Customer => "customer",
            Group::Path => "path",
            Group::Voucher => "voucher",
            Group::Funds => "funds",
            Group::Plan => "plan",
            Group::Hcpn => "hcpn",
            Group::Member => "member",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Group::Employee => "messages.group.employee",
            Group::Pce => "messages.group.pce",
            Group::Order => "messages.group.order",
            Group::Customer => "messages.group.customer",
            Group::Path => "messages.group.path",
            Group::Voucher => "messages.group.voucher",
            Group::Funds => "messages.group.funds",
            Group::Plan => "messages.group.plan",
            Group::Hcpn => "messages.group.hcpn",
            Group::Member => "messages.group.member",
        }
    }

    /// A filter as a link or form sends it: empty is every group, an unknown one is refused.
    pub fn parse(s: &str) -> Result<Option<Group>, &'static str> {
        match s.trim() {
            "" => Ok(None),
            s => Group::ALL
                .into_iter()
                .find(|g| g.code() == s)
                .map(Some)
                .ok_or("error.messages.group"),
        }
    }

    /// The group of a message kind.
    pub fn of(kind: &str) -> Option<Group> {
        let prefix = kind.split('.').next()?;
        Group::ALL.into_iter().find(|g| g.code() == prefix)
    }

    /// The kinds in this group.
    pub fn kinds(self) -> impl Iterator<Item = &'static str> {
        KINDS
            .into_iter()
            .filter(move |k| Group::of(k) == Some(self))
    }
}

/// Notices that have an email of their own (written for the occasion, with its details), so
/// they are not also mailed as a plain notice.
pub const OWN_EMAIL: [&str; 2] = ["order.requested", "funds.low_balance"];

/// Notices that have an SMS of their own (`sms.order.partner_pay`).
pub const OWN_SMS: [&str; 1] = ["order.requested"];

/// Every category may go by SMS; these do unless the reader turns it off (the others only when
/// the reader turns it on): what must be acted on soon — orders to pay, HOs about to lapse.
pub const SMS_BY_DEFAULT: [Group; 2] = [Group::Order, Group::Pce];

/// The longest title an SMS carries (a template variable has a bounded length); a longer one is
/// cut with `…`.
pub const SMS_TITLE_CHARS: usize = 35;

impl Message {
    /// The notice as an SMS in `lang`: its text for the record (`sms.notice`: the title and where
    /// to read the rest) and the template's one parameter, the title. Each kind is sent by the
    /// template `msg.<kind>`, or the general `notice` one (`PC_SMS_TEMPLATES`).
    pub fn sms(&self, lang: Lang) -> (String, Vec<String>) {
        let full = self.title(lang);
        let title = if full.chars().count() > SMS_TITLE_CHARS {
            let mut cut: String = full.chars().take(SMS_TITLE_CHARS - 1).collect();
            cut.push('…');
            cut
        } else {
            full
        };
        let text = crate::i18n::fill(lang, "sms.notice", [("title", title.as_str())]);
        (text, vec![title])
    }
}

/// Which channels a user wants for one category of notice, besides the message center.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pref {
    pub category: Group,
    pub email: bool,
    pub sms: bool,
}

/// Which messages to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Filter {
    All,
    Unread,
}

impl Filter {
    pub fn parse(s: &str) -> Filter {
        if s == "unread" {
            Filter::Unread
        } else {
            Filter::All
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_both_texts_in_both_languages() {
        for kind in KINDS {
            for part in ["title", "body"] {
                assert!(has(&format!("msg.{kind}.{part}")), "{kind}.{part}");
            }
        }
    }

    #[test]
    fn parameters_fill_the_text_and_nothing_else() {
        let m = Message {
            id: 1,
            kind: "employee.invited".into(),
            params: [("partner".to_string(), "<b>华南云</b>".to_string())].into(),
            link: None,
            created_at: 0,
            read: false,
        };
        assert!(m.title(Lang::Zh).contains("<b>华南云</b>"));
        assert!(!m.title(Lang::Zh).contains("{partner}"));
        assert_eq!(m.group(), Some(Group::Employee));
    }

    #[test]
    fn parameters_the_product_wrote_as_keys_read_in_the_readers_language() {
        let m = Message {
            id: 1,
            kind: "path.review_missed".into(),
            params: [
                ("path", "path.service"),
                ("stage", "path.stage.role"),
                ("reason", "path.end.review_missed"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
            link: None,
            created_at: 0,
            read: false,
        };
        let (zh, en) = (m.title(Lang::Zh), m.title(Lang::En));
        assert!(
            zh.contains(crate::i18n::t(Lang::Zh, "path.service")),
            "{zh}"
        );
        assert!(
            en.contains(crate::i18n::t(Lang::En, "path.service")),
            "{en}"
        );
        assert!(!en.contains("path.service"), "{en}");
        assert!(m.body(Lang::En).contains("no annual review was submitted"));
        assert!(m.body(Lang::Zh).contains("未在年度复核窗口内提交复核"));
    }

    fn notice(kind: &str, pairs: &[(&str, &str)]) -> Message {
        Message {
            id: 1,
            kind: kind.into(),
            params: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            link: None,
            created_at: 0,
            read: false,
        }
    }

    #[test]
    fn decisions_name_the_path_and_stage_in_the_readers_language() {
        let m = notice(
            "path.application_rejected",
            &[
                ("path", "path.service"),
                ("stage", "path.stage.role"),
                ("reason", "材料不全"),
            ],
        );
        assert_eq!(
            m.title(Lang::En),
            "Certification rejected: Service partner path · Role certification"
        );
        assert_eq!(
            m.title(Lang::Zh),
            "认证申请已驳回：服务合作伙伴发展路径 · 角色认证"
        );
        assert!(m.body(Lang::En).contains("Reason: 材料不全"));
    }

    #[test]
    fn a_notice_goes_by_sms_as_its_title_within_the_templates_bound() {
        let m = notice(
            "funds.allocated",
            &[("amount", "5.00"), ("balance", "9.00")],
        );
        let (text, values) = m.sms(Lang::En);
        assert_eq!(values, ["5.00 yuan credited to your account"]);
        assert_eq!(
            text,
            "[Huawei Cloud] 5.00 yuan credited to your account. Sign in to the Huawei Cloud Partner Center for details."
        );
        assert!(
            m.sms(Lang::Zh)
                .0
                .starts_with("【华为云】账户到账 5.00 元。")
        );
        let plan = "很长的计划名称".repeat(10);
        let long = notice("plan.approved", &[("plan", plan.as_str())]);
        let (_, values) = long.sms(Lang::Zh);
        assert_eq!(values[0].chars().count(), SMS_TITLE_CHARS);
        assert!(values[0].ends_with('…'), "{}", values[0]);
        assert!(
            long.title(Lang::Zh)
                .starts_with(&values[0][..values[0].len() - '…'.len_utf8()])
        );
    }

    #[test]
    fn every_kind_belongs_to_exactly_one_group() {
        for kind in KINDS {
            let groups: Vec<Group> = Group::ALL
                .into_iter()
                .filter(|g| g.kinds().any(|k| k == kind))
                .collect();
            assert_eq!(groups.len(), 1, "{kind}: {groups:?}");
        }
        let all: usize = Group::ALL.into_iter().map(|g| g.kinds().count()).sum();
        assert_eq!(all, KINDS.len());
        for g in Group::ALL {
            assert!(g.kinds().count() > 0, "{g:?} filters nothing");
            assert_eq!(Group::parse(g.code()), Ok(Some(g)));
            assert!(has(g.label_key()), "{g:?}");
        }
        assert_eq!(Group::parse(""), Ok(None));
        assert_eq!(Group::parse("pcex"), Err("error.messages.group"));
    }
}
