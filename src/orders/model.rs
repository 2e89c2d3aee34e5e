//! The product catalogue, the order state machine, and order views.

use crate::domain::Money;
use serde::{Deserialize, Serialize};

/// A product of the small catalogue customers order from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Product {
    pub code: &'static str,
    /// The cloud service type (云服务类型) it belongs to, which coupon limits name.
    pub service_type: &'static str,
    /// The i18n key of its name.
    pub name_key: &'static str,
    /// Price of one unit (one month) in fen.
    pub price_fen: i64,
}

pub const CATALOGUE: [Product; 5] = [
    Product {
        code: "ecs-c7-large",
        service_type: "hws.service.type.ec2",
        name_key: "product.ecs",
        price_fen: 31_200,
    },
    Product {
        code: "rds-mysql-2c4g",
        service_type: "hws.service.type.rds",
        name_key: "product.rds",
        price_fen: 58_000,
    },
    Product {
        code: "obs-standard-1tb",
        service_type: "hws.service.type.obs",
        name_key: "product.obs",
        price_fen: 9_900,
    },
    Product {
        code: "cdn-traffic-1tb",
        service_type: "hws.service.type.cdn",
        name_key: "product.cdn",
        price_fen: 12_600,
    },
    Product {
        code: "gaussdb-basic",
        service_type: "hws.service.type.gaussdb",
        name_key: "product.gaussdb",
        price_fen: 120_000,
    },
];

/// Units (months) per order.
pub const MAX_QUANTITY: i64 = 36;

pub fn product(code: &str) -> Option<Product> {
    CATALOGUE.into_iter().find(|p| p.code == code)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderState {
    /// 待支付: the customer pays it itself.
    PendingPayment,
    /// 待伙伴支付: waiting for the partner (伙伴代付).
    AwaitingPartner,
    Paid,
    Cancelled,
    /// 已退订: unsubscribed and refunded to the payer.
    Refunded,
}

impl OrderState {
    pub const ALL: [OrderState; 5] = [
        OrderState::PendingPayment,
        OrderState::AwaitingPartner,
        OrderState::Paid,
        OrderState::Cancelled,
        OrderState::Refunded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderState::PendingPayment => "pending_payment",
            OrderState::AwaitingPartner => "awaiting_partner",
            OrderState::Paid => "paid",
            OrderState::Cancelled => "cancelled",
            OrderState::Refunded => "refunded",
        }
    }

    pub fn parse(s: &str) -> Option<OrderState> {
        OrderState::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            OrderState::PendingPayment => "orders.state.pending_payment",
            OrderState::AwaitingPartner => "orders.state.awaiting_partner",
            OrderState::Paid => "orders.state.paid",
            OrderState::Cancelled => "orders.state.cancelled",
            OrderState::Refunded => "orders.state.refunded",
        }
    }

    /// Still to be paid (the 待支付 tab).
    pub fn unpaid(self) -> bool {
        matches!(
            self,
            OrderState::PendingPayment | OrderState::AwaitingPartner
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Payer {
    Customer,
    Partner,
}

impl Payer {
    pub fn as_str(self) -> &'static str {
        match self {
            Payer::Customer => "customer",
            Payer::Partner => "partner",
        }
    }

    pub fn parse(s: &str) -> Option<Payer> {
        match s {
            "customer" => Some(Payer::Customer),
            "partner" => Some(Payer::Partner),
            _ => None,
        }
    }
}

/// What someone does to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The customer pays (继续支付), also instead of a partner that has not paid yet.
    PayByCustomer,
    /// The partner pays a partner-paid request.
    PayByPartner,
    /// The partner declines to pay; the customer then pays itself.
    PartnerReject,
    /// The customer cancels an unpaid order.
    Cancel,
    /// The customer unsubscribes a paid order (退订).
    Refund,
}

/// The state machine: the next state, or the i18n key of why the event is refused.
pub fn next(state: OrderState, event: Event) -> Result<OrderState, &'static str> {
    use Event::*;
    use OrderState::*;
    match (state, event) {
        (PendingPayment | AwaitingPartner, PayByCustomer) => Ok(Paid),
        (AwaitingPartner, PayByPartner) => Ok(Paid),
        (AwaitingPartner, PartnerReject) => Ok(PendingPayment),
        (PendingPayment | AwaitingPartner, Cancel) => Ok(Cancelled),
        (Paid, Refund) => Ok(Refunded),
        (PendingPayment, PayByPartner | PartnerReject) => Err("error.orders.not_requested"),
        (Paid, PayByCustomer | PayByPartner) => Err("error.orders.already_paid"),
        (Paid, Cancel) => Err("error.orders.cancel_paid"),
        (Paid, PartnerReject) => Err("error.orders.already_paid"),
        (Cancelled, _) => Err("error.orders.cancelled"),
        (Refunded, Refund) => Err("error.orders.already_refunded"),
        (Refunded, _) => Err("error.orders.refunded"),
        (PendingPayment | AwaitingPartner, Refund) => Err("error.orders.refund_unpaid"),
    }
}

/// A new order as the customer filled it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrder {
    pub product: Product,
    pub quantity: i64,
    pub partner_pays: bool,
}

impl NewOrder {
    pub fn parse(
        product_code: &str,
        quantity: &str,
        payment: &str,
    ) -> Result<NewOrder, &'static str> {
        let product = product(product_code).ok_or("error.orders.product")?;
        let quantity: i64 = quantity
            .trim()
            .parse()
            .map_err(|_| "error.orders.quantity")?;
        if !(1..=MAX_QUANTITY).contains(&quantity) {
            return Err("error.orders.quantity");
        }
        let partner_pays = match payment {
            "self" => false,
            "partner" => true,
            _ => return Err("error.orders.payment"),
        };
        Ok(NewOrder {
            product,
            quantity,
            partner_pays,
        })
    }

    pub fn amount_fen(&self) -> Option<i64> {
        self.product.price_fen.checked_mul(self.quantity)
    }
}

#[cfg(feature = "ssr")]
crate::sql_text!(as_str: OrderState, Payer);

/// An order as its customer or partner sees it; a row decodes straight into it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Order {
    pub id: i64,
    pub number: String,
    pub customer_name: String,
    pub product: String,
    pub quantity: i64,
    pub amount: Money,
    pub state: OrderState,
    pub payer: Option<Payer>,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::server::sql::Flag"))]
    pub partner_requested: bool,
    pub reject_reason: Option<String>,
    pub created_at: i64,
    /// The part a coupon paid (代金券抵扣); the rest came from the payer's balance.
    #[serde(default = "zero")]
    pub coupon_amount: Money,
}

fn zero() -> Money {
    Money::ZERO
}

impl Order {
    pub fn product_key(&self) -> &'static str {
        product(&self.product).map_or("product.unknown", |p| p.name_key)
    }
}

/// An order with the balance that would pay (or receive) it, for a confirmation step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub order: Order,
    pub balance: Money,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_and_event_has_an_answer_and_only_the_documented_ones_succeed() {
        use Event::*;
        use OrderState::*;
        let allowed = [
            (PendingPayment, PayByCustomer, Paid),
            (AwaitingPartner, PayByCustomer, Paid),
            (AwaitingPartner, PayByPartner, Paid),
            (AwaitingPartner, PartnerReject, PendingPayment),
            (PendingPayment, Cancel, Cancelled),
            (AwaitingPartner, Cancel, Cancelled),
            (Paid, Refund, Refunded),
        ];
        for state in OrderState::ALL {
            for event in [PayByCustomer, PayByPartner, PartnerReject, Cancel, Refund] {
                let expected = allowed
                    .iter()
                    .find(|(s, e, _)| *s == state && *e == event)
                    .map(|t| t.2);
                match (next(state, event), expected) {
                    (Ok(got), Some(want)) => assert_eq!(got, want),
                    (Err(key), None) => assert!(key.starts_with("error.orders."), "{key}"),
                    (got, want) => panic!("{state:?} + {event:?}: {got:?}, expected {want:?}"),
                }
            }
        }
        assert_eq!(next(Paid, PayByPartner), Err("error.orders.already_paid"));
        assert_eq!(
            next(Cancelled, PayByCustomer),
            Err("error.orders.cancelled")
        );
        assert_eq!(next(Paid, Cancel), Err("error.orders.cancel_paid"));
        assert_eq!(next(Refunded, Refund), Err("error.orders.already_refunded"));
    }

    #[test]
    fn new_orders_are_parsed() {
        let o = NewOrder::parse("rds-mysql-2c4g", "3", "partner").unwrap();
        assert_eq!(o.amount_fen(), Some(174_000));
        assert!(o.partner_pays);
        for (a, b, c, refusal) in [
            ("nope", "1", "self", "error.orders.product"),
            ("ecs-c7-large", "0", "self", "error.orders.quantity"),
            ("ecs-c7-large", "37", "self", "error.orders.quantity"),
            ("ecs-c7-large", "1.5", "self", "error.orders.quantity"),
            ("ecs-c7-large", "1", "cash", "error.orders.payment"),
        ] {
            assert_eq!(NewOrder::parse(a, b, c), Err(refusal));
        }
    }
}

/// An order list's filters as its link gives them (every field a query parameter; missing reads
/// as empty): the tab (a state group), a number or customer name, the payment mode (`self`,
/// `partner`: 伙伴代付), the days placed (`YYYY-MM-DD`, inclusive), the sort (`created`,
/// `amount`), the page and its size.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderQuery {
    #[serde(default)]
    pub tab: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub payment: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub dir: String,
    #[serde(default)]
    pub page: String,
    #[serde(default)]
    pub size: String,
}

impl OrderQuery {
    /// The query of a link, read through `get` (a page's query map or an export's request).
    pub fn read(get: impl Fn(&str) -> String) -> OrderQuery {
        OrderQuery {
            tab: get("tab"),
            q: get("q"),
            payment: get("payment"),
            from: get("from"),
            to: get("to"),
            sort: get("sort"),
            dir: get("dir"),
            page: get("page"),
            size: get("size"),
        }
    }
}

/// The columns an order list sorts by (the link's key, the SQL expression).
pub const ORDER_SORTS: [(&str, &str); 2] =
    [("created", "o.created_at"), ("amount", "o.amount_fen")];
