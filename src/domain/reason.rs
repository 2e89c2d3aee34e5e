//! Why an operator refused or revoked something.

/// An operator's reason for rejecting or revoking: required, at most 200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(String);

impl Reason {
    pub fn parse(raw: &str) -> Result<Reason, &'static str> {
        let s = raw.trim();
        if s.is_empty() {
            return Err("error.plans.reason_required");
        }
        if s.chars().count() > 200 || s.chars().any(char::is_control) {
            return Err("error.plans.reason_too_long");
        }
        Ok(Reason(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
