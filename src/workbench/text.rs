//! The workbench's texts. One row per key: the key, 简体中文, English.

#[rustfmt::skip]
pub const TEXT: &[(&str, &str, &str)] = &[
    ("workbench.todos", "待办事项", "To do"),
    ("workbench.all_clear", "暂无待办，一切就绪。", "Nothing needs you now."),
    ("workbench.figures", "关键数据", "Key figures"),
    ("workbench.todo.orders", "待伙伴代付的订单", "Orders waiting for you to pay"),
    ("workbench.todo.hos", "待处理的HO", "HOs to answer"),
    ("workbench.todo.plans_returned", "被驳回的计划申请", "Plan applications returned"),
    ("workbench.todo.paths_returned", "被驳回的认证申请", "Certification applications returned"),
    ("workbench.todo.reviews", "待提交的年度复核", "Annual reviews to submit"),
    ("workbench.todo.quotas_expiring", "30天内到期的额度", "Quotas expiring within 30 days"),
    ("workbench.todo.coupons_expiring", "30天内到期的代金券", "Coupons expiring within 30 days"),
    ("workbench.todo.member_invitations", "待接受的成员邀请", "Member invitations pending"),
    ("workbench.todo.employee_invitations", "待接受的员工邀请", "Employee invitations pending"),
    ("workbench.todo.unread", "未读消息", "Unread messages"),
    ("workbench.due.at", "最近截止：", "Nearest deadline: "),
    ("workbench.due.days", "剩余 {days} 天", "{days} day(s) left"),
    ("workbench.figure.available", "可用余额（元）", "Available balance (yuan)"),
    ("workbench.figure.allocated", "本月向客户拨款（元）", "Allocated to customers this month (yuan)"),
    ("workbench.figure.issued", "本月发放代金券（元）", "Coupons issued this month (yuan)"),
    ("workbench.figure.used", "本月代金券使用（元）", "Coupons used this month (yuan)"),
    ("workbench.figure.customers", "客户数", "Customers"),
    ("workbench.figure.resellers", "云经销商数", "Resellers"),
];
