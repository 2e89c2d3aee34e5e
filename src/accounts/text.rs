//! The accounts domain's texts. One row per key: the key, 简体中文, English.

#[rustfmt::skip]
pub const TEXT: &[(&str, &str, &str)] = &[
    ("login.title", "登录", "Log In"),
    ("login.account", "账号名", "Account name"),
    ("login.password", "密码", "Password"),
    ("login.submit", "登录", "Log In"),
    ("personal.title", "我的企业关联", "My company association"),
    ("personal.accepted", "已接受邀请，您现在是该伙伴的项目专员。", "Invitation accepted: you are now this partner's project specialist."),
    ("personal.accept", "接受", "Accept"),
    ("personal.decline", "拒绝", "Decline"),
    ("personal.empty", "暂无关联邀请", "No association invitations"),
];
