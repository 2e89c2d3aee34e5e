//! Why the funds domain refuses, each with its public code.

crate::refusals! {
    /// A funds refusal. Codes: CBC.5021 is the product's (a consulting customer cannot be
    /// funded); CBC.0151 the caller may not act on that account; CBC.0153 the transaction id
    /// names another request; CBC.0154 the money is not there.
    pub enum FundsError {
        Insufficient = conflict("error.funds.insufficient", "CBC.0154"),
        ReclaimExceeds = conflict("error.funds.reclaim_exceeds", "CBC.0154"),
        DesignatedExceeds = conflict("error.funds.designated_exceeds", "CBC.0154"),
        ConsultingCustomer = conflict("error.funds.consulting_customer", "CBC.5021"),
        TransIdReused = conflict("error.funds.trans_id_reused", "CBC.0153"),
        NotYourReseller = conflict("error.funds.not_your_reseller", "CBC.0151"),
        NotYourCustomer = conflict("error.funds.not_your_customer", "CBC.0151"),
        DistributorOnly = conflict("error.funds.distributor_only", "CBC.0151"),
        TransId = invalid("error.funds.trans_id", "CBC.0100"),
        Operation = invalid("error.funds.operation", "CBC.0100"),
        BulkIds = invalid("error.funds.bulk_ids", "CBC.0100"),
        BulkNone = invalid("error.funds.bulk_none", "CBC.0100"),
        BulkTooMany = invalid("error.funds.bulk_too_many", "CBC.0100"),
    }
}
