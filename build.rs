//! Gives the build an id that changes with any source or dependency change (`PC_BUILD_ID`).
//!
//! The browser keeps `/pkg` files for a year, named by their content. With lazily loaded pages
//! (`--split`) the main WebAssembly is named by its content *before* the name of the chunk loader
//! is written into it, so a change to a lazily loaded page alone could leave the main module's
//! name unchanged while it now needs a new loader. The main module carries this id (see
//! `hydrate`), so its name changes whenever anything that could change a chunk does.

use std::hash::{DefaultHasher, Hasher};
use std::path::Path;

fn visit(dir: &Path, h: &mut DefaultHasher) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            visit(&path, h);
        } else if let Ok(bytes) = std::fs::read(&path) {
            h.write(path.to_string_lossy().as_bytes());
            h.write(&bytes);
        }
    }
}

fn main() {
    let mut h = DefaultHasher::new();
    visit(Path::new("src"), &mut h);
    for file in ["Cargo.toml", "Cargo.lock"] {
        if let Ok(bytes) = std::fs::read(file) {
            h.write(&bytes);
        }
    }
    println!("cargo:rustc-env=PC_BUILD_ID={:016x}", h.finish());
    for path in ["src", "Cargo.toml", "Cargo.lock", "build.rs"] {
        println!("cargo:rerun-if-changed={path}");
    }
}
