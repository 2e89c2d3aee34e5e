//! Why the vouchers domain refuses, each with its public code (see the invariants in `mod.rs`;
//! CBC.5021 and CBC.50000021 are the real API's, the CBC.3000001x codes this service's).

crate::refusals! {
    /// A vouchers refusal.
    pub enum VoucherError {
        QuotaNotFound = conflict("error.vouchers.quota_not_found", "CBC.30000010"),
        QuotaInvalid = conflict("error.vouchers.quota_invalid", "CBC.30000011"),
        QuotaAdjusting = conflict("error.vouchers.quota_adjusting", "CBC.30000011"),
        QuotaFrozen = conflict("error.vouchers.quota_frozen", "CBC.30000011"),
        QuotaNotReclaimable = conflict("error.vouchers.quota_not_reclaimable", "CBC.30000011"),
        QuotaInsufficient = conflict("error.vouchers.quota_insufficient", "CBC.30000012"),
        FaceValue = invalid("error.vouchers.face_value", "CBC.30000013"),
        Validity = conflict("error.vouchers.validity", "CBC.30000013"),
        TooManyCustomers = invalid("error.vouchers.too_many_customers", "CBC.30000014"),
        CouponNotUsable = conflict("error.vouchers.coupon_not_usable", "CBC.30000015"),
        NotWhitelisted = conflict("error.vouchers.not_whitelisted", "CBC.30000016"),
        CouponNotFound = conflict("error.vouchers.coupon_not_found", "CBC.30000017"),
        ProductsOutside = conflict("error.vouchers.products_outside", "CBC.30000018"),
        ServiceTypesOutside = conflict("error.vouchers.service_types_outside", "CBC.30000018"),
        CouponNotApplicable = conflict("error.vouchers.coupon_not_applicable", "CBC.30000018"),
        BelowMinimum = conflict("error.vouchers.below_minimum", "CBC.30000018"),
        NotResale = conflict("error.vouchers.not_resale", "CBC.5021"),
        NotYourCustomer = conflict("error.vouchers.not_your_customer", "CBC.50000021"),
        CustomersRequired = invalid("error.vouchers.customers_required", "CBC.0100"),
        Date = invalid("error.vouchers.date", "CBC.0100"),
        Days = invalid("error.vouchers.days", "CBC.0100"),
        Ids = invalid("error.vouchers.ids", "CBC.0100"),
        IdsRequired = invalid("error.vouchers.ids_required", "CBC.0100"),
        LimitFormat = invalid("error.vouchers.limit_format", "CBC.0100"),
        MinOrder = invalid("error.vouchers.min_order", "CBC.0100"),
        Operation = invalid("error.vouchers.operation", "CBC.0100"),
        Remark = invalid("error.vouchers.remark", "CBC.0100"),
        Status = invalid("error.vouchers.status", "CBC.0100"),
        TooMany = invalid("error.vouchers.too_many", "CBC.0100"),
        TooManyProducts = invalid("error.vouchers.too_many_products", "CBC.0100"),
        TooManyServiceTypes = invalid("error.vouchers.too_many_service_types", "CBC.0100"),
    }
}
