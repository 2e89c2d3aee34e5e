//! The two languages of the UI: Simplified Chinese (default, the real product's labels) and
//! English. Each domain keeps its texts in its own `text.rs`, one row per key with both
//! languages side by side, so a text without its translation does not compile; a unit test
//! fails on a key defined twice, and another when the code uses a key that is in no table.
//!
//! The language is chosen per browser by the `pc_lang` cookie, set by `/lang`. The server
//! renders `<html lang>` from it; the browser reads it back from there when hydrating, so both
//! sides render the same text.

mod common;
mod errors;
mod operator;

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::LazyLock;

pub const COOKIE: &str = "pc_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The BCP 47 tag used in `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The value of the `pc_lang` cookie and the `/lang?to=` parameter.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn from_code(s: &str) -> Option<Lang> {
        match s {
            "zh" | "zh-CN" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Reads the language from a `Cookie` header value.
    pub fn from_cookie_header(header: &str) -> Lang {
        header
            .split(';')
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == COOKIE)
            .and_then(|(_, v)| Lang::from_code(v))
            .unwrap_or_default()
    }
}

type Table = HashMap<&'static str, &'static str>;

/// One row: the key, 简体中文, English.
pub type Row = (&'static str, &'static str, &'static str);

/// Every table: the shell's, the general errors, the operator console's, and each domain's.
const TABLES: &[&[Row]] = &[
    self::common::TEXT,
    crate::accounts::text::TEXT,
    crate::customers::text::TEXT,
    self::operator::TEXT,
    crate::paths::text::TEXT,
    crate::messages::text::TEXT,
    self::errors::TEXT,
    crate::funds::text::TEXT,
    crate::plans::text::TEXT,
    crate::employees::text::TEXT,
    crate::pce::text::TEXT,
    crate::help::text::TEXT,
    crate::orders::text::TEXT,
    crate::vouchers::text::TEXT,
    crate::openapi::text::TEXT,
    crate::calendar::text::TEXT,
    crate::onboarding::text::TEXT,
    crate::console::text::TEXT,
    crate::profile::text::TEXT,
    crate::members::text::TEXT,
    crate::workbench::text::TEXT,
];

fn rows() -> impl Iterator<Item = &'static Row> {
    TABLES.iter().flat_map(|t| t.iter())
}

static ZH: LazyLock<Table> = LazyLock::new(|| rows().map(|(k, zh, _)| (*k, *zh)).collect());
static EN: LazyLock<Table> = LazyLock::new(|| rows().map(|(k, _, en)| (*k, *en)).collect());

/// The text of a key in a language. An unknown key shows as itself (and fails the tests).
pub fn t(lang: Lang, key: &str) -> &'static str {
    let table = match lang {
        Lang::Zh => &*ZH,
        Lang::En => &*EN,
    };
    table.get(key).copied().unwrap_or("�")
}

/// A key's text with each `{name}` replaced by its parameter's value, in one pass: a value is
/// never read as a template (a customer named `{link}` stays `{link}`). An unknown `{name}`
/// stays as it is.
pub fn fill<'a>(
    lang: Lang,
    key: &str,
    params: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> String {
    let params: Vec<(&str, &str)> = params.into_iter().collect();
    let mut rest = t(lang, key);
    let mut out = String::with_capacity(rest.len());
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            params
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text of `s` when it is a message key (what the product writes itself: a reason, a
/// message's parameter), else `s` as a person wrote it.
pub fn text_or_key(lang: Lang, s: &str) -> &str {
    if has(s) { t(lang, s) } else { s }
}

/// Whether a key exists (used to show only known error keys that arrive in a URL).
pub fn has(key: &str) -> bool {
    ZH.contains_key(key)
}

/// The language of the current page, from context.
pub fn use_lang() -> Lang {
    leptos::prelude::use_context::<Lang>().unwrap_or_default()
}

/// The text of a key in the current page's language.
pub fn tr(key: &str) -> &'static str {
    t(use_lang(), key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn templates_fill_in_one_pass() {
        let text = fill(
            Lang::Zh,
            "msg.order.requested.title",
            [("customer", "{number}"), ("number", "O-1")],
        );
        assert_eq!(text, "客户 {number} 申请伙伴代付订单 O-1");
        let text = fill(Lang::En, "msg.order.requested.title", [("number", "O-2")]);
        assert_eq!(text, "{customer} asks you to pay order O-2");
    }

    #[test]
    fn no_key_is_defined_twice_or_left_untranslated() {
        let mut seen = BTreeSet::new();
        for (k, zh, en) in rows() {
            assert!(seen.insert(*k), "{k} is defined twice");
            assert!(!zh.trim().is_empty(), "no Chinese text for {k}");
            assert!(!en.trim().is_empty(), "no English text for {k}");
        }
        assert_eq!(ZH.len(), seen.len());
        assert_eq!(EN.len(), seen.len());
    }

    /// Scans the source for `tr("…")`, `t(lang, "…")` and `"error.…"`/`invalid("…")` keys and
    /// checks each exists, so a typo in a key fails here instead of showing a placeholder.
    #[test]
    fn every_key_used_in_the_code_exists() {
        let mut missing = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                // The tables and this scanner's own examples are not uses.
                if path.extension().is_none_or(|e| e != "rs")
                    || path.parent().is_some_and(|p| p.ends_with("i18n"))
                    || path.ends_with("text.rs")
                {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for key in used_keys(&text) {
                    if !ZH.contains_key(key.as_str()) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys used but not defined:\n{}",
            missing.join("\n")
        );
    }

    fn used_keys(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for marker in [
            "tr(\"",
            "t(lang, \"",
            "invalid(\"",
            "conflict(\"",
            "Err(\"",
            "label_key: \"",
            "=> \"",
        ] {
            let mut rest = text;
            while let Some(i) = rest.find(marker) {
                rest = &rest[i + marker.len()..];
                let Some(end) = rest.find('"') else { break };
                let key = &rest[..end];
                let looks_like_key = key.contains('.')
                    && key.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_'
                    });
                if looks_like_key
                    && (marker != "=> \""
                        || key.starts_with("error.")
                        || key.contains("_kind.")
                        || key.starts_with("hcpn.")
                        || key.starts_with("customer_mode."))
                {
                    out.push(key.to_string());
                }
            }
        }
        out
    }

    #[test]
    fn the_scanner_finds_keys() {
        let keys =
            used_keys(r#"tr("nav.home") t(lang, "x.y") AppError::invalid("error.a") "plain text""#);
        assert_eq!(keys, vec!["nav.home", "x.y", "error.a"]);
    }

    #[test]
    fn language_comes_from_the_cookie() {
        assert_eq!(Lang::from_cookie_header("a=1; pc_lang=en; b=2"), Lang::En);
        assert_eq!(Lang::from_cookie_header("pc_lang=xx"), Lang::Zh);
        assert_eq!(Lang::from_cookie_header(""), Lang::Zh);
    }
}
