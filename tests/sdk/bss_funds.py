"""Funds and customer operations through the official SDK's BssClient (huaweicloudsdkbss 3.1.219)
against a running Partner Center: 拨款 and 回收 with resellers and customers, balances, adjustment
records, reseller and customer lists, every refusal, and a concurrent burst.

Usage: python bss_funds.py ENDPOINT DIST_AK DIST_SK DIST_ID RES_AK RES_SK RES_ID PROV_AK PROV_SK PROV_ID
       FOREIGN_RESELLER_ID RES_RESALE_CUSTOMER RES_CONSULTING_CUSTOMER PROV_CUSTOMER
The distributor starts with 1000.00 and nobody else has money.
"""
import os
import sys
from decimal import Decimal

from huaweicloudsdkbss.v2 import (
    AdjustAccountReq,
    AdjustToIndirectPartnerReq,
    BssClient,
    ListIndirectPartnersRequest,
    ListPartnerAdjustRecordsRequest,
    ListPartnerBalancesRequest,
    ListSubCustomersRequest,
    QueryIndirectPartnersReq,
    QuerySubCustomerListReq,
    ReclaimIndirectPartnerAccountReq,
    ReclaimIndirectPartnerAccountRequest,
    ReclaimToPartnerAccountBalancesReq,
    ReclaimToPartnerAccountRequest,
    UpdateCustomerAccountAmountRequest,
    UpdateIndirectPartnerAccountRequest,
)
from huaweicloudsdkcore.auth.credentials import GlobalCredentials
from huaweicloudsdkcore.exceptions import exceptions

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from burst import run as run_burst  # noqa: E402

(endpoint, d_ak, d_sk, dist, r_ak, r_sk, res, p_ak, p_sk, prov, foreign, resale, consulting, prov_customer) = sys.argv[
    1:15
]


def client(ak, sk, domain):
    return BssClient.new_builder().with_credentials(GlobalCredentials(ak, sk, domain)).with_endpoint(endpoint).build()


d, r, p = client(d_ak, d_sk, dist), client(r_ak, r_sk, res), client(p_ak, p_sk, prov)


def refused(call, status, code):
    try:
        call()
    except exceptions.ClientRequestException as e:
        assert (e.status_code, e.error_code) == (status, code), (e.status_code, e.error_code, e.error_msg)
        return
    raise AssertionError(f"expected {status} {code}")


def balance(c, reseller=None):
    b = c.list_partner_balances(ListPartnerBalancesRequest(indirect_partner_id=reseller)).account_balances
    main = [x for x in b if x.account_type == 1]
    assert len(main) == 1 and main[0].currency == "CNY" and main[0].measure_id == 1, b
    return Decimal(str(main[0].amount))


def give(c, reseller, amount):
    body = AdjustToIndirectPartnerReq(indirect_partner_id=reseller, amount=Decimal(amount))
    return c.update_indirect_partner_account(UpdateIndirectPartnerAccountRequest(body=body))


def take(c, reseller, amount):
    body = ReclaimIndirectPartnerAccountReq(indirect_partner_id=reseller, amount=Decimal(amount))
    return c.reclaim_indirect_partner_account(ReclaimIndirectPartnerAccountRequest(body=body))


def fund(c, customer, amount, reseller=None):
    body = AdjustAccountReq(customer_id=customer, amount=Decimal(amount), indirect_partner_id=reseller)
    return c.update_customer_account_amount(UpdateCustomerAccountAmountRequest(body=body))


def reclaim(c, customer, amount, reseller=None):
    body = ReclaimToPartnerAccountBalancesReq(customer_id=customer, amount=Decimal(amount), indirect_partner_id=reseller)
    return c.reclaim_to_partner_account(ReclaimToPartnerAccountRequest(body=body))


# Resellers: the distributor lists its own; nobody else may.
listed = d.list_indirect_partners(ListIndirectPartnersRequest(body=QueryIndirectPartnersReq(offset=0, limit=10)))
assert listed.count == 1 and listed.indirect_partners[0].indirect_partner_id == res, listed
assert listed.indirect_partners[0].account_name == "res" and listed.indirect_partners[0].associated_on, listed
by_name = d.list_indirect_partners(ListIndirectPartnersRequest(body=QueryIndirectPartnersReq(account_name="nobody")))
assert by_name.count == 0, by_name
refused(lambda: p.list_indirect_partners(ListIndirectPartnersRequest(body=QueryIndirectPartnersReq())), 409, "CBC.0151")

# 向云经销商账户拨款 and its refusals; nothing moves when refused.
assert balance(d) == Decimal("1000.00")
t = give(d, res, "300.50")
assert t.transfer_id, t
assert balance(d) == Decimal("699.50") and balance(r) == Decimal("300.50")
assert balance(d, res) == Decimal("300.50")
refused(lambda: balance(d, foreign), 409, "CBC.0151")
refused(lambda: balance(p, res), 409, "CBC.0151")
refused(lambda: give(d, foreign, "1"), 409, "CBC.0151")
refused(lambda: give(p, res, "1"), 409, "CBC.0151")
refused(lambda: give(d, res, "0"), 400, "CBC.0100")
refused(lambda: give(d, res, "1.001"), 400, "CBC.0100")
refused(lambda: give(d, res, "100000"), 409, "CBC.0154")
refused(lambda: take(d, res, "300.51"), 409, "CBC.0154")
assert take(d, res, "0.50").trans_id
assert balance(d) == Decimal("700.00") and balance(r) == Decimal("300.00")

# 向客户账户拨款 / 回收客户账户余额 by the reseller (naming itself, as the SDK's docs ask).
assert fund(r, resale, "100.25", reseller=res).transfer_id
refused(lambda: fund(r, consulting, "1"), 409, "CBC.5021")
refused(lambda: fund(r, prov_customer, "1"), 409, "CBC.0151")
refused(lambda: fund(r, resale, "1", reseller=foreign), 409, "CBC.0151")
refused(lambda: fund(r, resale, "-1"), 400, "CBC.0100")
refused(lambda: reclaim(r, resale, "100.26"), 409, "CBC.0154")
assert reclaim(r, resale, "0.25").trans_id
assert balance(r) == Decimal("200.00")

# 查询调账记录: newest first, with the customer; the distributor may look at its reseller's.
recs = r.list_partner_adjust_records(ListPartnerAdjustRecordsRequest(offset=0, limit=10))
assert recs.total_count == 2, recs
first, second = recs.records
assert (first.operation_type, first.amount, first.customer_id) == ("SOURCE_OPERATION_BERETRIEVE", "0.25", resale), first
assert (second.operation_type, second.amount) == ("SOURCE_OPERATION_BEADJUST", "100.25"), second
assert first.customer_name and first.trans_id and first.operation_time.endswith("Z"), first
only = r.list_partner_adjust_records(ListPartnerAdjustRecordsRequest(operation_type="SOURCE_OPERATION_BEADJUST"))
assert only.total_count == 1 and only.records[0].trans_id == second.trans_id, only
by_trans = r.list_partner_adjust_records(ListPartnerAdjustRecordsRequest(trans_id=first.trans_id))
assert by_trans.total_count == 1, by_trans
via_dist = d.list_partner_adjust_records(ListPartnerAdjustRecordsRequest(indirect_partner_id=res))
assert via_dist.total_count == 2, via_dist
# A distributor's own records include its 拨款/回收 with its resellers (the SDK's docs: the
# customers here include the resellers); the reseller's side of them is not its customers'.
own = d.list_partner_adjust_records(ListPartnerAdjustRecordsRequest())
assert own.total_count == 2, own
assert [(x.operation_type, x.amount, x.customer_id) for x in own.records] == [
    ("SOURCE_OPERATION_BERETRIEVE", "0.50", res),
    ("SOURCE_OPERATION_BEADJUST", "300.50", res),
], own
assert d.list_partner_adjust_records(ListPartnerAdjustRecordsRequest(customer_id=res)).total_count == 2
assert d.list_partner_adjust_records(ListPartnerAdjustRecordsRequest(customer_id=resale)).total_count == 0
later = d.list_partner_adjust_records(ListPartnerAdjustRecordsRequest(offset=1, limit=1))
assert later.total_count == 2 and [x.amount for x in later.records] == ["300.50"], later
refused(lambda: d.list_partner_adjust_records(ListPartnerAdjustRecordsRequest(indirect_partner_id=foreign)), 409, "CBC.0151")
refused(lambda: r.list_partner_adjust_records(ListPartnerAdjustRecordsRequest(operation_type="PAY")), 400, "CBC.0100")

# 查询客户列表: association_type 1 顾问销售, 2 代售.
subs = r.list_sub_customers(ListSubCustomersRequest(body=QuerySubCustomerListReq(offset=0, limit=10)))
assert subs.count == 2, subs
kinds = {c.customer_id: c.association_type for c in subs.customer_infos}
assert kinds == {resale: "2", consulting: "1"}, kinds
resale_only = r.list_sub_customers(ListSubCustomersRequest(body=QuerySubCustomerListReq(association_type="2")))
assert resale_only.count == 1 and resale_only.customer_infos[0].customer_id == resale, resale_only
page2 = r.list_sub_customers(ListSubCustomersRequest(body=QuerySubCustomerListReq(offset=1, limit=1)))
assert page2.count == 2 and len(page2.customer_infos) == 1, page2
assert d.list_sub_customers(ListSubCustomersRequest(body=QuerySubCustomerListReq(indirect_partner_id=res))).count == 2
refused(
    lambda: p.list_sub_customers(ListSubCustomersRequest(body=QuerySubCustomerListReq(indirect_partner_id=res))),
    409,
    "CBC.0151",
)
refused(lambda: r.list_sub_customers(ListSubCustomersRequest(body=QuerySubCustomerListReq(limit=1000))), 400, "CBC.0100")

# A burst of 10 concurrent 拨款 of 30.00 + i/100 from 200.00. Each is atomic, so while fewer than 6
# have gone through at least 200.00 − 5 × 30.09 = 49.55 is left, and after 6 at most
# 200.00 − 6 × 30.00 = 20.00: exactly 6 go through and exactly 4 are refused 409 CBC.0154
# (insufficient balance). A 5xx (even 503 CBC.99007461, busy), any other exception or a thread
# without an outcome fails the script (see burst.py). The amounts differ, since identical requests
# signed in the same second are one request (a replay).
def fund_one(i):
    amount = Decimal("30.00") + Decimal(i) / 100
    assert fund(client(r_ak, r_sk, res), resale, str(amount)).transfer_id
    return amount


outcomes = run_burst(10, fund_one, exceptions.ClientRequestException)
done = [o.value for o in outcomes if o.refusal is None]
refusals = [o.refusal for o in outcomes if o.refusal is not None]
assert len(done) == 6 and refusals == [(409, "CBC.0154")] * 4, outcomes
assert balance(r) == Decimal("200.00") - sum(done), (balance(r), outcomes)
print(f"sdk funds ok: {len(done)} of 10 concurrent transfers fit")
