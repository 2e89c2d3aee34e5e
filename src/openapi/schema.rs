//! The open API's wire shapes as Rust types. An operation's request is one struct declared with
//! [`request!`] and its answer one struct declared with [`response!`]; each macro also lists the
//! struct's fields as data ([`Params::PARAMS`], [`Fields::FIELDS`]), from which the catalogue, the
//! OpenAPI document and the API Explorer are made. A field's wire type follows from its Rust type
//! (`Option<_>` is an optional parameter), so the handler that reads or writes the struct and the
//! document that describes it cannot disagree.

use crate::domain::Money;

/// A parameter's type. Amounts are `Number`: exact decimals with at most 2 places, sent as JSON
/// numbers (or strings) and never read through a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Str,
    Int,
    Number,
    StrList,
    IntList,
}

#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
}

/// A response field's shape.
#[derive(Debug, Clone, Copy)]
pub enum Out {
    Str,
    Int,
    Number,
    /// A list of objects with these fields.
    Objects(&'static [(&'static str, Out)]),
    /// These fields, inline in the enclosing object (a flattened struct; its name is empty).
    Inline(&'static [(&'static str, Out)]),
}

/// The Rust types a request field may have, with their wire type.
pub trait Wire {
    const TY: Ty;
    const REQUIRED: bool = true;
}

impl Wire for String {
    const TY: Ty = Ty::Str;
}

impl Wire for i64 {
    const TY: Ty = Ty::Int;
}

impl Wire for Vec<String> {
    const TY: Ty = Ty::StrList;
}

impl Wire for Vec<i64> {
    const TY: Ty = Ty::IntList;
}

impl Wire for Decimal {
    const TY: Ty = Ty::Number;
}

impl<T: Wire> Wire for Option<T> {
    const TY: Ty = T::TY;
    const REQUIRED: bool = false;
}

/// The Rust types a response field may have, with their shape.
pub trait Shape {
    const OUT: Out;
}

impl Shape for String {
    const OUT: Out = Out::Str;
}

impl Shape for &'static str {
    const OUT: Out = Out::Str;
}

impl Shape for i64 {
    const OUT: Out = Out::Int;
}

impl Shape for Num {
    const OUT: Out = Out::Number;
}

impl<T: Shape> Shape for Option<T> {
    const OUT: Out = T::OUT;
}

impl<T: Fields> Shape for Vec<T> {
    const OUT: Out = Out::Objects(T::FIELDS);
}

/// A request struct's parameters, in declaration order.
pub trait Params {
    const PARAMS: &'static [Param];
}

/// A response struct's fields, in declaration order.
pub trait Fields {
    const FIELDS: &'static [(&'static str, Out)];
}

/// An amount as the SDK sends it: a JSON number (or a string), kept as its text, never read
/// through a float; the handler parses it as the operation requires.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decimal(pub String);

#[cfg(feature = "ssr")]
impl<'de> serde::Deserialize<'de> for Decimal {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <Box<serde_json::value::RawValue>>::deserialize(d)?;
        let text = raw.get();
        let text = text
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or(text);
        Ok(Decimal(text.to_string()))
    }
}

/// An exact amount answered as a JSON number (`10.5`, never through a float).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Num(pub Money);

#[cfg(feature = "ssr")]
impl serde::Serialize for Num {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde_json::value::RawValue::from_string(self.0.to_string())
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }
}

/// The fields of a response with the [`Out::Inline`] entries expanded in place.
pub fn expand(fields: &[(&'static str, Out)]) -> Vec<(&'static str, Out)> {
    fields
        .iter()
        .flat_map(|&(name, out)| match out {
            Out::Inline(inner) => expand(inner),
            _ => vec![(name, out)],
        })
        .collect()
}

/// Declares an operation's request struct (strict: unknown fields are refused) and its
/// [`Params`].
macro_rules! request {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident: $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Default)]
        #[cfg_attr(feature = "ssr", derive(serde::Deserialize))]
        #[cfg_attr(feature = "ssr", serde(deny_unknown_fields))]
        pub struct $name {
            $($(#[$fm])* pub $field: $ty,)*
        }

        impl $crate::openapi::schema::Params for $name {
            const PARAMS: &'static [$crate::openapi::schema::Param] = &[$(
                $crate::openapi::schema::Param {
                    name: stringify!($field),
                    ty: <$ty as $crate::openapi::schema::Wire>::TY,
                    required: <$ty as $crate::openapi::schema::Wire>::REQUIRED,
                },
            )*];
        }
    };
}

/// Declares an answer struct and its [`Fields`]. A field marked `#[flatten]` is a struct whose
/// fields appear inline.
macro_rules! response {
    ($(#[$m:meta])* $name:ident { $($(#[$flat:ident])? $field:ident: $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug)]
        #[cfg_attr(feature = "ssr", derive(serde::Serialize))]
        pub struct $name {
            $($(#[cfg_attr(feature = "ssr", serde($flat))])? pub $field: $ty,)*
        }

        impl $crate::openapi::schema::Fields for $name {
            const FIELDS: &'static [(&'static str, $crate::openapi::schema::Out)] = &[$(
                $crate::openapi::schema::response!(@entry $($flat)? $field $ty),
            )*];
        }
    };
    (@entry flatten $field:ident $ty:ty) => {
        ("", $crate::openapi::schema::Out::Inline(
            <$ty as $crate::openapi::schema::Fields>::FIELDS,
        ))
    };
    (@entry $field:ident $ty:ty) => {
        (stringify!($field), <$ty as $crate::openapi::schema::Shape>::OUT)
    };
}

pub(crate) use {request, response};

#[cfg(test)]
mod tests {
    use super::*;

    request!(Probe {
        id: String,
        amount: Decimal,
        ids: Option<Vec<String>>,
        limit: Option<i64>,
    });

    response!(Item { a: String, n: Num });
    response!(Outer {
        #[flatten]
        item: Item,
        list: Vec<Item>,
        extra: Option<i64>,
    });

    #[test]
    fn types_decide_wire_types_and_requiredness() {
        let p: Vec<_> = Probe::PARAMS
            .iter()
            .map(|p| (p.name, p.ty, p.required))
            .collect();
        assert_eq!(
            p,
            [
                ("id", Ty::Str, true),
                ("amount", Ty::Number, true),
                ("ids", Ty::StrList, false),
                ("limit", Ty::Int, false),
            ]
        );
        let names: Vec<_> = expand(Outer::FIELDS).iter().map(|f| f.0).collect();
        assert_eq!(names, ["a", "n", "list", "extra"]);
        assert!(matches!(Outer::FIELDS[1].1, Out::Objects(f) if f.len() == 2));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn amounts_travel_as_exact_text() {
        let p: Probe = serde_json::from_str(r#"{"id": "1", "amount": 10.10}"#).unwrap();
        assert_eq!(p.amount, Decimal("10.10".into()));
        assert_eq!((p.id.as_str(), p.ids, p.limit), ("1", None, None));
        let p: Probe = serde_json::from_str(r#"{"id": "1", "amount": "0.30"}"#).unwrap();
        assert_eq!(p.amount, Decimal("0.30".into()));
        assert!(serde_json::from_str::<Probe>(r#"{"id": "1", "amount": 1, "x": 1}"#).is_err());
        let money = Money::parse("12.30").unwrap();
        let out = Outer {
            item: Item {
                a: "x".into(),
                n: Num(money),
            },
            list: vec![],
            extra: None,
        };
        assert_eq!(
            serde_json::to_string(&out).unwrap(),
            r#"{"a":"x","n":12.30,"list":[],"extra":null}"#
        );
    }
}
