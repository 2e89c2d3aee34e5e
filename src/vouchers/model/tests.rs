//! The voucher rules, one by one.
use super::*;

fn quota() -> QuotaFacts {
    QuotaFacts {
        kind: Kind::Coupon,
        status: QuotaStatus::Normal,
        balance_fen: 10_000,
        max_face_fen: Some(3_000),
        effective_at: 1_000,
        expires_at: 10_000,
        service_types: Limits::default(),
        products: Limits::stored("ecs-c7-large,rds-mysql-2c4g"),
    }
}

fn request(face: &str, customers: usize) -> IssueRequest {
    IssueRequest {
        quota: 1,
        face: Amount::parse(face).unwrap(),
        min_order: Money::ZERO,
        valid_from: None,
        expires_at: None,
        service_types: Limits::default(),
        products: Limits::default(),
        customers: (1..=customers as i64).collect(),
        remark: String::new(),
    }
}

#[test]
fn issuing_needs_a_normal_quota_inside_its_validity() {
    let r = request("10", 1);
    assert!(check_issue(&quota(), &r, 5_000).is_ok());
    assert_eq!(
        check_issue(&quota(), &r, 10_000),
        Err(VoucherError::QuotaInvalid)
    );
    assert_eq!(
        check_issue(&quota(), &r, 999),
        Err(VoucherError::QuotaInvalid)
    );
    for (status, key) in [
        (QuotaStatus::Adjusting, VoucherError::QuotaAdjusting),
        (QuotaStatus::Frozen, VoucherError::QuotaFrozen),
        (QuotaStatus::Invalid, VoucherError::QuotaInvalid),
    ] {
        let q = QuotaFacts { status, ..quota() };
        assert_eq!(check_issue(&q, &r, 5_000), Err(key));
    }
}

#[test]
fn the_quota_must_cover_every_coupon_and_the_face_limit() {
    assert_eq!(
        check_issue(&quota(), &request("30", 3), 5_000)
            .unwrap()
            .total_fen,
        9_000
    );
    assert_eq!(
        check_issue(&quota(), &request("30.01", 1), 5_000),
        Err(VoucherError::FaceValue)
    );
    assert_eq!(
        check_issue(&quota(), &request("25", 5), 5_000),
        Err(VoucherError::QuotaInsufficient)
    );
    let exact = QuotaFacts {
        balance_fen: 7_500,
        ..quota()
    };
    assert!(check_issue(&exact, &request("25", 3), 5_000).is_ok());
    assert!(check_issue(&exact, &request("25.01", 3), 5_000).is_err());
}

#[test]
fn coupons_stay_inside_the_quota_validity_and_limits() {
    let mut r = request("10", 1);
    r.expires_at = Some(10_001);
    assert_eq!(
        check_issue(&quota(), &r, 5_000),
        Err(VoucherError::Validity)
    );
    r.expires_at = Some(6_000);
    let terms = check_issue(&quota(), &r, 5_000).unwrap();
    assert_eq!((terms.effective_at, terms.expires_at), (1_000, 6_000));
    assert_eq!(
        terms.products,
        Limits::stored("ecs-c7-large,rds-mysql-2c4g")
    );
    r.products = Limits::parse("obs-standard-1tb", VoucherError::TooMany).unwrap();
    assert_eq!(
        check_issue(&quota(), &r, 5_000),
        Err(VoucherError::ProductsOutside)
    );
    r.products = Limits::parse("ecs-c7-large", VoucherError::TooMany).unwrap();
    r.service_types = Limits::parse("hws.service.type.ec2", VoucherError::TooMany).unwrap();
    let terms = check_issue(&quota(), &r, 5_000).unwrap();
    assert_eq!(terms.products.items(), ["ecs-c7-large"]);
    assert_eq!(terms.service_types.items(), ["hws.service.type.ec2"]);
}

#[test]
fn limits_are_codes_at_most_ten() {
    let ten = (0..10)
        .map(|i| format!("p{i}"))
        .collect::<Vec<_>>()
        .join(",");
    assert_eq!(
        Limits::parse(&ten, VoucherError::TooMany)
            .unwrap()
            .items()
            .len(),
        10
    );
    assert_eq!(
        Limits::parse(&format!("{ten},p10"), VoucherError::TooMany),
        Err(VoucherError::TooMany)
    );
    assert_eq!(
        Limits::parse("a,a,b", VoucherError::TooMany)
            .unwrap()
            .items(),
        ["a", "b"]
    );
    assert_eq!(
        Limits::parse("a b", VoucherError::TooMany),
        Err(VoucherError::LimitFormat)
    );
    assert!(Limits::default().allows("anything"));
    assert!(!Limits::stored("a").allows("b"));
}

#[test]
fn ids_and_days_parse() {
    assert_eq!(
        parse_ids("3, 1 3", 10, VoucherError::TooMany),
        Ok(vec![3, 1])
    );
    assert_eq!(
        parse_ids("", 10, VoucherError::TooMany),
        Err(VoucherError::IdsRequired)
    );
    assert_eq!(
        parse_ids("1,x", 10, VoucherError::TooMany),
        Err(VoucherError::Ids)
    );
    assert_eq!(
        parse_ids("1,2,3", 2, VoucherError::TooMany),
        Err(VoucherError::TooMany)
    );
    // 2026-01-01 00:00 China time is 2025-12-31 16:00 UTC.
    assert_eq!(parse_day("2026-01-01", false), Ok(Some(1_767_196_800_000)));
    assert_eq!(
        parse_day("2026-01-01", true),
        Ok(Some(1_767_196_800_000 + 86_400_000))
    );
    assert_eq!(parse_day("", true), Ok(None));
    assert_eq!(parse_day("2026-13-01", true), Err(VoucherError::Date));
}

#[test]
fn statuses_follow_time() {
    assert_eq!(CouponStatus::Usable.at(100, 99), CouponStatus::Usable);
    assert_eq!(CouponStatus::Usable.at(100, 100), CouponStatus::Expired);
    assert_eq!(
        CouponStatus::Reclaimed.at(100, 200),
        CouponStatus::Reclaimed
    );
    assert_eq!(QuotaStatus::Normal.at(100, 100), QuotaStatus::Invalid);
    assert_eq!(QuotaStatus::Frozen.at(100, 100), QuotaStatus::Frozen);
    for op in Operation::ALL {
        assert_eq!(Operation::from_code(op.code()), Some(op));
    }
    assert_eq!(deduction(50, 80), 50);
    assert_eq!(deduction(90, 80), 80);
}
