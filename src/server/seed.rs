//! Demo data for a fresh installation: one account of each kind, listed in the README.

use super::db::Db;
use crate::accounts::service::{self as accounts, Actor, NewCustomer, NewPartner};
use crate::domain::{AccountName, CustomerMode, DisplayName, HcpnState, NewPassword, PartnerKind};
use crate::error::AppError;
use serde_json::{Value, json};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "Demo#2026";

fn name(s: &str) -> Result<DisplayName, AppError> {
    DisplayName::parse(s).map_err(AppError::invalid)
}

fn login(s: &str) -> Result<AccountName, AppError> {
    AccountName::parse(s).map_err(AppError::invalid)
}

fn password() -> Result<NewPassword, AppError> {
    NewPassword::parse(DEMO_PASSWORD).map_err(AppError::invalid)
}

/// Loads the demo accounts if the database has no users, with `history_months` months of the
/// provider's history (see `server::history`); otherwise changes nothing.
pub async fn seed_demo(db: &Db, history_months: u32) -> Result<Value, AppError> {
    if !accounts::is_empty(db).await? {
        return Ok(json!({"seeded": false, "reason": "the database already has users"}));
    }
    // With a history, the accounts and their opening funds date from before it.
    let history = (history_months > 0).then_some(i64::from(history_months));
    super::history::before(history);
    let seeded = seed(db, history).await;
    super::history::before(None);
    seeded
}

async fn seed(db: &Db, history: Option<i64>) -> Result<Value, AppError> {
    // The demo data is loaded from the command line (`partner-center seed-demo`).
    let actor = Actor {
        name: "seed-demo".into(),
        ..Actor::cli()
    };
    let partner = async |n: &str, kind, parent, hcpn, l: &str| -> Result<(i64, i64), AppError> {
        let new = NewPartner {
            name: name(n)?,
            kind,
            parent_id: parent,
            hcpn,
            email: Some(format!("{l}@partners.example.com")),
            login: login(l)?,
            password: password()?.into(),
        };
        accounts::create_partner(db, new, &actor).await
    };
    use HcpnState::{Onboarded, Pending};
    use PartnerKind::{Distributor, Reseller, SolutionProvider};
    // The reseller's parent is the distributor, created first.
    #[rustfmt::skip]
    let partners = [
        ("华南云总经销有限公司", Distributor, false, Onboarded, "distributor"),
        ("深圳云享经销有限公司", Reseller, true, Onboarded, "reseller"),
        ("杭州数智解决方案有限公司", SolutionProvider, false, Onboarded, "provider"),
        ("成都初创科技有限公司", SolutionProvider, false, Pending, "newcomer"),
    ];
    let mut ids = Vec::new();
    let mut users = Vec::new();
    for (n, kind, under_distributor, hcpn, l) in partners {
        let parent = ids.first().copied().filter(|_| under_distributor);
        let (id, user) = partner(n, kind, parent, hcpn, l).await?;
        ids.push(id);
        users.push(user);
    }
    let [distributor, reseller, provider, newcomer] = ids[..] else {
        return Err(AppError::Internal);
    };
    // Customers of the provider and of the reseller, and one with no partner yet (to try an
    // invitation link with).
    #[rustfmt::skip]
    let customers = [
        (Some((provider, CustomerMode::Resale)), "宁波港航物流有限公司", "customer-resale"),
        (Some((provider, CustomerMode::Consulting)), "苏州精密制造股份有限公司", "customer-consult"),
        (Some((reseller, CustomerMode::Resale)), "东莞智慧零售有限公司", "customer-reseller"),
        (None, "无锡新航科技有限公司", "customer-new"),
    ];
    let mut resale_customer = None;
    for (link, n, l) in customers {
        let new = NewCustomer {
            link,
            name: name(n)?,
            login: login(l)?,
            password: password()?.into(),
        };
        let made = accounts::create_customer(db, new, &actor).await?;
        if l == "customer-resale" {
            resale_customer = Some(made);
        }
    }
    accounts::create_operator(db, login("operator")?, password()?, &actor).await?;
    // A second operator: funding above the threshold needs two (资金管理 maker–checker).
    accounts::create_operator(db, login("operator2")?, password()?, &actor).await?;
    // The provider's colleagues: one member of each other role (成员管理).
    use crate::members::model::MemberRole;
    for (l, role) in [
        ("provider-finance", MemberRole::Finance),
        ("provider-sales", MemberRole::Business),
    ] {
        let email = crate::domain::Email::parse(&format!("{l}@partners.example.com"))
            .map_err(AppError::invalid)?;
        crate::members::service::create_active(
            db,
            &actor,
            provider,
            &login(l)?,
            &email,
            role,
            &password()?,
        )
        .await?;
    }
    // From here on, today (the opening funds excepted).
    super::history::before(None);
    // The newcomer has submitted its enterprise information: it waits in 入驻审核.
    let enterprise =
        crate::onboarding::model::Enterprise::parse(&crate::onboarding::model::EnterpriseInput {
            company: "成都初创科技有限公司".into(),
            uscc: crate::onboarding::model::Uscc::complete("91510100MA6C8U2Q7")
                .ok_or(AppError::Internal)?
                .as_str()
                .into(),
            address: "四川省成都市高新区天府大道北段 1700 号".into(),
            contact_name: "李娜".into(),
            contact_email: "newcomer@partners.example.com".into(),
            contact_phone: "13800138000".into(),
            kind: "solution_provider".into(),
            parent: String::new(),
        })
        .map_err(AppError::invalid)?;
    crate::onboarding::service::record_pending(db, &actor, newcomer, &enterprise).await?;
    // Opening balances, funded by the operator like any other money entering the system (before
    // the history, when there is one).
    super::history::before(history);
    for (partner, yuan) in [(distributor, "100000"), (provider, "50000")] {
        let amount = crate::domain::Amount::parse(yuan).map_err(AppError::invalid)?;
        crate::funds::service::fund_partner(
            db,
            &actor,
            partner,
            amount,
            Some(format!("seed-{partner}")),
        )
        .await?;
    }
    super::history::before(None);
    // The distributor has joined its distribution plan, so the demo shows a certificate.
    let certificate = crate::plans::service::grant(
        db,
        distributor,
        crate::plans::model::Plan::DistributionTier1,
        &actor,
    )
    .await?;
    // This year's public holidays (those the product knows), so business days are counted as
    // in China: the HO below already uses them.
    let year = chrono::Datelike::year(&crate::calendar::model::china_day(super::db::now_ms()));
    let holidays = crate::calendar::service::load_official(db, &actor, year).await?;
    // The provider takes part in PCE: one opportunity it registered, one Huawei Cloud shared.
    crate::plans::service::grant(db, provider, crate::plans::model::Plan::CoExpansion, &actor)
        .await?;
    let opportunity = |c: &str, p: &str, a: &str, stage: &str| {
        crate::pce::model::NewOpportunity::parse(c, p, a, stage, true).map_err(AppError::invalid)
    };
    crate::pce::service::share_ho(
        db,
        &actor,
        provider,
        &opportunity(
            "温州智造集团有限公司",
            "云数据库 GaussDB",
            "380000",
            "qualified",
        )?,
        None,
    )
    .await?;
    // Voucher quotas from Huawei Cloud: coupons for the provider and the distributor, pickup
    // vouchers for the provider.
    let limits = |raw: &str| {
        crate::vouchers::model::Limits::parse(raw, crate::vouchers::VoucherError::TooManyProducts)
            .map_err(crate::vouchers::VoucherError::invalid)
    };
    let yuan = |raw: &str| crate::domain::Amount::parse(raw).map_err(AppError::invalid);
    use crate::vouchers::model::Kind::{Coupon, Pickup};
    #[rustfmt::skip]
    let quotas = [
        (provider, Coupon, "20000", Some("5000")),
        (provider, Pickup, "10000", None),
        (distributor, Coupon, "50000", Some("10000")),
    ];
    for (partner, kind, value, max_face) in quotas {
        let grant = crate::vouchers::service::Grant {
            partner,
            kind,
            value: yuan(value)?,
            days: 365,
            max_face: max_face.map(yuan).transpose()?,
            service_types: limits("")?,
            products: limits("")?,
        };
        crate::vouchers::service::grant_quota(db, &actor, &grant).await?;
    }
    // The provider gets order notices by SMS as well as email.
    accounts::set_partner_contact(db, provider, None, Some("13800138000"), &actor).await?;
    // Personal accounts (个人华为账号) a partner can invite as project specialists.
    for (l, verified) in [("employee", true), ("employee-unverified", false)] {
        let site = accounts::Site::China;
        accounts::create_personal(db, login(l)?, password()?, verified, site, &actor).await?;
    }
    // A year of the provider's business with its resale customer, so charts and lists show
    // something on a fresh start: its coupons come from a two-year quota of that time.
    let mut actions = 0;
    if let Some(months) = history {
        let Some((customer, customer_user)) = resale_customer else {
            return Err(AppError::Internal);
        };
        super::history::before(Some(months));
        let grant = crate::vouchers::service::Grant {
            partner: provider,
            kind: Coupon,
            value: yuan("5000")?,
            days: 730,
            max_face: None,
            service_types: limits("")?,
            products: limits("")?,
        };
        let coupon_quota = crate::vouchers::service::grant_quota(db, &actor, &grant).await?;
        let cast = super::history::Cast {
            provider_user: users[2],
            customer,
            customer_user,
            coupon_quota,
        };
        actions = super::history::write(db, &cast, months).await?;
    }
    Ok(json!({
        "seeded": true,
        "history": {"months": history.unwrap_or(0), "actions": actions},
        "certificate": certificate,
        "holidays": holidays,
        "password": DEMO_PASSWORD,
        "partners": {"distributor": distributor, "reseller": reseller, "provider": provider, "newcomer": newcomer},
        "logins": ["distributor", "reseller", "provider", "newcomer", "customer-resale", "customer-consult", "customer-reseller", "customer-new", "operator", "operator2", "employee", "employee-unverified", "provider-finance", "provider-sales"],
    }))
}
