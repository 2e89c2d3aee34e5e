//! The messages domain's texts. One row per key: the key, 简体中文, English.

pub const TEXT: &[(&str, &str, &str)] = &[
    ("messages.title", "消息中心", "Message Center"),
    ("messages.empty", "暂无消息", "No messages"),
    ("messages.filter", "阅读状态", "Read status"),
    ("messages.unread", "未读", "Unread"),
    ("messages.group", "消息类型", "Type"),
    ("messages.group.employee", "账号关联", "Account association"),
    ("messages.group.pce", "机会点", "Opportunities"),
    ("messages.read_all", "全部标记为已读", "Mark all as read"),
    ("messages.mark_read", "标记为已读", "Mark as read"),
    ("messages.new", "未读", "New"),
    ("messages.open", "查看详情", "Open"),
    (
        "msg.employee.invited.title",
        "{partner} 邀请您关联为项目专员",
        "{partner} invites you to be its project specialist",
    ),
    (
        "msg.employee.invited.body",
        "账号关联通知：点击链接查看邀请并接受或拒绝。",
        "Account association notice: open the link to view the invitation and accept or decline it.",
    ),
    (
        "msg.employee.accepted.title",
        "{person} 已接受项目专员邀请",
        "{person} accepted your invitation",
    ),
    (
        "msg.employee.accepted.body",
        "该个人账号现已关联为贵司的项目专员。",
        "The personal account is now associated with your company.",
    ),
    (
        "msg.employee.declined.title",
        "{person} 拒绝了项目专员邀请",
        "{person} declined your invitation",
    ),
    (
        "msg.employee.declined.body",
        "如需关联，可重新发送邀请。",
        "You may send a new invitation.",
    ),
    (
        "msg.employee.unbound.title",
        "{partner} 已与您解除关联",
        "{partner} ended your association",
    ),
    (
        "msg.employee.unbound.body",
        "您的个人账号已不再是该伙伴的项目专员。",
        "Your personal account is no longer associated with this partner.",
    ),
    (
        "msg.employee.cancelled.title",
        "{partner} 已取消项目专员邀请",
        "{partner} cancelled its invitation",
    ),
    (
        "msg.employee.cancelled.body",
        "该邀请已失效，无需处理。",
        "The invitation is no longer valid; nothing to do.",
    ),
    (
        "msg.pce.ho_shared.title",
        "华为云向您分享了机会点：{customer}",
        "Huawei Cloud shared an opportunity with you: {customer}",
    ),
    (
        "msg.pce.ho_shared.body",
        "请在3个工作日内接受或拒绝，逾期视为拒绝并收回。",
        "Accept or reject it within 3 business days; after that it counts as rejected and is taken back.",
    ),
    ("messages.group.order", "订单", "Orders"),
    (
        "msg.order.requested.title",
        "客户 {customer} 申请伙伴代付订单 {number}",
        "{customer} asks you to pay order {number}",
    ),
    (
        "msg.order.requested.body",
        "金额 {amount} 元。请在“客户订单 > 待付订单”中支付或拒绝。",
        "Amount {amount} yuan. Pay or reject it under Customer orders > Awaiting payment.",
    ),
    (
        "msg.order.submitted.title",
        "已提交伙伴代付申请：订单 {number}",
        "Partner payment requested: order {number}",
    ),
    (
        "msg.order.submitted.body",
        "金额 {amount} 元。合作伙伴支付前，您可以取消订单或自行继续支付。",
        "Amount {amount} yuan. Until your partner pays you may cancel the order or pay it yourself.",
    ),
    (
        "msg.order.paid.title",
        "合作伙伴已支付订单 {number}",
        "Your partner paid order {number}",
    ),
    (
        "msg.order.paid.body",
        "订单已支付完成。",
        "The order is paid.",
    ),
    (
        "msg.order.rejected.title",
        "合作伙伴拒绝代付订单 {number}",
        "Your partner declined to pay order {number}",
    ),
    (
        "msg.order.rejected.body",
        "原因：{reason}。您可以在“我的订单 > 待支付”中自行支付或取消。",
        "Reason: {reason}. Pay it yourself or cancel it under My orders > Unpaid.",
    ),
    (
        "msg.order.refunded.title",
        "客户 {customer} 退订了您代付的订单 {number}",
        "{customer} unsubscribed order {number}, which you paid",
    ),
    (
        "msg.order.refunded.body",
        "退款已退回贵司账户。",
        "The refund went back to your account.",
    ),
    ("messages.group.customer", "客户关联", "Customers"),
    (
        "msg.customer.associated.title",
        "新客户已关联：{customer}",
        "New customer: {customer}",
    ),
    (
        "msg.customer.associated.body",
        "客户 {customer} 已接受邀请，以{mode}模式与您建立关联。",
        "{customer} accepted your invitation and is now your customer ({mode}).",
    ),
    (
        "msg.customer.unbind_requested.title",
        "{partner} 申请与您解除关联",
        "{partner} asks to disassociate",
    ),
    (
        "msg.customer.unbind_requested.body",
        "合作伙伴 {partner} 申请与您解除关联，请在“我的合作伙伴”中确认或拒绝。",
        "Your partner {partner} asks to disassociate; confirm or decline under My partner.",
    ),
    (
        "msg.customer.unbound.title",
        "客户 {customer} 已解除关联",
        "{customer} disassociated",
    ),
    (
        "msg.customer.unbound.body",
        "客户 {customer} 已确认解除关联，其余额已退回您的账户，可用优惠券已自动回收。",
        "{customer} confirmed the disassociation; its balance returned to your account and its usable coupons were reclaimed.",
    ),
    (
        "msg.customer.unbind_declined.title",
        "客户 {customer} 拒绝解除关联",
        "{customer} declined to disassociate",
    ),
    (
        "msg.customer.unbind_declined.body",
        "客户 {customer} 拒绝了您的解除关联申请，关联关系保持不变。",
        "{customer} declined your disassociation request; the association stays.",
    ),
    (
        "msg.path.evidence_approved.title",
        "认证材料已通过审核：{item}",
        "Evidence approved: {item}",
    ),
    (
        "msg.path.evidence_approved.body",
        "您提交的认证材料“{item}”已通过审核，已计入发展路径的认证要求。",
        "Your evidence \"{item}\" was approved and now counts toward the path's requirements.",
    ),
    (
        "msg.path.evidence_rejected.title",
        "认证材料未通过审核：{item}",
        "Evidence rejected: {item}",
    ),
    (
        "msg.path.evidence_rejected.body",
        "您提交的认证材料“{item}”未通过审核。原因：{reason}",
        "Your evidence \"{item}\" was rejected. Reason: {reason}",
    ),
    (
        "msg.path.application_approved.title",
        "认证申请已通过：{item}",
        "Certification approved: {item}",
    ),
    (
        "msg.path.application_approved.body",
        "恭喜，您的{item}申请已通过，认证有效期一年。",
        "Your application for {item} was approved; the certification is valid for a year.",
    ),
    (
        "msg.path.application_rejected.title",
        "认证申请已驳回：{item}",
        "Certification rejected: {item}",
    ),
    (
        "msg.path.application_rejected.body",
        "您的{item}申请已驳回。原因：{reason}。补充材料后可重新申请。",
        "Your application for {item} was rejected. Reason: {reason}. You may fix it and apply again.",
    ),
    (
        "msg.path.review_passed.title",
        "年度复核已通过：{item}",
        "Annual review passed: {item}",
    ),
    (
        "msg.path.review_passed.body",
        "您的{item}年度复核已通过，认证有效期延长一年。",
        "Your annual review of {item} passed; the certification is extended by a year.",
    ),
    (
        "msg.path.review_failed.title",
        "年度复核未通过，认证已撤销：{item}",
        "Annual review failed, certification revoked: {item}",
    ),
    (
        "msg.path.review_failed.body",
        "您的{item}年度复核未通过，认证已撤销。原因：{reason}",
        "Your annual review of {item} failed and the certification was revoked. Reason: {reason}",
    ),
    ("messages.group.path", "发展路径", "Development paths"),
    (
        "error.messages.group",
        "未知的消息类型。",
        "Unknown message type.",
    ),
];
