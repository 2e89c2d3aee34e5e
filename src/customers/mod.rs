//! Customers (客户管理): association by invitation, disassociation, and the customer's side
//! (我的合作伙伴, contracts).
//!
//! Invariants:
//! - A customer is associated with at most one partner at a time (`customers.partner_id`), in one
//!   mode (代售 resale or 顾问销售 consulting). Every association is also a row of
//!   `customer_associations`; the current one has no end.
//! - A customer associates only by accepting an invitation of the partner, after signing in. An
//!   email invitation is single-use and valid for 7 days from sending; an offline link does not
//!   expire and may be accepted by several customers until the partner cancels it. Only the
//!   SHA-256 of an email link's token is stored. The mode is fixed by the invitation.
//! - A customer already associated with a partner cannot accept another invitation: it must be
//!   disassociated first.
//! - Disassociation needs both sides: the partner requests, the customer confirms (or declines).
//!   Confirming, in one transaction: the customer's whole balance returns to the partner
//!   (BEUNBIND, transfer id `unbind-<association>`), every usable coupon and pickup voucher the
//!   partner gave it is reclaimed (operation 3 解绑自动回收), orders waiting for the partner to pay
//!   go back to the customer, and the association ends.
//! - A partner sees and acts on its own customers only; a customer on its own association only.
//! - Only consulting customers apply for a contract with Huawei Cloud (申请合同), one open
//!   application at a time; resale customers sign offline with their partner.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;
