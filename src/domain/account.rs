//! Account names, display names and passwords, parsed once at the edge.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A sign-in name: 3–64 characters of ASCII letters, digits and `_ - . @`, starting with a letter
/// or digit. Stored and compared in lower case, so `Alice` and `alice` are one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AccountName(String);

impl AccountName {
    pub const MAX: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s = super::required_text(
            raw,
            Self::MAX,
            "error.account_name.required",
            "error.account_name.too_long",
        )?;
        if s.len() < 3 {
            return Err("error.account_name.too_short");
        }
        let first_ok = s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        let all_ok = s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'));
        if !first_ok || !all_ok {
            return Err("error.account_name.chars");
        }
        Ok(AccountName(s.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A human-readable name of a partner or customer: 1–100 characters after trimming, no control
/// characters. Any script is allowed (partners have Chinese names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s = super::required_text(raw, Self::MAX, "error.name.required", "error.name.too_long")?;
        if s.chars().any(char::is_control) {
            return Err("error.name.chars");
        }
        Ok(DisplayName(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Declares a password type: its text is handed out only by `expose` (to the hasher), and it
/// is never serialized, printed or logged (`Debug` shows `Name(***)`).
macro_rules! password {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        pub struct $name(String);

        impl $name {
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}(***)", stringify!($name))
            }
        }
    };
}

password! {
    /// A password chosen for a new account: 8–128 characters with at least two of letters,
    /// digits and symbols.
    NewPassword
}

password! {
    /// A password typed at sign-in. Only emptiness and a generous length cap are checked, so
    /// the policy for new passwords is not revealed and hashing cost stays bounded.
    PasswordAttempt
}

impl NewPassword {
    /// A new password typed twice: the policy first, then the confirmation.
    pub fn confirmed(raw: &str, confirm: &str) -> Result<Self, &'static str> {
        let password = Self::parse(raw)?;
        if raw != confirm {
            return Err("error.password.mismatch");
        }
        Ok(password)
    }

    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let n = raw.chars().count();
        if n < 8 {
            return Err("error.password.too_short");
        }
        if n > 128 {
            return Err("error.password.too_long");
        }
        let letters = raw.chars().any(char::is_alphabetic);
        let digits = raw.chars().any(|c| c.is_ascii_digit());
        let symbols = raw.chars().any(|c| !c.is_alphanumeric());
        if [letters, digits, symbols].iter().filter(|b| **b).count() < 2 {
            return Err("error.password.weak");
        }
        Ok(NewPassword(raw.to_string()))
    }
}

impl PasswordAttempt {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        if raw.is_empty() {
            return Err("error.password.required");
        }
        if raw.len() > 1024 {
            return Err("error.password.too_long");
        }
        Ok(PasswordAttempt(raw.to_string()))
    }
}

/// An email address to send an invitation to: one `@`, something on both sides, no spaces or
/// control characters, at most 254 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s = raw.trim();
        if s.is_empty() {
            return Err("error.invite.email_required");
        }
        let ok = s.len() <= 254
            && !s.chars().any(|c| {
                c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == ',' || c == ';'
            })
            && matches!(s.split_once('@'), Some((l, d)) if !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.') && !d.contains('@'));
        if ok {
            Ok(Email(s.to_string()))
        } else {
            Err("error.invite.email_format")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_names_are_trimmed_and_lowercased() {
        assert_eq!(
            AccountName::parse("  Alice.W@corp ").unwrap().as_str(),
            "alice.w@corp"
        );
    }

    #[test]
    fn empty_short_long_and_odd_account_names_are_refused() {
        for (a, refusal) in [
            ("   ", "error.account_name.required"),
            ("ab", "error.account_name.too_short"),
            (&"a".repeat(10_000), "error.account_name.too_long"),
            ("a' OR 1=1 --", "error.account_name.chars"),
            ("<script>", "error.account_name.chars"),
        ] {
            assert_eq!(AccountName::parse(a), Err(refusal));
        }
        assert_eq!(AccountName::parse("_lead"), Err("error.account_name.chars"));
        assert_eq!(
            AccountName::parse("张三三"),
            Err("error.account_name.chars")
        );
    }

    #[test]
    fn display_names_allow_chinese_and_refuse_control_characters() {
        assert_eq!(
            DisplayName::parse(" 华为云伙伴 ").unwrap().as_str(),
            "华为云伙伴"
        );
        assert_eq!(DisplayName::parse("a\u{0}b"), Err("error.name.chars"));
        assert_eq!(
            DisplayName::parse(&"名".repeat(101)),
            Err("error.name.too_long")
        );
        assert!(DisplayName::parse(&"名".repeat(100)).is_ok());
    }

    #[test]
    fn new_passwords_need_length_and_variety() {
        for (raw, refusal) in [
            ("short1", Some("error.password.too_short")),
            ("onlyletters", Some("error.password.weak")),
            ("letters123", None),
            (&"a1".repeat(65), Some("error.password.too_long")),
        ] {
            assert_eq!(NewPassword::parse(raw).err(), refusal, "{raw}");
        }
    }

    #[test]
    fn passwords_never_show_in_debug_output() {
        let p = NewPassword::parse("Secret#2026").unwrap();
        assert!(!format!("{p:?}").contains("Secret"));
        let a = PasswordAttempt::parse("Secret#2026").unwrap();
        assert!(!format!("{a:?}").contains("Secret"));
    }

    #[test]
    fn sign_in_attempts_only_check_presence_and_size() {
        for (raw, refusal) in [
            ("", Some("error.password.required")),
            ("x", None),
            (&"x".repeat(2000), Some("error.password.too_long")),
        ] {
            assert_eq!(PasswordAttempt::parse(raw).err(), refusal, "{raw}");
        }
    }
}
