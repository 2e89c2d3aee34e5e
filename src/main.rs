//! The `partner-center` binary: the web server and the operator command line.

/// The server allocates many small, short-lived strings per request (rendering); mimalloc's
/// thread-local free lists serve them at a fraction of glibc malloc's cost (see the README's
/// performance section).
#[cfg(feature = "ssr")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(feature = "ssr")]
fn main() -> std::process::ExitCode {
    partner_center::server::cli::main()
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The WebAssembly build uses `lib.rs::hydrate`; this binary exists only with `ssr`.
}
