//! The operations of the open API as data: method, path, parameters and response fields, as the
//! SDK's models (`huaweicloudsdkbss` 3.1.219, `v2/model/*.py`) name them. The OpenAPI 3 document
//! (`/openapi.json`) and the API Explorer are generated from this table, so they cannot drift
//! from each other; `tests/it/sdk.rs` checks the table against the routes the server answers.

/// A parameter's type. Amounts are `Number`: exact decimals with at most 2 places, sent as JSON
/// numbers (or strings) and never read through a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Str,
    Int,
    Number,
    StrList,
    IntList,
}

#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
}

/// A response field's shape.
#[derive(Debug, Clone, Copy)]
pub enum Out {
    Str,
    Int,
    Number,
    Strings,
    Objects(&'static [(&'static str, Out)]),
}

#[derive(Debug, Clone, Copy)]
pub struct Operation {
    /// The SDK's method name.
    pub name: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub title_zh: &'static str,
    pub title_en: &'static str,
    /// Moves money or vouchers: a replayed signature is refused, the explorer asks first.
    pub changes: bool,
    pub distributor_only: bool,
    /// The status of a successful answer.
    pub status: u16,
    /// In the JSON body for POST, in the query for GET.
    pub params: &'static [Param],
    /// What the explorer fills in: a JSON body for POST, a query string for GET.
    pub example: &'static str,
    pub response: &'static [(&'static str, Out)],
}

impl Operation {
    pub fn in_body(&self) -> bool {
        self.method == "POST"
    }
}

const fn p(name: &'static str, ty: Ty) -> Param {
    Param {
        name,
        ty,
        required: false,
    }
}

const fn req(name: &'static str, ty: Ty) -> Param {
    Param {
        name,
        ty,
        required: true,
    }
}

const LIMIT_INFO: &[(&str, Out)] = &[("limit_key", Out::Str), ("limit_values", Out::Strings)];

const QUOTA: &[(&str, Out)] = &[
    ("quota_id", Out::Str),
    ("quota_type", Out::Int),
    ("create_time", Out::Str),
    ("last_update_time", Out::Str),
    ("quota_value", Out::Number),
    ("quota_status", Out::Int),
    ("balance", Out::Number),
    ("measure_id", Out::Int),
    ("currency", Out::Str),
    ("effective_time", Out::Str),
    ("expire_time", Out::Str),
    ("limit_infos", Out::Objects(LIMIT_INFO)),
];

const ISSUED_QUOTA: &[(&str, Out)] = &[
    ("quota_id", Out::Str),
    ("quota_type", Out::Int),
    ("create_time", Out::Str),
    ("last_update_time", Out::Str),
    ("quota_value", Out::Number),
    ("quota_status", Out::Int),
    ("balance", Out::Number),
    ("measure_id", Out::Int),
    ("currency", Out::Str),
    ("effective_time", Out::Str),
    ("expire_time", Out::Str),
    ("limit_infos", Out::Objects(LIMIT_INFO)),
    ("indirect_partner_id", Out::Str),
    ("indirect_partner_name", Out::Str),
    ("indirect_partner_account_name", Out::Str),
    ("parent_quota_id", Out::Str),
];

const ERROR_DETAILS: (&str, Out) = (
    "error_details",
    Out::Objects(&[
        ("id", Out::Str),
        ("error_code", Out::Str),
        ("error_msg", Out::Str),
    ]),
);

const TIMES: [Param; 6] = [
    p("create_time_begin", Ty::Str),
    p("create_time_end", Ty::Str),
    p("effective_time_begin", Ty::Str),
    p("effective_time_end", Ty::Str),
    p("expire_time_begin", Ty::Str),
    p("expire_time_end", Ty::Str),
];

pub const OPERATIONS: &[Operation] = &[
    Operation {
        name: "update_indirect_partner_account",
        method: "POST",
        path: "/v2/accounts/partner-accounts/indirect-partner-adjust",
        title_zh: "向云经销商账户拨款",
        title_en: "Allocate funds to a reseller",
        changes: true,
        distributor_only: true,
        status: 200,
        params: &[
            req("indirect_partner_id", Ty::Str),
            req("amount", Ty::Number),
        ],
        example: r#"{"indirect_partner_id": "", "amount": 10.00}"#,
        response: &[("transfer_id", Out::Str)],
    },
    Operation {
        name: "reclaim_indirect_partner_account",
        method: "POST",
        path: "/v2/accounts/partner-accounts/indirect-partner-reclaim",
        title_zh: "回收云经销商账户拨款",
        title_en: "Reclaim funds from a reseller",
        changes: true,
        distributor_only: true,
        status: 200,
        params: &[
            req("indirect_partner_id", Ty::Str),
            req("amount", Ty::Number),
        ],
        example: r#"{"indirect_partner_id": "", "amount": 10.00}"#,
        response: &[("trans_id", Out::Str)],
    },
    Operation {
        name: "list_indirect_partners",
        method: "POST",
        path: "/v2/partners/indirect-partners/query",
        title_zh: "查询云经销商列表",
        title_en: "List resellers",
        changes: false,
        distributor_only: true,
        status: 200,
        params: &[
            p("account_name", Ty::Str),
            p("associated_on_begin", Ty::Str),
            p("associated_on_end", Ty::Str),
            p("offset", Ty::Int),
            p("limit", Ty::Int),
            p("indirect_partner_id", Ty::Str),
        ],
        example: r#"{"offset": 0, "limit": 10}"#,
        response: &[
            ("count", Out::Int),
            (
                "indirect_partners",
                Out::Objects(&[
                    ("indirect_partner_id", Out::Str),
                    ("account_name", Out::Str),
                    ("name", Out::Str),
                    ("email", Out::Str),
                    ("associated_on", Out::Str),
                ]),
            ),
        ],
    },
    Operation {
        name: "list_partner_balances",
        method: "GET",
        path: "/v2/accounts/partner-accounts/balances",
        title_zh: "查询(云经销商)账户余额",
        title_en: "Account balances (of a reseller)",
        changes: false,
        distributor_only: false,
        status: 200,
        params: &[p("indirect_partner_id", Ty::Str)],
        example: "",
        response: &[(
            "account_balances",
            Out::Objects(&[
                ("account_id", Out::Str),
                ("account_type", Out::Int),
                ("amount", Out::Number),
                ("currency", Out::Str),
                ("designated_amount", Out::Number),
                ("credit_amount", Out::Number),
                ("measure_id", Out::Int),
                ("memo", Out::Str),
            ]),
        )],
    },
    Operation {
        name: "list_partner_adjust_records",
        method: "GET",
        path: "/v3/accounts/partner-accounts/adjust-records",
        title_zh: "查询调账记录",
        title_en: "Adjustment records",
        changes: false,
        distributor_only: false,
        status: 200,
        params: &[
            p("customer_id", Ty::Str),
            p("operation_type", Ty::Str),
            p("operation_time_begin", Ty::Str),
            p("operation_time_end", Ty::Str),
            p("trans_id", Ty::Str),
            p("offset", Ty::Int),
            p("limit", Ty::Int),
            p("indirect_partner_id", Ty::Str),
        ],
        example: "offset=0&limit=10",
        response: &[
            ("total_count", Out::Int),
            (
                "records",
                Out::Objects(&[
                    ("customer_id", Out::Str),
                    ("customer_name", Out::Str),
                    ("operation_type", Out::Str),
                    ("amount", Out::Str),
                    ("currency", Out::Str),
                    ("apply_scene", Out::Str),
                    ("operation_time", Out::Str),
                    ("measure_id", Out::Int),
                    ("trans_id", Out::Str),
                    ("memo", Out::Str),
                ]),
            ),
        ],
    },
    Operation {
        name: "update_customer_account_amount",
        method: "POST",
        path: "/v2/accounts/partner-accounts/adjust-amount",
        title_zh: "向客户账户拨款",
        title_en: "Allocate funds to a customer",
        changes: true,
        distributor_only: false,
        status: 200,
        params: &[
            req("customer_id", Ty::Str),
            req("amount", Ty::Number),
            p("indirect_partner_id", Ty::Str),
        ],
        example: r#"{"customer_id": "", "amount": 10.00}"#,
        response: &[("transfer_id", Out::Str)],
    },
    Operation {
        name: "reclaim_to_partner_account",
        method: "POST",
        path: "/v2/accounts/partner-accounts/reclaim",
        title_zh: "回收客户账户余额",
        title_en: "Reclaim a customer's balance",
        changes: true,
        distributor_only: false,
        status: 200,
        params: &[
            req("customer_id", Ty::Str),
            req("amount", Ty::Number),
            p("indirect_partner_id", Ty::Str),
        ],
        example: r#"{"customer_id": "", "amount": 10.00}"#,
        response: &[("trans_id", Out::Str)],
    },
    Operation {
        name: "list_sub_customers",
        method: "POST",
        path: "/v2/partners/sub-customers/query",
        title_zh: "查询客户列表",
        title_en: "List customers",
        changes: false,
        distributor_only: false,
        status: 200,
        params: &[
            p("account_name", Ty::Str),
            p("customer", Ty::Str),
            p("offset", Ty::Int),
            p("limit", Ty::Int),
            p("label", Ty::Str),
            p("association_type", Ty::Str),
            p("associated_on_begin", Ty::Str),
            p("associated_on_end", Ty::Str),
            p("customer_id", Ty::Str),
            p("indirect_partner_id", Ty::Str),
        ],
        example: r#"{"offset": 0, "limit": 10}"#,
        response: &[
            ("count", Out::Int),
            (
                "customer_infos",
                Out::Objects(&[
                    ("customer", Out::Str),
                    ("account_name", Out::Str),
                    ("customer_id", Out::Str),
                    ("associated_on", Out::Str),
                    ("association_type", Out::Str),
                    ("label", Out::Str),
                    ("customer_type", Out::Int),
                    ("is_frozen", Out::Int),
                ]),
            ),
        ],
    },
    Operation {
        name: "update_coupon_quotas",
        method: "POST",
        path: "/v2/partners/coupon-quotas/indirect-partner-adjust",
        title_zh: "向云经销商发放代金券额度",
        title_en: "Give resellers a coupon quota",
        changes: true,
        distributor_only: true,
        status: 200,
        params: &[
            req("quota_id", Ty::Str),
            req("indirect_partner_ids", Ty::StrList),
            req("quota_amount", Ty::Number),
        ],
        example: r#"{"quota_id": "", "indirect_partner_ids": [""], "quota_amount": 100.00}"#,
        response: &[
            ERROR_DETAILS,
            (
                "simple_quota_infos",
                Out::Objects(&[("id", Out::Str), ("quota_id", Out::Str)]),
            ),
        ],
    },
    Operation {
        name: "reclaim_coupon_quotas",
        method: "POST",
        path: "/v2/partners/coupon-quotas/indirect-partner-reclaim",
        title_zh: "回收云经销商的代金券额度",
        title_en: "Take back resellers' coupon quotas",
        changes: true,
        distributor_only: true,
        status: 200,
        params: &[req("quota_ids", Ty::StrList), p("remark", Ty::Str)],
        example: r#"{"quota_ids": [""]}"#,
        response: &[
            ERROR_DETAILS,
            (
                "simple_quota_infos",
                Out::Objects(&[("quota_id", Out::Str), ("quota_balance", Out::Number)]),
            ),
        ],
    },
    Operation {
        name: "list_issued_coupon_quotas",
        method: "GET",
        path: "/v2/partners/issued-coupon-quotas",
        title_zh: "查询已发放的代金券额度",
        title_en: "Coupon quotas given to resellers",
        changes: false,
        distributor_only: true,
        status: 200,
        params: &[
            p("quota_id", Ty::Str),
            p("indirect_partner_id", Ty::Str),
            p("parent_quota_id", Ty::Str),
            p("offset", Ty::Int),
            p("limit", Ty::Int),
        ],
        example: "offset=0&limit=10",
        response: &[
            ("total_count", Out::Int),
            ("quotas", Out::Objects(ISSUED_QUOTA)),
        ],
    },
    Operation {
        name: "list_quota_coupons",
        method: "POST",
        path: "/v2/partners/coupon-quotas/query",
        title_zh: "查询优惠券额度",
        title_en: "Coupon quotas",
        changes: false,
        distributor_only: false,
        status: 200,
        params: &[
            p("quota_ids", Ty::StrList),
            p("quota_status_list", Ty::IntList),
            p("quota_type", Ty::Int),
            TIMES[0],
            TIMES[1],
            TIMES[2],
            TIMES[3],
            TIMES[4],
            TIMES[5],
            p("offset", Ty::Int),
            p("limit", Ty::Int),
            p("indirect_partner_id", Ty::Str),
        ],
        example: r#"{"offset": 0, "limit": 10}"#,
        response: &[("total_count", Out::Int), ("quotas", Out::Objects(QUOTA))],
    },
    Operation {
        name: "list_coupon_quotas_records",
        method: "GET",
        path: "/v2/partners/coupon-quotas/records",
        title_zh: "查询代金券额度的发放回收记录",
        title_en: "Quota issue and reclaim records",
        changes: false,
        distributor_only: false,
        status: 200,
        params: &[
            p("indirect_partner_id", Ty::Str),
            p("quota_id", Ty::Str),
            p("operation_time_begin", Ty::Str),
            p("operation_time_end", Ty::Str),
            p("parent_quota_id", Ty::Str),
            p("operation_type", Ty::Str),
            p("offset", Ty::Int),
            p("limit", Ty::Int),
        ],
        example: "offset=0&limit=10",
        response: &[
            ("total_count", Out::Int),
            (
                "records",
                Out::Objects(&[
                    ("id", Out::Str),
                    ("operator", Out::Str),
                    ("operation_type", Out::Str),
                    ("quota_id", Out::Str),
                    ("parent_quota_id", Out::Str),
                    ("amount", Out::Number),
                    ("operation_time", Out::Str),
                    ("result", Out::Str),
                    ("indirect_partner_account_name", Out::Str),
                    ("indirect_partner_id", Out::Str),
                    ("indirect_partner_name", Out::Str),
                    ("remark", Out::Str),
                ]),
            ),
        ],
    },
    Operation {
        name: "create_partner_coupons",
        method: "POST",
        path: "/v2/promotions/benefits/partner-coupons",
        title_zh: "发放优惠券",
        title_en: "Issue coupons",
        changes: true,
        distributor_only: false,
        status: 200,
        params: &[
            req("quota_id", Ty::Str),
            req("customer_ids", Ty::StrList),
            req("face_value", Ty::Number),
            p("valid_time", Ty::Str),
            p("expire_time", Ty::Str),
            p("cloud_service_types", Ty::StrList),
            p("product_ids", Ty::StrList),
            p("memo", Ty::Str),
            p("indirect_partner_id", Ty::Str),
        ],
        example: r#"{"quota_id": "", "customer_ids": [""], "face_value": 10.00}"#,
        response: &[
            ERROR_DETAILS,
            (
                "coupon_infos",
                Out::Objects(&[("id", Out::Str), ("coupon_id", Out::Str)]),
            ),
        ],
    },
    Operation {
        name: "list_issued_partner_coupons",
        method: "GET",
        path: "/v2/promotions/benefits/partner-coupons",
        title_zh: "查询已发放的优惠券",
        title_en: "Issued coupons",
        changes: false,
        distributor_only: false,
        status: 200,
        params: &[
            p("coupon_id", Ty::Str),
            p("customer_id", Ty::Str),
            p("order_id", Ty::Str),
            p("coupon_type", Ty::Int),
            p("status", Ty::Int),
            TIMES[0],
            TIMES[1],
            TIMES[2],
            TIMES[3],
            TIMES[4],
            TIMES[5],
            p("offset", Ty::Int),
            p("limit", Ty::Int),
            p("indirect_partner_id", Ty::Str),
        ],
        example: "offset=0&limit=10",
        response: &[
            ("total_count", Out::Int),
            (
                "user_coupons",
                Out::Objects(&[
                    ("coupon_id", Out::Str),
                    ("status", Out::Int),
                    ("customer_id", Out::Str),
                    ("coupon_type", Out::Int),
                    ("measure_id", Out::Int),
                    ("face_value", Out::Number),
                    ("effective_time", Out::Str),
                    ("expire_time", Out::Str),
                    ("create_time", Out::Str),
                    ("balance", Out::Number),
                ]),
            ),
        ],
    },
    Operation {
        name: "reclaim_partner_coupons",
        method: "POST",
        path: "/v2/promotions/benefits/partner-coupons/reclaim",
        title_zh: "回收优惠券",
        title_en: "Reclaim a coupon",
        changes: true,
        distributor_only: false,
        status: 204,
        params: &[req("coupon_id", Ty::Str), p("indirect_partner_id", Ty::Str)],
        example: r#"{"coupon_id": ""}"#,
        response: &[],
    },
];

pub fn find(name: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|o| o.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_routes_are_unique_and_examples_parse() {
        for (i, a) in OPERATIONS.iter().enumerate() {
            for b in &OPERATIONS[i + 1..] {
                assert_ne!(a.name, b.name);
                assert!(a.method != b.method || a.path != b.path, "{}", a.name);
            }
            if a.in_body() {
                let v: serde_json::Value = serde_json::from_str(a.example).expect(a.name);
                for key in v.as_object().unwrap().keys() {
                    assert!(a.params.iter().any(|p| p.name == key), "{}: {key}", a.name);
                }
            }
        }
        assert_eq!(OPERATIONS.len(), 16);
    }
}
