//! The openapi domain's texts. One row per key: the key, 简体中文, English.

pub const TEXT: &[(&str, &str, &str)] = &[
    ("keys.title", "访问密钥", "Access keys"),
    (
        "keys.hint",
        "访问密钥（AK/SK）用于以SDK-HMAC-SHA256签名调用开放API，每个用户最多2个。SK仅在创建时显示一次。",
        "Access keys (AK/SK) sign open API calls with SDK-HMAC-SHA256; at most 2 per user. The SK is shown once, when created.",
    ),
    ("keys.created", "访问密钥已创建", "Access key created"),
    (
        "keys.once",
        "请立即保存SK，关闭页面后将无法再次查看。",
        "Save the SK now: it cannot be shown again.",
    ),
    ("keys.description", "描述", "Description"),
    ("keys.create", "新增访问密钥", "Create access key"),
    ("keys.none", "暂无访问密钥", "No access keys"),
    ("keys.last_used", "最近使用", "Last used"),
    ("keys.active", "启用", "Enabled"),
    ("keys.disabled", "停用", "Disabled"),
    ("keys.enable", "启用", "Enable"),
    ("keys.disable", "停用", "Disable"),
    ("keys.delete", "删除", "Delete"),
    (
        "error.openapi.too_many_keys",
        "每个用户最多2个访问密钥，请先删除不用的密钥。",
        "At most 2 access keys per user; delete one first.",
    ),
    (
        "error.openapi.description",
        "描述最多64个字符。",
        "A description has at most 64 characters.",
    ),
    (
        "error.openapi.not_a_partner_user",
        "该账号不是伙伴账号。",
        "This account is not a partner user.",
    ),
    (
        "explorer.hint",
        "以当前登录身份调用开放API的每个接口（不在浏览器中签名），查看请求与响应。接口文档：",
        "Call each operation of the open API as the signed-in user (nothing is signed in the browser) and see the request and the response. Document:",
    ),
    ("explorer.operation", "接口", "Operation"),
    (
        "explorer.distributor_only",
        "仅总经销商",
        "Distributors only",
    ),
    (
        "explorer.client_token",
        "可选的幂等键：相同键与相同请求的重试不会重复变更；相同键用于不同请求将被拒绝",
        "optional idempotency key: a retry with the same key and request moves nothing twice; the same key with another request is refused",
    ),
    (
        "explorer.changes",
        "会变更资金或券",
        "Moves funds or vouchers",
    ),
    ("explorer.param", "参数", "Parameter"),
    ("explorer.type", "类型", "Type"),
    ("explorer.required", "必填", "Required"),
    ("explorer.body", "请求体（JSON）", "Body (JSON)"),
    ("explorer.query", "查询参数", "Query"),
    ("explorer.send", "发送请求", "Send"),
    (
        "explorer.confirm",
        "该接口会变更资金或券，确定以当前账号发送吗？",
        "This operation moves funds or vouchers. Send it as your account?",
    ),
    ("explorer.request", "请求", "Request"),
    ("explorer.response", "响应", "Response"),
    (
        "error.openapi.explorer_query",
        "查询参数格式不正确。",
        "The query is not well formed.",
    ),
];
