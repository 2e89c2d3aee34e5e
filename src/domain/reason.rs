//! Why an operator refused or revoked something.

/// An operator's reason for rejecting or revoking: required, at most 200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(String);

impl Reason {
    pub fn parse(raw: &str) -> Result<Reason, &'static str> {
        let too_long = "error.plans.reason_too_long";
        let s = super::required_text(raw, 200, "error.plans.reason_required", too_long)?;
        if s.chars().any(char::is_control) {
            return Err(too_long);
        }
        Ok(Reason(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
