//! The operations of the open API as data: method, path, titles and status, with the parameters
//! and answer fields of each operation's typed request and response ([`super::ops`], named as the
//! SDK's models, `huaweicloudsdkbss` 3.1.219). The OpenAPI 3 document (`/openapi.json`) and the API
//! Explorer are generated from this table, so they cannot drift from each other or from the
//! handlers; `tests/it/sdk.rs` checks the table against the routes the server answers and against
//! the SDK's models.

use super::ops::*;
use super::schema::{Fields, Params};
pub use super::schema::{Out, Param, Ty};

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
    /// The answer's fields ([`Out::Inline`] entries expand in place, see [`super::schema::expand`]).
    pub response: &'static [(&'static str, Out)],
}

impl Operation {
    pub fn in_body(&self) -> bool {
        self.method == "POST"
    }
}

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
        params: AdjustToIndirectPartnerReq::PARAMS,
        example: r#"{"indirect_partner_id": "", "amount": 10.00}"#,
        response: TransferResponse::FIELDS,
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
        params: ReclaimIndirectPartnerAccountReq::PARAMS,
        example: r#"{"indirect_partner_id": "", "amount": 10.00}"#,
        response: TransResponse::FIELDS,
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
        params: QueryIndirectPartnersReq::PARAMS,
        example: r#"{"offset": 0, "limit": 10}"#,
        response: ListIndirectPartnersResponse::FIELDS,
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
        params: ListPartnerBalancesRequest::PARAMS,
        example: "",
        response: ListPartnerBalancesResponse::FIELDS,
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
        params: ListPartnerAdjustRecordsRequest::PARAMS,
        example: "offset=0&limit=10",
        response: ListPartnerAdjustRecordsResponse::FIELDS,
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
        params: AdjustAccountReq::PARAMS,
        example: r#"{"customer_id": "", "amount": 10.00}"#,
        response: TransferResponse::FIELDS,
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
        params: ReclaimToPartnerAccountBalancesReq::PARAMS,
        example: r#"{"customer_id": "", "amount": 10.00}"#,
        response: TransResponse::FIELDS,
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
        params: QuerySubCustomerListReq::PARAMS,
        example: r#"{"offset": 0, "limit": 10}"#,
        response: ListSubCustomersResponse::FIELDS,
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
        params: AdjustCouponQuotasReq::PARAMS,
        example: r#"{"quota_id": "", "indirect_partner_ids": [""], "quota_amount": 100.00}"#,
        response: UpdateCouponQuotasResponse::FIELDS,
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
        params: ReclaimCouponQuotasReq::PARAMS,
        example: r#"{"quota_ids": [""]}"#,
        response: ReclaimCouponQuotasResponse::FIELDS,
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
        params: ListIssuedCouponQuotasRequest::PARAMS,
        example: "offset=0&limit=10",
        response: ListIssuedCouponQuotasResponse::FIELDS,
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
        params: QueryCouponQuotasReqExt::PARAMS,
        example: r#"{"offset": 0, "limit": 10}"#,
        response: ListQuotaCouponsResponse::FIELDS,
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
        params: ListCouponQuotasRecordsRequest::PARAMS,
        example: "offset=0&limit=10",
        response: ListCouponQuotasRecordsResponse::FIELDS,
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
        params: CreatePartnerCouponsReq::PARAMS,
        example: r#"{"quota_id": "", "customer_ids": [""], "face_value": 10.00}"#,
        response: CreatePartnerCouponsResponse::FIELDS,
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
        params: ListIssuedPartnerCouponsRequest::PARAMS,
        example: "offset=0&limit=10",
        response: ListIssuedPartnerCouponsResponse::FIELDS,
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
        params: ReclaimPartnerCouponsReq::PARAMS,
        example: r#"{"coupon_id": ""}"#,
        response: NoContent::FIELDS,
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
