//! Wire types of account self-service.

use crate::domain::Role;
use serde::{Deserialize, Serialize};

/// Where a user changes its password (and must, after an operator set it).
pub const PASSWORD_PATH: &str = "/account/password";

/// The signed-in user's profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub login: String,
    pub role: Role,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// A partner user's organisation contacts (what its customers see).
    pub partner: Option<PartnerContact>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerContact {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// A password an operator set: shown once to the operator, who passes it on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssuedPassword {
    pub user_id: i64,
    pub login: String,
    pub password: String,
}
