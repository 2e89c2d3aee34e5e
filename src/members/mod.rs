//! Partner members (成员管理): a partner has several users. The first is its administrator
//! (伙伴管理员); administrators invite colleagues by email, give each a role and remove them.
//!
//! Invariants:
//! - Every partner user has a role: 管理员 (everything), 财务 (funds, vouchers, orders) or 业务
//!   (customers, opportunities, plans, paths). What a role opens is decided in one place, by the
//!   area of the request's path (`model::area_of`, `MemberRole::may`): every server function (on
//!   the caller lookup, `ctx::current_user`), every page (`ui::guarded`) and every download
//!   (`session::require_user`). A path with no area is for administrators only.
//! - Only administrators manage members; nobody changes or removes itself, so a partner always
//!   keeps the administrator acting.
//! - An invited member has no usable password until it follows its mailed link (single use,
//!   72 hours, a resent link ends the older one); the sign-in name is unique across accounts.
//! - A role change takes effect at the member's next request; a member that is no longer an
//!   administrator loses its open-API tokens, and the open API answers administrators only.
//!   A removed member is signed out at once and cannot sign in; its row stays for the trail.
//! - Every query is scoped to the administrator's partner; every change is audited.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;
