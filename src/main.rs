//! The `partner-center` binary: the web server and the operator command line.

#[cfg(feature = "ssr")]
fn main() -> std::process::ExitCode {
    partner_center::server::cli::main()
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The WebAssembly build uses `lib.rs::hydrate`; this binary exists only with `ssr`.
}
