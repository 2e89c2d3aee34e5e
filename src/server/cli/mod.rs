//! The command line of the `partner-center` binary: the server and the operator's tools.
//!
//! Conventions (as `gitea admin user create`): results are one JSON object on stdout; errors are
//! a clear message on stderr and a non-zero exit code. The database comes from `DATABASE_URL`
//! (default: a SQLite file under `./data/`), and every command migrates it first.

use super::config::Config;
use super::db::Db;
use crate::accounts::service as accounts;
use crate::error::AppError;
use crate::i18n::{Lang, t};
use clap::{Parser, Subcommand};
use serde_json::{Value, json};
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

mod admin;
use admin::{AdminCommand, admin};

#[derive(Parser)]
#[command(
    name = "partner-center",
    version,
    about = "Huawei Cloud partner center: web server and operator tools"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

// Parsed once per process: the size of the serve variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Serve the web application (the default). Never loads demo data by itself.
    Serve(ServeArgs),
    /// Create or upgrade the database schema.
    Migrate,
    /// Load the demo partners, customers and operator, if the database has no users yet.
    SeedDemo {
        /// Months of the provider's history with its resale customer (allocations, orders,
        /// coupons), so charts show something; 0 for none.
        #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(0..=24))]
        history_months: u32,
    },
    /// List every route the server answers: pages, server functions and the other HTTP
    /// routes (the authorization test is generated from this list). Opens no database.
    Routes,
    /// The scheduler's jobs (they also run inside `serve`).
    Jobs {
        #[command(subcommand)]
        command: JobsCommand,
    },
    /// Operator tools.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (printed on stdout).
    #[arg(long, default_value = "127.0.0.1:3000")]
    addr: Option<SocketAddr>,
    /// Mark cookies Secure (set when users reach the site over https).
    #[arg(long, env = "PC_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Enable the in-memory comparison route used by scripts/bench.
    #[arg(long)]
    bench_routes: bool,
    /// The address users reach the site at, e.g. https://partners.example.com (default: the
    /// listening address). Used in certificates' verification links and in emails.
    #[arg(long, env = "PC_PUBLIC_URL")]
    public_url: Option<String>,
    /// The CJK font certificates are drawn with (default: Debian's fonts-wqy-microhei).
    #[arg(long, env = "PC_CERT_FONT")]
    cert_font: Option<String>,
    /// SMTP server for email, in lettre's URL form: smtps://user:pass@host (implicit TLS,
    /// port 465), smtp://user:pass@host?tls=required (STARTTLS, port 587), or smtp://host
    /// (plain, port 25: a relay you chose; credentials on a plain connection only to a loopback
    /// host or with insecure_auth=yes). Without one, emails wait in the outbox.
    #[arg(long, env = "PC_SMTP_URL")]
    smtp_url: Option<String>,
    /// PEM certificate(s) to trust for the SMTP server besides the public roots (a private CA,
    /// or a server's own self-signed certificate).
    #[arg(long, env = "PC_SMTP_CA_FILE")]
    smtp_ca_file: Option<std::path::PathBuf>,
    /// Huawei Cloud SMS (消息&短信): the service's address, e.g.
    /// https://smsapi.cn-north-4.myhuaweicloud.com:443. Without it, SMS wait in the outbox.
    #[arg(long, env = "PC_SMS_URL")]
    sms_url: Option<String>,
    /// The SMS application's app key.
    #[arg(long, env = "PC_SMS_APP_KEY", default_value = "")]
    sms_app_key: String,
    /// The SMS application's app secret (prefer the environment: it is never printed).
    #[arg(
        long,
        env = "PC_SMS_APP_SECRET",
        default_value = "",
        hide_env_values = true
    )]
    sms_app_secret: String,
    /// The SMS sender channel number (通道号).
    #[arg(long, env = "PC_SMS_SENDER", default_value = "")]
    sms_sender: String,
    /// Approved template ids per text: `order.partner_pay=<templateId>,…`.
    #[arg(long, env = "PC_SMS_TEMPLATES", default_value = "")]
    sms_templates: String,
    /// The SMS signature name (for general templates).
    #[arg(long, env = "PC_SMS_SIGNATURE")]
    sms_signature: Option<String>,
    /// Sender of emails.
    #[arg(long, env = "PC_MAIL_FROM", default_value = super::config::DEFAULT_MAIL_FROM)]
    mail_from: String,
    /// Reverse proxies (comma-separated IP addresses) whose X-Forwarded-For and
    /// X-Forwarded-Proto are believed. Off by default: the headers are ignored.
    #[arg(long, env = "PC_TRUSTED_PROXIES", default_value = "")]
    trusted_proxy: String,
    /// 资金管理 maker–checker: operator funding above this amount waits for a second operator's
    /// approval (yuan, two decimals).
    #[arg(long, env = "PC_FUNDING_THRESHOLD", default_value = super::config::DEFAULT_FUNDING_THRESHOLD)]
    funding_threshold: String,
    /// Days after which an unpaid order is cancelled by the scheduler.
    #[arg(long, env = "PC_UNPAID_ORDER_DAYS", default_value_t = super::jobs::UNPAID_ORDER_DAYS)]
    unpaid_order_days: i64,
    /// The pause after a failed email or SMS delivery, in milliseconds; it doubles at each
    /// further failure (at most an hour) and a delivery is given up after 5 attempts.
    #[arg(long, env = "PC_OUTBOX_RETRY_MS", default_value_t = 30_000)]
    outbox_retry_ms: i64,
    /// Do not run the scheduler's periodic jobs in this process (other server processes, or
    /// cron with `jobs run-once`, run them). The outbox is still delivered.
    #[arg(long, env = "PC_NO_JOBS")]
    no_jobs: bool,
}

#[derive(Subcommand)]
enum JobsCommand {
    /// Run every job once (for cron, or to see what is due at an instant), each under its
    /// lease: a job another process is running is skipped. Prints what each job changed.
    RunOnce(RunOnceArgs),
    /// The jobs' names.
    List,
}

#[derive(clap::Args)]
struct RunOnceArgs {
    /// The instant to run at: `YYYY-MM-DD HH:MM:SS` (China time) or unix milliseconds
    /// (default: now).
    #[arg(long)]
    at: Option<String>,
    /// Only these jobs (comma-separated names; see `jobs list`).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Days after which an unpaid order is cancelled.
    #[arg(long, env = "PC_UNPAID_ORDER_DAYS", default_value_t = super::jobs::UNPAID_ORDER_DAYS)]
    unpaid_order_days: i64,
    /// Hold each lease this many milliseconds before working (for testing leases).
    #[arg(long, hide = true)]
    hold_ms: Option<u64>,
}

/// `--at`: unix milliseconds, or a China-time `YYYY-MM-DD HH:MM:SS`.
fn parse_instant(raw: &str) -> Result<i64, CliError> {
    let raw = raw.trim();
    if let Ok(ms) = raw.parse::<i64>() {
        return Ok(ms);
    }
    chrono::NaiveDateTime::parse_from_str(&raw.replace('T', " "), "%Y-%m-%d %H:%M:%S")
        .map(|t| t.and_utc().timestamp_millis() - crate::domain::CST_OFFSET_MS)
        .map_err(|_| CliError(format!("--at: not an instant: {raw}")))
}

fn unpaid_order_ms(days: i64) -> Result<i64, CliError> {
    if (1..=365).contains(&days) {
        Ok(days * crate::domain::DAY_MS)
    } else {
        Err(CliError("--unpaid-order-days: between 1 and 365".into()))
    }
}

async fn jobs(command: JobsCommand) -> Result<Value, CliError> {
    match command {
        JobsCommand::List => Ok(json!({"jobs": super::jobs::names()})),
        JobsCommand::RunOnce(args) => {
            let once = super::jobs::Once {
                at: args.at.as_deref().map(parse_instant).transpose()?,
                only: args.only,
                hold: args.hold_ms.map(std::time::Duration::from_millis),
                settings: super::jobs::Settings {
                    unpaid_order_ms: unpaid_order_ms(args.unpaid_order_days)?,
                },
            };
            if let Ok(url) = std::env::var("PC_PUBLIC_URL")
                && !url.trim().is_empty()
            {
                super::config::set_public_url(url.trim());
            }
            let db = open_db().await?;
            Ok(super::jobs::run_once(&db, &once).await?)
        }
    }
}

/// A command-line failure: the message printed on stderr.
struct CliError(String);

impl From<AppError> for CliError {
    fn from(e: AppError) -> Self {
        CliError(format!("{} ({})", t(Lang::En, e.key()), e.key()))
    }
}

impl From<String> for CliError {
    fn from(s: String) -> Self {
        CliError(s)
    }
}

/// A flag's value, or why not (anything with a message key: a domain's refusal or a parser's).
fn parse<T, K: MessageKey>(r: Result<T, K>, flag: &str) -> Result<T, CliError> {
    r.map_err(|k| {
        let k = k.message_key();
        CliError(format!("{flag}: {} ({k})", t(Lang::En, k)))
    })
}

trait MessageKey {
    fn message_key(self) -> &'static str;
}

impl MessageKey for &'static str {
    fn message_key(self) -> &'static str {
        self
    }
}

impl MessageKey for crate::vouchers::VoucherError {
    fn message_key(self) -> &'static str {
        self.key()
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    // No command is `serve` with its defaults (and the environment's settings).
    let command = cli
        .command
        .or_else(|| Cli::parse_from(["partner-center", "serve"]).command);
    let Some(command) = command else {
        return ExitCode::FAILURE;
    };
    match runtime.block_on(run(command)) {
        Ok(Some(v)) => {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{v}");
            ExitCode::SUCCESS
        }
        Ok(None) => ExitCode::SUCCESS,
        Err(CliError(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("RUST_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

async fn open_db() -> Result<Db, CliError> {
    let db = Db::connect(&Config::database_url_from_env()).await?;
    db.migrate().await?;
    Ok(db)
}

async fn run(command: Command) -> Result<Option<Value>, CliError> {
    match command {
        Command::Serve(args) => serve(args).await.map(|()| None),
        Command::Migrate => {
            open_db().await?;
            Ok(Some(json!({"migrated": true})))
        }
        Command::SeedDemo { history_months } => {
            let db = open_db().await?;
            Ok(Some(super::seed::seed_demo(&db, history_months).await?))
        }
        Command::Jobs { command } => jobs(command).await.map(Some),
        Command::Admin { command } => admin(command).await.map(Some),
        Command::Routes => Ok(Some(super::router::route_list())),
    }
}

async fn serve(args: ServeArgs) -> Result<(), CliError> {
    let addr = args
        .addr
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 3000)));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| CliError(format!("cannot listen on {addr}: {e}")))?;
    let local = listener.local_addr().map_err(|e| CliError(e.to_string()))?;
    let public_url = args
        .public_url
        .filter(|u| !u.trim().is_empty())
        .map(|u| u.trim().trim_end_matches('/').to_string())
        .unwrap_or_else(|| format!("http://{local}"));
    let config = Config {
        database_url: Config::database_url_from_env(),
        addr,
        secure_cookies: args.secure_cookies,
        bench_routes: args.bench_routes,
        site_root: Config::site_root_from_env(),
        public_url,
        cert_font: args.cert_font.filter(|p| !p.trim().is_empty()),
        smtp_url: args.smtp_url.filter(|u| !u.trim().is_empty()),
        mail_from: Some(args.mail_from)
            .filter(|f| !f.trim().is_empty())
            .unwrap_or_else(|| super::config::DEFAULT_MAIL_FROM.to_string()),
        trusted_proxies: super::config::parse_proxies(&args.trusted_proxy)?,
        funding_threshold: crate::domain::Amount::parse(&args.funding_threshold).map_err(|_| {
            CliError("--funding-threshold must be a positive amount such as 100000.00".into())
        })?,
    };
    let mailer = match &config.smtp_url {
        Some(url) => Some(
            crate::notify::service::Mailer::new(
                url,
                &config.mail_from,
                args.smtp_ca_file.as_deref(),
            )
            .map_err(CliError)?,
        ),
        None => {
            tracing::warn!(
                "no SMTP server configured (--smtp-url / PC_SMTP_URL): emails stay in the outbox"
            );
            None
        }
    };
    let sms = match args.sms_url.as_deref().filter(|u| !u.trim().is_empty()) {
        Some(url) => {
            let config = crate::notify::sms::SmsConfig::new(
                url,
                &args.sms_app_key,
                &args.sms_app_secret,
                &args.sms_sender,
                &args.sms_templates,
                args.sms_signature.as_deref(),
            )?;
            Some(crate::notify::sms::HuaweiSms::new(config)?)
        }
        None => {
            tracing::warn!(
                "no SMS gateway configured (--sms-url / PC_SMS_URL): SMS stay in the outbox"
            );
            None
        }
    };
    super::config::set_public_url(&config.public_url);
    let (app, state) = super::router::build(config).await?;
    accounts::warm_up();
    {
        // The address goes to stdout so scripts (and the tests) can find a port-0 server.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", json!({"listening": format!("http://{local}")}));
        let _ = out.flush();
    }
    tracing::info!(%local, "serving");
    let settings = super::jobs::Settings {
        unpaid_order_ms: unpaid_order_ms(args.unpaid_order_days)?,
    };
    let delivery = crate::notify::service::Delivery {
        mailer,
        sms,
        retry_ms: args.outbox_retry_ms.max(1),
    };
    super::jobs::start(&state.db, delivery, (!args.no_jobs).then_some(settings));
    // Every accepted connection gets TCP_NODELAY. Without it, a response written in more than
    // one piece (a file streamed by `ServeDir`, a streamed page, a CSV or PDF) meets Nagle's
    // algorithm on the server and delayed ACKs on the client: each kept-alive request then
    // stalls ~40 ms waiting for an ACK before its last segment leaves.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
    });
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| CliError(format!("server error: {e}")))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
