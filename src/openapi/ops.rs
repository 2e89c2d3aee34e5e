//! Each operation's request and answer, named and shaped as the SDK's models
//! (`huaweicloudsdkbss` 3.1.219, `v2/model/*.py`). The handlers read and write exactly these
//! structs; [`super::catalog`] and the OpenAPI document are made from their field lists, and
//! `tests/it/sdk.rs` compares those lists with the SDK's own models. A field the product keeps no
//! value for (an account manager, a promotion plan) is answered as `null`, as the SDK allows.

use super::schema::{Decimal, Num, request, response};

// ---- Funds and customers -------------------------------------------------------------------

request!(
    /// update_indirect_partner_account: 向云经销商账户拨款.
    AdjustToIndirectPartnerReq {
        indirect_partner_id: String,
        amount: Decimal,
    }
);

request!(
    /// reclaim_indirect_partner_account: 回收云经销商账户拨款.
    ReclaimIndirectPartnerAccountReq {
        indirect_partner_id: String,
        amount: Decimal,
    }
);

response!(
    /// The answer of 拨款 (update_indirect_partner_account, update_customer_account_amount).
    TransferResponse { transfer_id: String, }
);

response!(
    /// The answer of 回收 (reclaim_indirect_partner_account, reclaim_to_partner_account).
    TransResponse { trans_id: String, }
);

request!(
    /// update_customer_account_amount: 向客户账户拨款.
    AdjustAccountReq {
        customer_id: String,
        amount: Decimal,
        indirect_partner_id: Option<String>,
    }
);

request!(
    /// reclaim_to_partner_account: 回收客户账户余额.
    ReclaimToPartnerAccountBalancesReq {
        customer_id: String,
        amount: Decimal,
        indirect_partner_id: Option<String>,
    }
);

request!(
    /// list_indirect_partners: 查询云经销商列表.
    QueryIndirectPartnersReq {
        account_name: Option<String>,
        associated_on_begin: Option<String>,
        associated_on_end: Option<String>,
        offset: Option<i64>,
        limit: Option<i64>,
        indirect_partner_id: Option<String>,
    }
);

response!(IndirectPartnerInfo {
    indirect_partner_id: String,
    name: String,
    account_name: String,
    email: Option<String>,
    mobile_phone: Option<String>,
    associated_on: String,
    account_manager_id: Option<String>,
    account_manager_name: Option<String>,
});

response!(ListIndirectPartnersResponse {
    count: i64,
    indirect_partners: Vec<IndirectPartnerInfo>,
});

request!(
    /// list_partner_balances: 查询(云经销商)账户余额 (query).
    ListPartnerBalancesRequest {
        indirect_partner_id: Option<String>,
    }
);

response!(AccountBalanceV2 {
    account_id: String,
    account_type: i64,
    amount: Num,
    currency: &'static str,
    designated_amount: Num,
    credit_amount: Num,
    measure_id: i64,
    memo: String,
});

response!(ListPartnerBalancesResponse {
    account_balances: Vec<AccountBalanceV2>,
});

request!(
    /// list_partner_adjust_records: 查询调账记录 (query).
    ListPartnerAdjustRecordsRequest {
        customer_id: Option<String>,
        operation_type: Option<String>,
        operation_time_begin: Option<String>,
        operation_time_end: Option<String>,
        trans_id: Option<String>,
        offset: Option<i64>,
        limit: Option<i64>,
        indirect_partner_id: Option<String>,
    }
);

response!(AdjustRecordV3 {
    customer_id: String,
    customer_name: String,
    operation_type: String,
    amount: String,
    currency: &'static str,
    apply_scene: String,
    operation_time: String,
    measure_id: i64,
    trans_id: String,
    memo: String,
});

response!(ListPartnerAdjustRecordsResponse {
    total_count: i64,
    records: Vec<AdjustRecordV3>,
});

request!(
    /// list_sub_customers: 查询客户列表.
    QuerySubCustomerListReq {
        account_name: Option<String>,
        customer: Option<String>,
        offset: Option<i64>,
        limit: Option<i64>,
        label: Option<String>,
        association_type: Option<String>,
        associated_on_begin: Option<String>,
        associated_on_end: Option<String>,
        customer_id: Option<String>,
        indirect_partner_id: Option<String>,
    }
);

response!(AccountManager {
    account_name: String,
});

response!(CustomerInformation {
    customer: String,
    account_name: String,
    customer_id: String,
    associated_on: String,
    association_type: &'static str,
    label: String,
    telephone: Option<String>,
    verified_status: Option<String>,
    country_code: Option<String>,
    customer_type: i64,
    is_frozen: i64,
    account_managers: Vec<AccountManager>,
    xaccount_id: Option<String>,
    xaccount_type: Option<String>,
    customer_level: Option<String>,
    email: Option<String>,
});

response!(ListSubCustomersResponse {
    count: i64,
    customer_infos: Vec<CustomerInformation>,
});

// ---- Coupons and quotas --------------------------------------------------------------------

response!(ErrorDetail {
    id: String,
    error_code: String,
    error_msg: String,
});

request!(
    /// update_coupon_quotas: 向云经销商发放代金券额度.
    AdjustCouponQuotasReq {
        quota_id: String,
        indirect_partner_ids: Vec<String>,
        quota_amount: Decimal,
    }
);

response!(QuotaSimpleInfo {
    id: String,
    quota_id: String,
});

response!(UpdateCouponQuotasResponse {
    error_details: Vec<ErrorDetail>,
    simple_quota_infos: Vec<QuotaSimpleInfo>,
});

request!(
    /// reclaim_coupon_quotas: 回收云经销商的代金券额度.
    ReclaimCouponQuotasReq {
        quota_ids: Vec<String>,
        remark: Option<String>,
    }
);

response!(QuotaReclaim {
    quota_id: String,
    quota_balance: Num,
});

response!(ReclaimCouponQuotasResponse {
    error_details: Vec<ErrorDetail>,
    simple_quota_infos: Vec<QuotaReclaim>,
});

request!(
    /// list_issued_coupon_quotas: 查询已发放的代金券额度 (query).
    ListIssuedCouponQuotasRequest {
        quota_id: Option<String>,
        indirect_partner_id: Option<String>,
        parent_quota_id: Option<String>,
        offset: Option<i64>,
        limit: Option<i64>,
    }
);

response!(LimitValue {
    value1: String,
    value2: Option<String>,
});

response!(QuotaLimitInfo {
    limit_key: &'static str,
    limit_values: Vec<LimitValue>,
});

response!(CouponQuotaV2 {
    quota_id: String,
    quota_type: i64,
    create_time: String,
    last_update_time: String,
    quota_value: Num,
    quota_status: i64,
    balance: Num,
    measure_id: i64,
    currency: &'static str,
    effective_time: String,
    expire_time: String,
    limit_infos: Vec<QuotaLimitInfo>,
});

response!(IssuedCouponQuota {
    #[flatten]
    quota: CouponQuotaV2,
    indirect_partner_id: String,
    indirect_partner_name: String,
    indirect_partner_account_name: String,
    parent_quota_id: String,
});

response!(ListIssuedCouponQuotasResponse {
    total_count: i64,
    quotas: Vec<IssuedCouponQuota>,
});

request!(
    /// list_quota_coupons: 查询优惠券额度.
    QueryCouponQuotasReqExt {
        quota_ids: Option<Vec<String>>,
        quota_status_list: Option<Vec<i64>>,
        quota_type: Option<i64>,
        create_time_begin: Option<String>,
        create_time_end: Option<String>,
        effective_time_begin: Option<String>,
        effective_time_end: Option<String>,
        expire_time_begin: Option<String>,
        expire_time_end: Option<String>,
        offset: Option<i64>,
        limit: Option<i64>,
        indirect_partner_id: Option<String>,
    }
);

response!(ListQuotaCouponsResponse {
    total_count: i64,
    quotas: Vec<CouponQuotaV2>,
});

request!(
    /// list_coupon_quotas_records: 查询代金券额度的发放回收记录 (query).
    ListCouponQuotasRecordsRequest {
        indirect_partner_id: Option<String>,
        quota_id: Option<String>,
        operation_time_begin: Option<String>,
        operation_time_end: Option<String>,
        parent_quota_id: Option<String>,
        operation_type: Option<String>,
        offset: Option<i64>,
        limit: Option<i64>,
    }
);

response!(QuotaRecord {
    id: String,
    operator: String,
    operation_type: String,
    quota_id: String,
    parent_quota_id: String,
    amount: Num,
    operation_time: String,
    result: &'static str,
    indirect_partner_account_name: String,
    indirect_partner_id: String,
    indirect_partner_name: String,
    remark: String,
});

response!(ListCouponQuotasRecordsResponse {
    total_count: i64,
    records: Vec<QuotaRecord>,
});

request!(
    /// create_partner_coupons: 发放优惠券.
    CreatePartnerCouponsReq {
        quota_id: String,
        customer_ids: Vec<String>,
        face_value: Decimal,
        valid_time: Option<String>,
        expire_time: Option<String>,
        cloud_service_types: Option<Vec<String>>,
        product_ids: Option<Vec<String>>,
        memo: Option<String>,
        indirect_partner_id: Option<String>,
    }
);

response!(CouponSimpleInfo {
    id: String,
    coupon_id: String,
});

response!(CreatePartnerCouponsResponse {
    error_details: Vec<ErrorDetail>,
    coupon_infos: Vec<CouponSimpleInfo>,
});

request!(
    /// list_issued_partner_coupons: 查询已发放的优惠券 (query).
    ListIssuedPartnerCouponsRequest {
        coupon_id: Option<String>,
        customer_id: Option<String>,
        order_id: Option<String>,
        coupon_type: Option<i64>,
        status: Option<i64>,
        create_time_begin: Option<String>,
        create_time_end: Option<String>,
        effective_time_begin: Option<String>,
        effective_time_end: Option<String>,
        expire_time_begin: Option<String>,
        expire_time_end: Option<String>,
        offset: Option<i64>,
        limit: Option<i64>,
        indirect_partner_id: Option<String>,
    }
);

response!(CouponUseLimit {
    use_limiti_info_id: Option<String>,
    limit_key: &'static str,
    value1: String,
    value2: Option<String>,
    value_unit: Option<String>,
    limit_type: Option<String>,
    promotion_plan_id: Option<String>,
});

response!(UserCoupon {
    coupon_id: String,
    status: i64,
    customer_id: String,
    coupon_type: i64,
    measure_id: i64,
    face_value: Num,
    effective_time: String,
    expire_time: String,
    order_id: Option<String>,
    promotion_plan_id: Option<String>,
    promotion_plan_name: Option<String>,
    promotion_plan_desc: Option<String>,
    media_type: i64,
    fetch_method: i64,
    use_limits: Vec<CouponUseLimit>,
    active_time: String,
    last_used_time: Option<String>,
    promotion_id: Option<String>,
    create_time: String,
    balance: Num,
    lock_order_id: Option<String>,
    is_frozen: &'static str,
});

response!(ListIssuedPartnerCouponsResponse {
    total_count: i64,
    user_coupons: Vec<UserCoupon>,
});

request!(
    /// reclaim_partner_coupons: 回收优惠券.
    ReclaimPartnerCouponsReq {
        coupon_id: String,
        indirect_partner_id: Option<String>,
    }
);

response!(
    /// An answer without a body (204).
    NoContent {}
);
