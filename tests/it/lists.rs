//! Every list's search, filters, sort and page size (#19): exactly the matching rows, in the
//! order asked, bad input refused with its message, and the export holding the same rows — on
//! both databases.

use crate::common;
use crate::orders::world;

use common::{TestApp, json};
use serde_json::Value;

on_both_backends!(
    orders_are_searched_filtered_sorted_and_exported_exactly,
    customers_coupons_and_messages_are_searched_exactly,
);

/// A customer's new order; its number.
async fn place(app: &TestApp, c: &reqwest::Client, qty: &str, payment: &str) -> String {
    let form = [
        ("product", "ecs-c7-large"),
        ("quantity", qty),
        ("payment", payment),
    ];
    let (s, o) = json(app.call(c, "orders/create", &form).await).await;
    assert_eq!(s, 200, "{o}");
    o["number"].as_str().unwrap().to_string()
}

/// The values of `field` of a list's items, in order.
fn column(list: &Value, field: &str) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a page: {list}"))
        .iter()
        .map(|i| {
            i[field]
                .as_str()
                .map_or_else(|| i[field].to_string(), str::to_string)
        })
        .collect()
}

fn today() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8))
        .format("%Y-%m-%d")
        .to_string()
}

async fn orders_are_searched_filtered_sorted_and_exported_exactly(app: TestApp) {
    world(&app).await;
    let r = app.signed_in("cust-resale").await;
    let k = app.signed_in("cust-consult").await;
    // 312.00 a month: 312.00 (self), 936.00 (伙伴代付), 624.00 (self, the other customer).
    let a = place(&app, &r, "1", "self").await;
    let b = place(&app, &r, "3", "partner").await;
    let c = place(&app, &k, "2", "self").await;
    let p = app.signed_in("prov").await;
    let list = |form: Vec<(&'static str, String)>| {
        let (app, p) = (&app, &p);
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            json(app.call(p, "orders/list", &form).await).await
        }
    };
    let all = |extra: &[(&'static str, &str)]| {
        let mut f = vec![("tab", "all".to_string())];
        f.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
        f
    };
    let numbers = |v: &Value| column(v, "number");
    // By number, and by part of a customer's name in any case.
    let (s, v) = list(all(&[("q", b.as_str())])).await;
    assert_eq!((s, numbers(&v)), (200, vec![b.clone()]), "{v}");
    let (_, v) = list(all(&[("q", "CUST-CONS")])).await;
    assert_eq!(numbers(&v), vec![c.clone()]);
    // A wildcard is a character, not a pattern.
    let (_, v) = list(all(&[("q", "%")])).await;
    assert_eq!(v["total"], 0, "{v}");
    // By payment mode, newest first.
    let (_, v) = list(all(&[("payment", "partner")])).await;
    assert_eq!(numbers(&v), vec![b.clone()]);
    let (_, v) = list(all(&[("payment", "self")])).await;
    assert_eq!(numbers(&v), vec![c.clone(), a.clone()]);
    // Sorted by amount, both ways.
    let (_, v) = list(all(&[("sort", "amount"), ("dir", "asc")])).await;
    assert_eq!(numbers(&v), vec![a.clone(), c.clone(), b.clone()]);
    assert_eq!(column(&v, "amount"), ["312.00", "624.00", "936.00"]);
    let (_, v) = list(all(&[("sort", "amount"), ("dir", "desc")])).await;
    assert_eq!(numbers(&v), vec![b.clone(), c.clone(), a.clone()]);
    // An unknown sort keeps the list's own order (newest first).
    let (_, v) = list(all(&[("sort", "1;DROP TABLE orders")])).await;
    assert_eq!(numbers(&v), vec![c.clone(), b.clone(), a.clone()]);
    // By day placed: today holds them all, a day that ended holds none.
    let day = today();
    let (_, v) = list(all(&[("from", day.as_str()), ("to", day.as_str())])).await;
    assert_eq!(v["total"], 3, "{v}");
    let (_, v) = list(all(&[("to", "2020-01-01")])).await;
    assert_eq!(v["total"], 0, "{v}");
    // Two to a page: the page holds two of the three.
    let (_, v) = list(all(&[("size", "2"), ("page", "2")])).await;
    assert_eq!(
        (v["total"].clone(), v["size"].clone()),
        (3.into(), 2.into())
    );
    assert_eq!(numbers(&v), vec![a.clone()]);
    // Bad input is refused with its message and changes nothing.
    let (s, v) = list(all(&[("payment", "bogus")])).await;
    assert_eq!(s, 400, "{v}");
    let (s, v) = list(all(&[("from", "2026-13-01")])).await;
    assert_eq!(
        (s, v["key"].as_str()),
        (400, Some("error.date.format")),
        "{v}"
    );
    // A customer's own list takes the same filters, its own orders only.
    let (s, v) = json(
        app.call(&r, "orders/list", &[("tab", ""), ("payment", "self")])
            .await,
    )
    .await;
    assert_eq!((s, numbers(&v)), (200, vec![a.clone()]), "{v}");

    // The export holds exactly the filtered rows, in the asked order, both formats.
    let path = "/center/sales/orders/export.csv?tab=all&payment=self&sort=amount&dir=asc";
    let res = app.page(&p, path).await;
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with("\u{feff}number,customer,product,quantity,amount"));
    assert!(
        lines[1].starts_with(&format!("{a},cust-resale,ecs-c7-large,1,312.00,")),
        "{csv}"
    );
    assert!(
        lines[2].starts_with(&format!("{c},cust-consult,ecs-c7-large,2,624.00,")),
        "{csv}"
    );
    let res = app
        .page(&p, &path.replace("export.csv", "export.xlsx"))
        .await;
    let rows = common::xlsx_rows(&res.bytes().await.unwrap());
    assert_eq!(rows.len(), 3);
    assert_eq!(
        (rows[1][0].as_str(), rows[1][4].as_str()),
        (a.as_str(), "312")
    );
    assert_eq!(
        (rows[2][0].as_str(), rows[2][4].as_str()),
        (c.as_str(), "624")
    );
    // Compressed for a browser that accepts it, the same bytes once decoded.
    let res = p
        .get(app.url(path))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let packed = res.bytes().await.unwrap();
    let mut plain = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&packed[..]), &mut plain)
        .expect("a whole gzip stream");
    assert_eq!(plain, csv);
    // A customer cannot export the partner's list.
    assert_eq!(app.page(&r, path).await.status(), 403);
}

async fn customers_coupons_and_messages_are_searched_exactly(app: TestApp) {
    let w = world(&app).await;
    let p = app.signed_in("prov").await;
    // Customers: the resale one holds 1 000.00, the consulting one nothing.
    let parties = |form: &[(&str, &str)]| {
        let (app, p) = (&app, &p);
        let form: Vec<(String, String)> = form
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        async move {
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            json(app.call(p, "funds/customers", &form).await).await
        }
    };
    let logins = |v: &Value| column(v, "login");
    let (s, v) = parties(&[("min", "500")]).await;
    assert_eq!(
        (s, logins(&v)),
        (200, vec!["cust-resale".to_string()]),
        "{v}"
    );
    let (_, v) = parties(&[("max", "500")]).await;
    assert_eq!(logins(&v), ["cust-consult"]);
    let (_, v) = parties(&[("mode", "consulting")]).await;
    assert_eq!(logins(&v), ["cust-consult"]);
    let (_, v) = parties(&[("name", "RESALE")]).await;
    assert_eq!(logins(&v), ["cust-resale"]);
    let (_, v) = parties(&[("sort", "balance"), ("dir", "asc")]).await;
    assert_eq!(logins(&v), ["cust-consult", "cust-resale"]);
    let (_, v) = parties(&[("sort", "balance"), ("dir", "desc")]).await;
    assert_eq!(logins(&v), ["cust-resale", "cust-consult"]);
    let (s, _) = parties(&[("min", "abc")]).await;
    assert_eq!(s, 400);
    let (s, _) = parties(&[("mode", "other")]).await;
    assert_eq!(s, 400);
    let csv = app
        .page(&p, "/center/sales/customers/export.csv?min=500")
        .await
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(
        lines[1].contains(",cust-resale,cust-resale,resale,"),
        "{csv}"
    );
    assert!(lines[1].contains(",1000.00,"), "{csv}");

    // Coupons: two issued to the resale customer from one quota; found by number, by customer,
    // by quota, sorted by face value.
    let quota = app.grant_quota(w.provider, "500").to_string();
    let resale = w.resale.to_string();
    let mut numbers = Vec::new();
    for (face, trans) in [("30", "lists-c1"), ("80", "lists-c2")] {
        let form = [
            ("kind", "coupon"),
            ("quota", quota.as_str()),
            ("face", face),
            ("customers", resale.as_str()),
            ("trans_id", trans),
        ];
        let (s, o) = json(app.call(&p, "vouchers/issue", &form).await).await;
        assert_eq!(s, 200, "{o}");
    }
    let coupons = |form: &[(&str, &str)]| {
        let (app, p) = (&app, &p);
        let mut f: Vec<(String, String)> = vec![("kind".into(), "coupon".into())];
        f.extend(form.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            json(app.call(p, "vouchers/coupons", &f).await).await
        }
    };
    let (s, v) = coupons(&[("sort", "face"), ("dir", "asc")]).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(column(&v, "face"), ["30.00", "80.00"]);
    numbers.extend(column(&v, "number"));
    let (_, v) = coupons(&[("q", numbers[1].as_str())]).await;
    assert_eq!(column(&v, "number"), [numbers[1].clone()]);
    let (_, v) = coupons(&[("q", "cust-res"), ("quota", quota.as_str())]).await;
    assert_eq!(v["total"], 2, "{v}");
    let (_, v) = coupons(&[("q", "cust-consult")]).await;
    assert_eq!(v["total"], 0, "{v}");
    let (_, v) = coupons(&[("expires_to", "2020-01-01")]).await;
    assert_eq!(v["total"], 0, "{v}");
    let (s, _) = coupons(&[("quota", "x")]).await;
    assert_eq!(s, 400);

    // Messages: the customer's order reached its partner; found by the order's number and by a
    // word of the notice's title, in either language; nothing for an unrelated word.
    let r = app.signed_in("cust-resale").await;
    let number = place(&app, &r, "1", "partner").await;
    let messages = |q: &str| {
        let (app, p) = (&app, &p);
        let q = q.to_string();
        async move {
            let form = [("filter", ""), ("group", ""), ("q", q.as_str())];
            json(app.call(p, "messages/list", &form).await).await
        }
    };
    let (s, all) = messages("").await;
    assert_eq!(s, 200, "{all}");
    let (_, v) = messages(&number).await;
    assert!(v["total"].as_i64().unwrap() >= 1, "{v}");
    async fn v_total(app: &TestApp, p: &reqwest::Client, q: &str) -> i64 {
        let form = [("filter", ""), ("group", ""), ("q", q)];
        json(app.call(p, "messages/list", &form).await).await.1["total"]
            .as_i64()
            .unwrap()
    }
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["params"].to_string().contains(&number)),
        "{v}"
    );
    let (_, v) = messages("zzz-no-such-word").await;
    assert_eq!(v["total"], 0, "{v}");
    // The export holds the same messages, titled in the reader's language.
    let csv = app
        .page(&p, &format!("/messages/export.csv?q={number}"))
        .await
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(
        lines.len() as i64,
        v_total(&app, &p, &number).await,
        "{csv}"
    );
    assert!(lines.iter().all(|l| l.contains(&number)), "{csv}");
    assert!(csv.contains("申请伙伴代付订单"), "{csv}");
    let kinds = |v: &Value| column(v, "kind");
    let (_, zh) = messages("订单").await;
    let (_, en) = messages("ORDER").await;
    assert!(
        !kinds(&zh).is_empty() && kinds(&zh).iter().all(|k| k.starts_with("order")),
        "{zh}"
    );
    assert_eq!(kinds(&zh), kinds(&en));
}
