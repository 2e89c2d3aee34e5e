//! The `partner-center` binary: the web server and the operator command line.

/// The server allocates many small, short-lived strings per request (rendering); mimalloc's
/// thread-local free lists serve them at a fraction of glibc malloc's cost (the README's
/// performance section has the figures). Its memory is given back to the system as soon as it
/// is free (see [`return_memory_promptly`]).
#[cfg(feature = "ssr")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(feature = "ssr")]
fn main() -> std::process::ExitCode {
    return_memory_promptly();
    partner_center::server::cli::main()
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The WebAssembly build uses `lib.rs::hydrate`; this binary exists only with `ssr`.
}

/// mimalloc (v3) keeps freed memory for a second before returning it and commits its arenas
/// eagerly: twice glibc's resident memory here (63 MiB idle, 193 MiB under the benchmark).
/// Purging at once (and committing on demand the arenas reserved from now on) brings it back
/// near glibc's figures (46 MiB idle, 61 MiB under load) and keeps the speed. The options are
/// numbered by mimalloc's C enum, which its Rust binding does not name for v3: each is set only
/// while it holds v3's default (so a mimalloc whose numbering differs is left as it is), and a
/// `MIMALLOC_*` variable still overrides it.
#[cfg(feature = "ssr")]
fn return_memory_promptly() {
    use libmimalloc_sys::{mi_option_get, mi_option_set, mi_option_t};
    use std::ffi::c_long;
    const ARENA_EAGER_COMMIT: (mi_option_t, &str, c_long, c_long) =
        (4, "MIMALLOC_ARENA_EAGER_COMMIT", 2, 0);
    const PURGE_DELAY: (mi_option_t, &str, c_long, c_long) = (15, "MIMALLOC_PURGE_DELAY", 1000, 0);
    for (option, variable, default, value) in [ARENA_EAGER_COMMIT, PURGE_DELAY] {
        if std::env::var_os(variable).is_some() {
            continue;
        }
        // SAFETY: reading and setting an option are thread-safe calls without pointers.
        unsafe {
            if mi_option_get(option) == default {
                mi_option_set(option, value);
            }
        }
    }
}
