//! Partner employees (组织 > 项目专员): a partner invites a personal account, the person accepts
//! from the message center, the partner may cancel an invitation or unbind a member.
//!
//! Invariants (checked when inviting and again when accepting, inside the transaction):
//! - Only personal accounts (个人华为账号) can be associated; partner, customer and operator
//!   accounts are refused.
//! - The person must be real-name verified on the China site (an operator records it).
//! - A person is an active member of at most one partner at a time (a unique index), and has at
//!   most one pending invitation per partner.
//! - A person may not join a partner if it has been associated with 3 *other* partners within
//!   the last 365 days. An association counts while it is active and for 365 days after it ended:
//!   it counts when `ended_at` is empty or later than now − 365 days (so one that ended exactly
//!   365 days ago no longer counts). Rejoining a partner already counted adds no partner.
//! - Links move pending → active | cancelled | declined, and active → unbound, each by a
//!   conditional update; every step notifies the other side in the same transaction.
//! - Every query is scoped: a partner sees and changes only its own links, a person only its
//!   own invitations.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;
