//! Errors every domain may answer with (sign-in, permissions, busy, malformed input). One row per key: the key, 简体中文, English.

pub const TEXT: &[(&str, &str, &str)] = &[
    (
        "error.bad_request",
        "请求格式不正确，请检查后重试。",
        "The request is malformed. Check it and try again.",
    ),
    (
        "error.unauthenticated",
        "请先登录。",
        "Please log in first.",
    ),
    (
        "error.forbidden",
        "您无权访问此页面或执行此操作。",
        "You are not allowed to open this page or do this.",
    ),
    (
        "error.not_found",
        "请求的内容不存在。",
        "It does not exist.",
    ),
    ("error.page_not_found", "页面不存在。", "Page not found."),
    (
        "error.bad_credentials",
        "账号名或密码错误。",
        "Wrong account name or password.",
    ),
    (
        "error.too_many_attempts",
        "登录失败次数过多，请1分钟后再试。",
        "Too many failed attempts. Try again in a minute.",
    ),
    (
        "error.cross_origin",
        "请求来源不合法，已拒绝。",
        "Request refused: it did not come from this site.",
    ),
    (
        "error.busy",
        "系统繁忙，请稍后重试，本次操作未生效。",
        "The system is busy. Nothing was changed; please try again.",
    ),
    (
        "error.network",
        "网络异常，请检查网络后重试。",
        "Network error. Check your connection and try again.",
    ),
    (
        "error.internal",
        "系统内部错误，请稍后重试。",
        "Internal error. Please try again later.",
    ),
    (
        "error.account_name.required",
        "请输入账号名。",
        "Enter an account name.",
    ),
    (
        "error.account_name.too_long",
        "账号名不能超过64个字符。",
        "Account names are at most 64 characters.",
    ),
    (
        "error.account_name.too_short",
        "账号名至少3个字符。",
        "Account names are at least 3 characters.",
    ),
    (
        "error.account_name.chars",
        "账号名只能包含字母、数字和 _ - . @，且以字母或数字开头。",
        "Account names use letters, digits and _ - . @ and start with a letter or digit.",
    ),
    (
        "error.account_name.taken",
        "该账号名已被使用。",
        "That account name is already taken.",
    ),
    ("error.name.required", "请输入名称。", "Enter a name."),
    (
        "error.name.too_long",
        "名称不能超过100个字符。",
        "Names are at most 100 characters.",
    ),
    (
        "error.name.chars",
        "名称不能包含控制字符。",
        "Names cannot contain control characters.",
    ),
    (
        "error.password.required",
        "请输入密码。",
        "Enter a password.",
    ),
    (
        "error.password.too_short",
        "密码至少8个字符。",
        "Passwords are at least 8 characters.",
    ),
    (
        "error.password.too_long",
        "密码过长。",
        "The password is too long.",
    ),
    (
        "error.password.weak",
        "密码需包含字母、数字、符号中的至少两种。",
        "Use at least two of: letters, digits, symbols.",
    ),
    (
        "error.partner.parent_required",
        "云经销商必须指定所属总经销商。",
        "A cloud reseller needs its distributor.",
    ),
    (
        "error.partner.parent_only_reseller",
        "只有云经销商可以指定所属总经销商。",
        "Only cloud resellers have a parent distributor.",
    ),
    (
        "error.partner.parent_not_distributor",
        "所属伙伴不是总经销商。",
        "The parent partner is not a distributor.",
    ),
    (
        "error.partner.parent_not_found",
        "所属总经销商不存在。",
        "The parent distributor does not exist.",
    ),
    (
        "error.partner.not_found",
        "合作伙伴不存在。",
        "The partner does not exist.",
    ),
    (
        "error.date.format",
        "日期格式不正确，请使用 YYYY-MM-DD。",
        "Invalid date; use YYYY-MM-DD.",
    ),
    (
        "error.partner.email",
        "邮箱地址不正确。",
        "Invalid email address.",
    ),
    (
        "error.partner.phone",
        "手机号码不正确。",
        "Invalid phone number.",
    ),
    (
        "error.export.too_many",
        "符合条件的记录超过 50000 条，无法导出为一个完整的文件。请缩小时间范围或筛选条件后再导出。",
        "More than 50 000 records match: too many for one complete file. Narrow the dates or filters and export again.",
    ),
];
