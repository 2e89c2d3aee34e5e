//! `partner-center admin …`: the operator's tools on the command line (create partners,
//! customers and operators, grant quotas, manage access keys, rotate the master key).

use super::{CliError, open_db, parse};
use crate::accounts::service::{self as accounts, Actor, NewCustomer, NewPartner};
use crate::domain::{AccountName, CustomerMode, DisplayName, HcpnState, NewPassword, PartnerKind};
use crate::server::config::Config;
use clap::Subcommand;
use serde_json::{Value, json};

#[derive(Subcommand)]
#[allow(clippy::enum_variant_names)] // the names are the sub-commands users type
pub(super) enum AdminCommand {
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
    /// Add a member to a partner (成员管理), active at once with the given password.
    CreateMember {
        #[arg(long)]
        partner: i64,
        #[arg(long)]
        login: String,
        #[arg(long)]
        email: String,
        /// admin | finance | business
        #[arg(long)]
        role: String,
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

pub(super) async fn admin(command: AdminCommand) -> Result<Value, CliError> {
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
                password: parse(NewPassword::parse(&password), "--password")?.into(),
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
                password: parse(NewPassword::parse(&password), "--password")?.into(),
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
        AdminCommand::CreateMember {
            partner,
            login,
            email,
            role,
            password,
        } => {
            use crate::members::model::MemberRole;
            let login = parse(AccountName::parse(&login), "--login")?;
            let email = parse(crate::domain::Email::parse(&email), "--email")?;
            let role = MemberRole::parse(&role)
                .ok_or_else(|| CliError("--role must be admin, finance or business".into()))?;
            let password = parse(NewPassword::parse(&password), "--password")?;
            let db = open_db().await?;
            let user_id = crate::members::service::create_active(
                &db,
                &Actor::cli(),
                partner,
                &login,
                &email,
                role,
                &password,
            )
            .await?;
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
            crate::vouchers::service::set_quota_status(&db, &Actor::cli(), quota, status, None)
                .await?;
            Ok(json!({"quota_id": quota, "status": status.code()}))
        }
    }
}

/// `admin rotate-master-key`: see [`AdminCommand::RotateMasterKey`].
async fn rotate_master_key() -> Result<Value, CliError> {
    use crate::server::secrets::{self, KeySource};
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
