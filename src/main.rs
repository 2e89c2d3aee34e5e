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

/// mimalloc (v3) keeps freed memory for a second before returning it: twice glibc's resident
/// memory here (63 MiB idle, 193 MiB under the benchmark). Purging at once brings it back near
/// glibc's figures (46 MiB idle, 61 MiB under load) and keeps the speed. The option is numbered
/// by mimalloc's C enum, which its Rust binding does not name for v3: it is set only while it
/// holds v3's default (a mimalloc whose numbering differs is left as it is), and
/// `MIMALLOC_PURGE_DELAY` still overrides it.
#[cfg(feature = "ssr")]
fn return_memory_promptly() {
    use libmimalloc_sys::{mi_option_get, mi_option_set, mi_option_t};
    const PURGE_DELAY: mi_option_t = 15;
    const PURGE_DELAY_DEFAULT: std::ffi::c_long = 1000;
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: reading and setting an option are thread-safe calls without pointers.
    unsafe {
        if mi_option_get(PURGE_DELAY) == PURGE_DELAY_DEFAULT {
            mi_option_set(PURGE_DELAY, 0);
        }
    }
}
