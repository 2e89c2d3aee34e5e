//! The build's stylesheet, script and WebAssembly under `/pkg`, as every page links them.
//!
//! Invariants:
//! - The names are found once per process (cargo-leptos `hash-files` writes them to `hash.txt`
//!   beside the server binary); a page render reads no file.
//! - A page's `<head>` links exactly what Leptos' `HashedStylesheet` and `HydrationScripts`
//!   would: the stylesheet, a module preload of the script, a preload of the WebAssembly and a
//!   nonce-carrying module script that loads both and hydrates; and the split build's manifest
//!   is provided to the render, so a lazily loaded page's chunks are preloaded too.

use leptos::WasmSplitManifest;
use leptos::config::LeptosOptions;
use leptos::prelude::ArcStoredValue;
use std::collections::HashMap;
use std::sync::OnceLock;

pub struct Assets {
    pub stylesheet: String,
    pub script: String,
    pub wasm: String,
    /// The module script's text: imports the script, initialises the WebAssembly, hydrates.
    pub bootstrap: String,
    /// Which chunks each lazily loaded page needs (`cargo leptos build --split`).
    pub split: Option<WasmSplitManifest>,
}

/// The assets of this build, found on first use.
pub fn assets(options: &LeptosOptions) -> &'static Assets {
    static ASSETS: OnceLock<Assets> = OnceLock::new();
    ASSETS.get_or_init(|| {
        let hashes = if options.hash_files {
            std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
                .and_then(|path| std::fs::read_to_string(path).ok())
        } else {
            None
        };
        Assets::new(
            options,
            hashes.as_deref().map(parse_hashes).unwrap_or_default(),
        )
    })
}

/// `hash.txt`'s lines, `kind: hash`.
fn parse_hashes(text: &str) -> HashMap<&str, &str> {
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(kind, hash)| (kind.trim(), hash.trim()))
        .filter(|(_, hash)| !hash.is_empty())
        .collect()
}

impl Assets {
    fn new(options: &LeptosOptions, hashes: HashMap<&str, &str>) -> Assets {
        let pkg = format!("/{}", options.site_pkg_dir);
        let name = options.output_name.as_ref();
        let hashed = |kind: &str, base: &str, ext: &str| match hashes.get(kind) {
            Some(hash) => format!("{base}.{hash}.{ext}"),
            None => format!("{base}.{ext}"),
        };
        // Without hashing, a build not made by cargo-leptos names the WebAssembly `<name>_bg`.
        let wasm_base = if hashes.is_empty() && option_env!("LEPTOS_OUTPUT_NAME").is_none() {
            format!("{name}_bg")
        } else {
            name.to_string()
        };
        let script = format!("{pkg}/{}", hashed("js", name, "js"));
        let wasm = format!("{pkg}/{}", hashed("wasm", &wasm_base, "wasm"));
        let js = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let bootstrap = format!(
            "import({}).then(async (m) => {{ await m.default({{ module_or_path: {} }}); m.hydrate(); }});",
            js(&script),
            js(&wasm)
        );
        let manifest_file = match hashes.get("manifest") {
            Some(hash) => format!("__wasm_split_manifest.{hash}.json"),
            None => "__wasm_split_manifest.json".into(),
        };
        let split_js = match hashes.get("split") {
            Some(hash) => format!("__wasm_split.{hash}.js"),
            None => "__wasm_split.______________________.js".into(),
        };
        let split = std::fs::read_to_string(
            std::path::Path::new(options.site_root.as_ref())
                .join(options.site_pkg_dir.as_ref())
                .join(manifest_file),
        )
        .ok()
        .and_then(|text| serde_json::from_str::<HashMap<String, Vec<String>>>(&text).ok())
        .map(|chunks| WasmSplitManifest(ArcStoredValue::new((pkg.clone(), chunks, split_js))));
        Assets {
            stylesheet: format!("{pkg}/{}", hashed("css", name, "css")),
            script,
            wasm,
            bootstrap,
            split,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(hash_files: bool) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name("partner-center")
            .site_root("/nonexistent")
            .site_pkg_dir("pkg")
            .hash_files(hash_files)
            .build()
    }

    #[test]
    fn hashed_names_come_from_the_hash_file() {
        let text = "js: abc\nwasm: def\ncss: 123\nmanifest: m1\nsplit: s1\n";
        let a = Assets::new(&options(true), parse_hashes(text));
        assert_eq!(a.stylesheet, "/pkg/partner-center.123.css");
        assert_eq!(a.script, "/pkg/partner-center.abc.js");
        assert_eq!(a.wasm, "/pkg/partner-center.def.wasm");
        assert!(
            a.bootstrap
                .contains(r#"import("/pkg/partner-center.abc.js")"#)
        );
        assert!(
            a.bootstrap
                .contains(r#"module_or_path: "/pkg/partner-center.def.wasm""#)
        );
        assert!(a.split.is_none(), "no manifest file under /nonexistent");
    }

    #[test]
    fn plain_names_without_hashes() {
        let a = Assets::new(&options(false), HashMap::new());
        assert_eq!(a.stylesheet, "/pkg/partner-center.css");
        assert_eq!(a.script, "/pkg/partner-center.js");
        assert!(a.wasm.starts_with("/pkg/partner-center"), "{}", a.wasm);
        assert!(a.wasm.ends_with(".wasm"));
    }
}
