//! The command line of the `partner-center` binary: the server and the operator's tools.
//!
//! Conventions (as `gitea admin user create`): results are one JSON object on stdout; errors are
//! a clear message on stderr and a non-zero exit code. The database comes from `DATABASE_URL`
//! (default: a SQLite file under `./data/`), and every command migrates it first.

use super::config::Config;
use super::db::Db;
use crate::accounts::service::{self as accounts, Actor, NewCustomer, NewPartner};
use crate::domain::{AccountName, CustomerMode, DisplayName, HcpnState, NewPassword, PartnerKind};
use crate::error::AppError;
use crate::i18n::{Lang, t};
use clap::{Parser, Subcommand};
use serde_json::{Value, json};
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

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

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (the default). Never loads demo data by itself.
    Serve(ServeArgs),
    /// Create or upgrade the database schema.
    Migrate,
    /// Load the demo partners, customers and operator, if the database has no users yet.
    SeedDemo,
    /// List every route the server answers: pages, server functions and the other HTTP
    /// routes (the authorization test is generated from this list). Opens no database.
    Routes,
    /// Operator tools.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(clap::Args, Default)]
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
    /// SMTP server for email, e.g. smtp://127.0.0.1:25 (plain) or smtps://user:pass@host.
    /// Without one, emails wait in the outbox.
    #[arg(long, env = "PC_SMTP_URL")]
    smtp_url: Option<String>,
    /// Sender of emails.
    #[arg(long, env = "PC_MAIL_FROM", default_value = super::config::DEFAULT_MAIL_FROM)]
    mail_from: String,
    /// Reverse proxies (comma-separated IP addresses) whose X-Forwarded-For and
    /// X-Forwarded-Proto are believed. Off by default: the headers are ignored.
    #[arg(long, env = "PC_TRUSTED_PROXIES", default_value = "")]
    trusted_proxy: String,
}

#[derive(Subcommand)]
#[allow(clippy::enum_variant_names)] // the names are the sub-commands users type
enum AdminCommand {
    /// Create a partner and its first user.
    CreatePartner {
        #[arg(long)]
        name: String,
        /// solution-provider | distributor | reseller
        #[arg(long)]
        kind: String,
        /// The distributor of a reseller.
        #[arg(long)]
        parent: Option<i64>,
        #[arg(long)]
        login: String,
        #[arg(long)]
        password: String,
        /// onboarded | pending (default: onboarded)
        #[arg(long, default_value = "onboarded")]
        hcpn: String,
        /// Contact email (for invitations).
        #[arg(long)]
        email: Option<String>,
    },
    /// Create a customer linked to a partner, and its user.
    /// Create a customer: associated with `--partner` in `--mode`, or, without both, a customer
    /// with no partner yet (to be invited).
    CreateCustomer {
        #[arg(long)]
        partner: Option<i64>,
        /// resale | consulting
        #[arg(long)]
        mode: Option<String>,
        #[arg(long)]
        name: String,
        #[arg(long)]
        login: String,
        #[arg(long)]
        password: String,
    },
    /// Fund a partner: money entering its account from outside (operator funding).
    Fund {
        #[arg(long)]
        partner: i64,
        /// Yuan, > 0, at most 2 decimal places (e.g. 123.45).
        #[arg(long)]
        amount: String,
        /// Idempotency key: repeating a command with the same id moves the money once.
        #[arg(long)]
        trans_id: Option<String>,
    },
    /// Create an operator (华为云运营) user.
    CreateOperator {
        #[arg(long)]
        login: String,
        #[arg(long)]
        password: String,
    },
    /// Create a personal account (个人华为账号) that partners may invite as an employee.
    CreatePersonal {
        #[arg(long)]
        login: String,
        #[arg(long)]
        password: String,
        /// Real-name verified (实名认证).
        #[arg(long)]
        verified: bool,
        /// cn | intl (default: cn)
        #[arg(long, default_value = "cn")]
        site: String,
    },
    /// Set a partner's contact email and mobile phone (where order notices go).
    SetPartnerContact {
        #[arg(long)]
        partner: i64,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        phone: Option<String>,
    },
    /// Record or withdraw a personal account's real-name verification.
    SetRealName {
        #[arg(long)]
        login: String,
        /// true | false
        #[arg(long, action = clap::ArgAction::Set)]
        verified: bool,
    },
    /// Share an opportunity (HO) from Huawei Cloud with a partner of the PCE plan.
    ShareHo {
        #[arg(long)]
        partner: i64,
        #[arg(long)]
        customer: String,
        #[arg(long)]
        product: String,
        /// Expected amount in yuan.
        #[arg(long)]
        amount: String,
        /// When it was shared (RFC 3339; default: now). The 3-business-day deadline counts from it.
        #[arg(long)]
        shared_at: Option<String>,
    },
    /// Grant a partner a voucher quota: 代金券额度 (`--kind coupon`) or 提货券额度 (`pickup`).
    GrantQuota {
        #[arg(long)]
        partner: i64,
        #[arg(long, default_value = "coupon")]
        kind: String,
        /// Yuan, > 0, at most 2 decimal places.
        #[arg(long)]
        amount: String,
        /// Valid from now for this many days.
        #[arg(long, default_value_t = 365)]
        days: i64,
        /// The largest face value of one coupon (单张面额上限), in yuan.
        #[arg(long)]
        max_face: Option<String>,
        /// Allowed cloud service types, comma-separated (at most 10).
        #[arg(long, default_value = "")]
        service_types: String,
        /// Allowed products, comma-separated (at most 10).
        #[arg(long, default_value = "")]
        products: String,
    },
    /// Create an access key (AK/SK) for a partner user, for the open API.
    CreateAccessKey {
        #[arg(long)]
        login: String,
    },
    /// Set a quota's status: 0 正常, 3 失效, 4 额度调整中, 5 冻结.
    SetQuotaStatus {
        #[arg(long)]
        quota: i64,
        #[arg(long)]
        status: i64,
    },
    /// Rotate the master key that seals access-key secrets. With a key file (the default, or
    /// PC_MASTER_KEY_FILE): a new key is generated and every secret re-sealed under it. With
    /// PC_MASTER_KEY="new,old": every secret is re-sealed under the first key.
    RotateMasterKey,
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
    match runtime.block_on(run(cli
        .command
        .unwrap_or(Command::Serve(ServeArgs::default()))))
    {
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
        Command::SeedDemo => {
            let db = open_db().await?;
            Ok(Some(super::seed::seed_demo(&db).await?))
        }
        Command::Admin { command } => admin(command).await.map(Some),
        Command::Routes => Ok(Some(super::router::route_list())),
    }
}

async fn admin(command: AdminCommand) -> Result<Value, CliError> {
    match command {
        AdminCommand::CreatePartner {
            name,
            kind,
            parent,
            login,
            password,
            hcpn,
            email,
        } => {
            let kind = PartnerKind::parse(&kind).ok_or_else(|| {
                CliError("--kind must be solution-provider, distributor or reseller".into())
            })?;
            let hcpn = HcpnState::parse(&hcpn)
                .ok_or_else(|| CliError("--hcpn must be onboarded or pending".into()))?;
            let p = NewPartner {
                name: parse(DisplayName::parse(&name), "--name")?,
                kind,
                parent_id: parent,
                hcpn,
                email,
                login: parse(AccountName::parse(&login), "--login")?,
                password: parse(NewPassword::parse(&password), "--password")?,
            };
            let db = open_db().await?;
            let (partner_id, user_id) = accounts::create_partner(&db, p, &Actor::cli()).await?;
            Ok(json!({"partner_id": partner_id, "user_id": user_id}))
        }
        AdminCommand::CreateCustomer {
            partner,
            mode,
            name,
            login,
            password,
        } => {
            let link = match (partner, mode) {
                (Some(p), Some(m)) => Some((
                    p,
                    CustomerMode::parse(&m)
                        .ok_or_else(|| CliError("--mode must be resale or consulting".into()))?,
                )),
                (None, None) => None,
                _ => return Err(CliError("--partner and --mode go together".into())),
            };
            let c = NewCustomer {
                link,
                name: parse(DisplayName::parse(&name), "--name")?,
                login: parse(AccountName::parse(&login), "--login")?,
                password: parse(NewPassword::parse(&password), "--password")?,
            };
            let db = open_db().await?;
            let (customer_id, user_id) = accounts::create_customer(&db, c, &Actor::cli()).await?;
            Ok(json!({"customer_id": customer_id, "user_id": user_id}))
        }
        AdminCommand::Fund {
            partner,
            amount,
            trans_id,
        } => {
            let amount = parse(crate::domain::Amount::parse(&amount), "--amount")?;
            let db = open_db().await?;
            let r =
                crate::funds::service::fund_partner(&db, &Actor::cli(), partner, amount, trans_id)
                    .await?;
            Ok(
                json!({"trans_id": r.trans_id, "amount": r.amount.to_string(), "balance": r.to_balance_after.to_string(), "replayed": r.replayed}),
            )
        }
        AdminCommand::CreateOperator { login, password } => {
            let login = parse(AccountName::parse(&login), "--login")?;
            let password = parse(NewPassword::parse(&password), "--password")?;
            let db = open_db().await?;
            let user_id = accounts::create_operator(&db, login, password, &Actor::cli()).await?;
            Ok(json!({"user_id": user_id}))
        }
        AdminCommand::CreatePersonal {
            login,
            password,
            verified,
            site,
        } => {
            let login = parse(AccountName::parse(&login), "--login")?;
            let password = parse(NewPassword::parse(&password), "--password")?;
            let site = accounts::Site::parse(&site)
                .ok_or_else(|| CliError("--site must be cn or intl".into()))?;
            let db = open_db().await?;
            let user_id =
                accounts::create_personal(&db, login, password, verified, site, &Actor::cli())
                    .await?;
            Ok(json!({"user_id": user_id}))
        }
        AdminCommand::SetPartnerContact {
            partner,
            email,
            phone,
        } => {
            let db = open_db().await?;
            accounts::set_partner_contact(
                &db,
                partner,
                email.as_deref(),
                phone.as_deref(),
                &Actor::cli(),
            )
            .await?;
            Ok(json!({"partner_id": partner}))
        }
        AdminCommand::SetRealName { login, verified } => {
            let login = parse(AccountName::parse(&login), "--login")?;
            let db = open_db().await?;
            let user_id = accounts::set_real_name(&db, &login, verified, &Actor::cli()).await?;
            Ok(json!({"user_id": user_id, "verified": verified}))
        }
        AdminCommand::ShareHo {
            partner,
            customer,
            product,
            amount,
            shared_at,
        } => {
            let shared_at = match shared_at {
                None => None,
                Some(s) => Some(
                    chrono::DateTime::parse_from_rfc3339(&s)
                        .map_err(|_| {
                            CliError(
                                "--shared-at must be RFC 3339, e.g. 2026-11-20T10:00:00+08:00"
                                    .into(),
                            )
                        })?
                        .timestamp_millis(),
                ),
            };
            let input = parse(
                crate::pce::model::NewOpportunity::parse(
                    &customer,
                    &product,
                    &amount,
                    "discovery",
                    true,
                ),
                "--customer/--product/--amount",
            )?;
            let db = open_db().await?;
            let id = crate::pce::service::share_ho(&db, &Actor::cli(), partner, &input, shared_at)
                .await?;
            Ok(json!({"opportunity_id": id}))
        }
        AdminCommand::GrantQuota {
            partner,
            kind,
            amount,
            days,
            max_face,
            service_types,
            products,
        } => {
            use crate::vouchers::model::{Kind, Limits};
            let grant = crate::vouchers::service::Grant {
                partner,
                kind: Kind::parse(&kind)
                    .ok_or_else(|| CliError("--kind must be coupon or pickup".into()))?,
                value: parse(crate::domain::Amount::parse(&amount), "--amount")?,
                days,
                max_face: match max_face {
                    Some(m) => Some(parse(crate::domain::Amount::parse(&m), "--max-face")?),
                    None => None,
                },
                service_types: parse(
                    Limits::parse(
                        &service_types,
                        crate::vouchers::VoucherError::TooManyServiceTypes,
                    ),
                    "--service-types",
                )?,
                products: parse(
                    Limits::parse(&products, crate::vouchers::VoucherError::TooManyProducts),
                    "--products",
                )?,
            };
            let db = open_db().await?;
            let id = crate::vouchers::service::grant_quota(&db, &Actor::cli(), &grant).await?;
            Ok(json!({"quota_id": id}))
        }
        AdminCommand::CreateAccessKey { login } => {
            let login = parse(AccountName::parse(&login), "--login")?;
            let db = open_db().await?;
            let key = crate::openapi::service::create_for_login(&db, login.as_str()).await?;
            Ok(json!({"ak": key.ak, "sk": key.sk, "domain_id": key.domain_id}))
        }
        AdminCommand::RotateMasterKey => rotate_master_key().await,
        AdminCommand::SetQuotaStatus { quota, status } => {
            let status = crate::vouchers::model::QuotaStatus::from_code(status)
                .ok_or_else(|| CliError("--status must be 0, 3, 4 or 5".into()))?;
            let db = open_db().await?;
            crate::vouchers::service::set_quota_status(&db, &Actor::cli(), quota, status).await?;
            Ok(json!({"quota_id": quota, "status": status.code()}))
        }
    }
}

/// `admin rotate-master-key`: see [`AdminCommand::RotateMasterKey`].
async fn rotate_master_key() -> Result<Value, CliError> {
    use super::secrets::{self, KeySource};
    let url = Config::database_url_from_env();
    let db = open_db().await?;
    let file = match secrets::key_source(db.backend, &url) {
        KeySource::File(path) => Some(path),
        KeySource::Env(_) => None,
    };
    let db = match &file {
        Some(path) => db.with_keys(secrets::begin_file_rotation(path)?),
        None => db,
    };
    let resealed = crate::openapi::service::reseal_keys(&db).await?;
    let stale = crate::openapi::service::stale_keys(&db).await?;
    if stale > 0 {
        return Err(CliError(format!(
            "{stale} secret(s) could not be opened with the configured keys; the old keys are kept"
        )));
    }
    if let Some(path) = &file {
        secrets::finish_file_rotation(path)?;
    }
    Ok(json!({
        "resealed": resealed,
        "key_id": db.keys.current_id(),
        "source": db.keys.source,
    }))
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
    };
    let mailer = match &config.smtp_url {
        Some(url) => {
            Some(crate::notify::service::Mailer::new(url, &config.mail_from).map_err(CliError)?)
        }
        None => {
            tracing::warn!(
                "no SMTP server configured (--smtp-url / PC_SMTP_URL): emails stay in the outbox"
            );
            None
        }
    };
    let (app, state) = super::router::build(config).await?;
    accounts::warm_up();
    {
        // The address goes to stdout so scripts (and the tests) can find a port-0 server.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", json!({"listening": format!("http://{local}")}));
        let _ = out.flush();
    }
    tracing::info!(%local, "serving");
    super::jobs::start(&state.db, mailer);
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
