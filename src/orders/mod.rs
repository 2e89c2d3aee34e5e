//! Orders (我的订单) and partner-paid orders (伙伴代付).
//!
//! Invariants:
//! - An order's state changes only along [`model::next`]: pending_payment or awaiting_partner →
//!   paid (once) → refunded (once); pending_payment or awaiting_partner → cancelled;
//!   awaiting_partner → pending_payment when the partner rejects (the customer then pays itself).
//!   Every other transition is refused with its reason and changes nothing.
//! - A state change is a conditional update on the state it was read in, inside the same
//!   transaction as its money movement, so paying twice at once moves money once. The ledger
//!   transfer's id is derived from the order (`order-<id>-pay`, `order-<id>-refund`): even a
//!   replayed transaction cannot move the money a second time.
//! - Payment leaves the payer's account (PAY to the external account); a refund returns to whoever
//!   paid (REFUND), the partner for a partner-paid order.
//! - Only resale customers, and consulting customers of a partner that allows it, may ask their
//!   partner to pay. A partner sees and pays only its own customers' orders; a customer only its own.
//! - Asking the partner to pay notifies it by email and SMS (the outbox) and both sides in the
//!   message center, in the same transaction.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;
