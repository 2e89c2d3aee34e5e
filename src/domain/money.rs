//! Exact money in yuan.
//!
//! Decisions written down here because the product documents only "greater than 0, at most two
//! decimal places":
//! - Only plain decimal notation is accepted (`12`, `12.3`, `12.34`, `0.5`). Exponent notation
//!   such as `1e2` is refused with `error.amount.format`: a caller that sends it has almost
//!   certainly passed the number through a float.
//! - Trailing zeros do not count as decimal places: `12.340` is 12.34 yuan, `12.345` is refused.
//! - A single amount is at most 1 000 000 000 000 yuan, so every sum of a bounded number of
//!   amounts fits in an `i64` of fen with room to spare; larger input is refused, never wrapped.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A non-negative amount of money, e.g. a balance. It deserializes only through a check (see
/// `Deserialize` below), so no wire value makes a negative or sub-fen `Money`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Money(Decimal);

/// A strictly positive amount to move: what a transfer, an allocation or a payment carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Amount(Money);

const MAX_YUAN: i64 = 1_000_000_000_000;

/// The largest stored value a row may hold: balances are sums of amounts, so they may exceed
/// one amount's bound; an `i64` of fen is the real limit.
const MAX_STORED_YUAN: i64 = i64::MAX / 100;

impl<'de> Deserialize<'de> for Money {
    /// A value the server sent (a balance may exceed one amount's bound): non-negative, at most
    /// two decimal places, within an `i64` of fen. Anything else is refused.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // The value keeps its scale (`1000.00` stays `1000.00` when sent on); the checks read
        // its normalized form.
        let value = <Decimal as Deserialize>::deserialize(d)?;
        let normal = value.normalize();
        if normal.is_sign_negative() && !normal.is_zero() {
            return Err(serde::de::Error::custom("money cannot be negative"));
        }
        if normal.scale() > 2 || normal > Decimal::from(MAX_STORED_YUAN) {
            return Err(serde::de::Error::custom("not an amount of money in fen"));
        }
        Ok(Money(if value.is_zero() {
            Decimal::new(0, value.scale())
        } else {
            value
        }))
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let m = Money::deserialize(d)?;
        if m.0.is_zero() {
            return Err(serde::de::Error::custom("an amount must be positive"));
        }
        Ok(Amount(m))
    }
}

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Fen (1/100 yuan) as stored in SQL. Negative fen is refused.
    pub fn from_fen(fen: i64) -> Option<Self> {
        (fen >= 0).then(|| Money(Decimal::new(fen, 2)))
    }

    /// The amount in fen; exact because every `Money` has at most two decimal places.
    pub fn fen(self) -> i64 {
        let scaled = self.0 * Decimal::ONE_HUNDRED;
        i64::try_from(scaled.trunc()).unwrap_or(i64::MAX)
    }

    pub fn decimal(self) -> Decimal {
        self.0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        let fen = self.fen().checked_add(other.fen())?;
        Money::from_fen(fen)
    }

    /// `None` when the result would be negative.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        let fen = self.fen().checked_sub(other.fen())?;
        Money::from_fen(fen)
    }

    /// Parses a non-negative amount in yuan (zero allowed).
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s = raw.trim();
        if s.is_empty() {
            return Err("error.amount.required");
        }
        if s.starts_with('-') {
            return Err("error.amount.positive");
        }
        let digits = s.strip_prefix('+').unwrap_or(s);
        if digits.len() > 32 {
            return Err("error.amount.too_large");
        }
        let mut parts = digits.splitn(2, '.');
        let int = parts.next().unwrap_or_default();
        let frac = parts.next();
        let plain = !int.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
        if !plain {
            return Err("error.amount.format");
        }
        let value = Decimal::from_str(digits).map_err(|_| "error.amount.too_large")?;
        let value = value.normalize();
        if value.scale() > 2 {
            return Err("error.amount.scale");
        }
        if value > Decimal::from(MAX_YUAN) {
            return Err("error.amount.too_large");
        }
        Ok(Money(value))
    }
}

impl Amount {
    /// Parses an amount to move: like [`Money::parse`], and zero is refused.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let m = Money::parse(raw)?;
        if m.0.is_zero() {
            return Err("error.amount.positive");
        }
        Ok(Amount(m))
    }

    pub fn from_fen(fen: i64) -> Option<Self> {
        Money::from_fen(fen).filter(|m| !m.0.is_zero()).map(Amount)
    }

    pub fn money(self) -> Money {
        self.0
    }

    pub fn fen(self) -> i64 {
        self.0.fen()
    }
}

/// In SQL, money is integer fen (BIGINT) on both backends. A row decodes straight into `Money`
/// through a checked conversion: a negative or out-of-range value is a decode error (the query
/// fails and is logged), never shown as 0.00.
#[cfg(feature = "ssr")]
mod sql {
    use super::Money;
    use sqlx::any::{AnyTypeInfo, AnyValueRef};
    use sqlx::encode::IsNull;
    use sqlx::error::BoxDynError;
    use sqlx::{Any, Decode, Encode, Type};

    impl Type<Any> for Money {
        fn type_info() -> AnyTypeInfo {
            <i64 as Type<Any>>::type_info()
        }

        fn compatible(ty: &AnyTypeInfo) -> bool {
            <i64 as Type<Any>>::compatible(ty)
        }
    }

    impl<'r> Decode<'r, Any> for Money {
        fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
            let fen = <i64 as Decode<'r, Any>>::decode(value)?;
            Money::from_fen(fen)
                .filter(|m| m.0 <= rust_decimal::Decimal::from(super::MAX_STORED_YUAN))
                .ok_or_else(|| format!("{fen} fen is not an amount of money").into())
        }
    }

    impl<'q> Encode<'q, Any> for Money {
        fn encode_by_ref(
            &self,
            buf: &mut <Any as sqlx::Database>::ArgumentBuffer<'q>,
        ) -> Result<IsNull, BoxDynError> {
            <i64 as Encode<'q, Any>>::encode(self.fen(), buf)
        }
    }
}

impl fmt::Display for Money {
    /// Always two decimal places: `12.30`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = self.0;
        d.rescale(2);
        write!(f, "{d}")
    }
}

impl Money {
    /// As people read amounts in a table: thousands separated, two decimals (`1,234,567.89`).
    /// Exports keep the plain form.
    pub fn grouped(self) -> String {
        let plain = self.to_string();
        let (sign, digits) = match plain.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", plain.as_str()),
        };
        let (whole, cents) = digits.split_once('.').unwrap_or((digits, "00"));
        let mut out = String::with_capacity(plain.len() + whole.len() / 3);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        format!("{sign}{out}.{cents}")
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_deserializes_only_through_its_checks() {
        let ok: Money = serde_json::from_str("\"12.30\"").unwrap();
        assert_eq!(ok.to_string(), "12.30");
        for bad in ["\"-1\"", "\"0.001\"", "\"1e30\""] {
            assert!(serde_json::from_str::<Money>(bad).is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<Amount>("\"0\"").is_err());
        let a: Amount = serde_json::from_str("\"0.01\"").unwrap();
        assert_eq!(a.fen(), 1);
        // What the server sends comes back as it was.
        let big = Money::from_fen(i64::MAX / 2).unwrap();
        let json = serde_json::to_string(&big).unwrap();
        assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), big);
        // And in the same form: a stored answer replays as it was first given.
        let kept: Money = serde_json::from_str("\"1000.00\"").unwrap();
        assert_eq!(serde_json::to_string(&kept).unwrap(), "\"1000.00\"");
    }

    #[cfg(feature = "ssr")]
    #[tokio::test]
    async fn rows_decode_into_money_or_fail() {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect("sqlite::memory:").await.unwrap();
        let (a, b): (Money, Money) = sqlx::query_as("SELECT CAST(1234 AS BIGINT), $1")
            .bind(m("0.05"))
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(
            (a.to_string(), b.to_string()),
            ("12.34".into(), "0.05".into())
        );
        // A negative balance is a broken invariant: an error, never 0.00.
        let bad: Result<(Money,), _> = sqlx::query_as("SELECT CAST(-1 AS BIGINT)")
            .fetch_one(&pool)
            .await;
        assert!(
            matches!(bad, Err(sqlx::Error::ColumnDecode { .. })),
            "{bad:?}"
        );
    }

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    #[test]
    fn point_one_plus_point_two_is_exactly_point_three() {
        let sum = m("0.1").checked_add(m("0.2")).unwrap();
        assert_eq!(sum, m("0.3"));
        assert_eq!(sum.to_string(), "0.30");
        assert_eq!(sum.fen(), 30);
    }

    #[test]
    fn more_than_two_decimal_places_are_refused() {
        assert_eq!(Amount::parse("12.345"), Err("error.amount.scale"));
        assert_eq!(Amount::parse("12.340").unwrap().to_string(), "12.34");
        assert_eq!(Amount::parse("0.001"), Err("error.amount.scale"));
    }

    #[test]
    fn zero_and_negative_amounts_are_refused() {
        assert_eq!(Amount::parse("0"), Err("error.amount.positive"));
        assert_eq!(Amount::parse("0.00"), Err("error.amount.positive"));
        assert_eq!(Amount::parse("-1"), Err("error.amount.positive"));
        assert_eq!(Money::parse("0").unwrap(), Money::ZERO);
        for (fen, grouped) in [
            (0, "0.00"),
            (99_999, "999.99"),
            (100_000, "1,000.00"),
            (123_456_789, "1,234,567.89"),
            (100_000_000, "1,000,000.00"),
        ] {
            assert_eq!(Money::from_fen(fen).unwrap().grouped(), grouped);
        }
    }

    #[test]
    fn exponent_and_other_notations_are_refused() {
        for s in [
            "1e2", "1E2", "1.", ".5", "1,000", "0x10", "NaN", "inf", "1 000", "１２",
        ] {
            assert_eq!(Amount::parse(s), Err("error.amount.format"), "{s}");
        }
        assert_eq!(Amount::parse(""), Err("error.amount.required"));
    }

    #[test]
    fn absurd_amounts_are_refused_without_overflow() {
        for (a, refusal) in [
            ("1000000000000.01", "error.amount.too_large"),
            (&"9".repeat(30), "error.amount.too_large"),
            (&"9".repeat(40), "error.amount.too_large"),
        ] {
            assert_eq!(Amount::parse(a), Err(refusal));
        }
        assert!(Amount::parse("1000000000000").is_ok());
    }

    #[test]
    fn fen_round_trips() {
        for fen in [1_i64, 10, 99, 100, 12_345, 100_000_000_000_000] {
            assert_eq!(Money::from_fen(fen).unwrap().fen(), fen);
        }
        assert_eq!(Money::from_fen(-1), None);
        assert_eq!(Amount::from_fen(0), None);
    }

    #[test]
    fn subtraction_below_zero_is_none() {
        assert_eq!(m("1.00").checked_sub(m("1.01")), None);
        assert_eq!(
            m("1.00").checked_sub(m("0.99")).unwrap().to_string(),
            "0.01"
        );
    }
}
