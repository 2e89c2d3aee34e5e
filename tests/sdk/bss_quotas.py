"""Distributor quota operations and coupon listing through the official SDK's BssClient
(huaweicloudsdkbss 3.1.219) against a running Partner Center.

Usage: python bss_quotas.py ENDPOINT DIST_AK DIST_SK DIST_ID RES_AK RES_SK RES_ID PROV_AK PROV_SK PROV_ID
       FOREIGN_RESELLER_ID RESELLER_CUSTOMER_ID
"""
import sys
from decimal import Decimal

from huaweicloudsdkbss.v2 import (
    AdjustCouponQuotasReq,
    BssClient,
    CreatePartnerCouponsReq,
    CreatePartnerCouponsRequest,
    ListCouponQuotasRecordsRequest,
    ListIssuedCouponQuotasRequest,
    ListIssuedPartnerCouponsRequest,
    ListQuotaCouponsRequest,
    QueryCouponQuotasReqExt,
    ReclaimCouponQuotasReq,
    ReclaimCouponQuotasRequest,
    UpdateCouponQuotasRequest,
)
from huaweicloudsdkcore.auth.credentials import GlobalCredentials
from huaweicloudsdkcore.exceptions import exceptions

(endpoint, d_ak, d_sk, dist, r_ak, r_sk, res, p_ak, p_sk, prov, foreign, customer) = sys.argv[1:13]


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


def quotas(c):
    return c.list_quota_coupons(ListQuotaCouponsRequest(body=QueryCouponQuotasReqExt(offset=0, limit=10)))


parent = quotas(d).quotas[0]
assert parent.balance == Decimal("5000.00"), parent


def give(c, quota_id, resellers, amount):
    return c.update_coupon_quotas(
        UpdateCouponQuotasRequest(
            body=AdjustCouponQuotasReq(quota_id=quota_id, indirect_partner_ids=resellers, quota_amount=Decimal(amount))
        )
    )


refused(lambda: give(d, parent.quota_id, [foreign], "10"), 409, "CBC.0151")
refused(lambda: give(p, quotas(p).quotas[0].quota_id, [res], "10"), 409, "CBC.0151")
given = give(d, parent.quota_id, [res], "1000.50")
assert len(given.simple_quota_infos) == 1 and given.simple_quota_infos[0].id == res, given
child = given.simple_quota_infos[0].quota_id
assert quotas(d).quotas[0].balance == Decimal("3999.50")

issued = d.list_issued_coupon_quotas(ListIssuedCouponQuotasRequest(offset=0, limit=10))
assert issued.total_count == 1, issued
q = issued.quotas[0]
assert (q.quota_id, q.indirect_partner_id, q.parent_quota_id) == (child, res, parent.quota_id), q
assert q.balance == Decimal("1000.50") and q.indirect_partner_name, q
none = d.list_issued_coupon_quotas(ListIssuedCouponQuotasRequest(indirect_partner_id=foreign))
assert none.total_count == 0, none

# The reseller sees its quota and issues from it; it lists what it issued.
mine = quotas(r)
assert mine.total_count == 1 and mine.quotas[0].quota_id == child, mine
r.create_partner_coupons(
    CreatePartnerCouponsRequest(
        body=CreatePartnerCouponsReq(quota_id=child, customer_ids=[customer], face_value=Decimal("100.25"))
    )
)
listed = r.list_issued_partner_coupons(ListIssuedPartnerCouponsRequest(status=2, offset=0, limit=10))
assert listed.total_count == 1, listed
coupon = listed.user_coupons[0]
assert coupon.customer_id == customer and coupon.face_value == Decimal("100.25") and coupon.balance == Decimal("100.25"), coupon
assert r.list_issued_partner_coupons(ListIssuedPartnerCouponsRequest(status=5)).total_count == 0
assert d.list_issued_partner_coupons(ListIssuedPartnerCouponsRequest()).total_count == 0

# The distributor takes back what is left (1000.50 − 100.25), once.
back = d.reclaim_coupon_quotas(ReclaimCouponQuotasRequest(body=ReclaimCouponQuotasReq(quota_ids=[child], remark="季度调整")))
assert back.simple_quota_infos[0].quota_id == child and back.simple_quota_infos[0].quota_balance == Decimal("0"), back
assert quotas(d).quotas[0].balance == Decimal("4899.75")
refused(
    lambda: d.reclaim_coupon_quotas(ReclaimCouponQuotasRequest(body=ReclaimCouponQuotasReq(quota_ids=[child]))),
    409,
    "CBC.30000011",
)
refused(
    lambda: p.reclaim_coupon_quotas(ReclaimCouponQuotasRequest(body=ReclaimCouponQuotasReq(quota_ids=[child]))),
    409,
    "CBC.0151",
)

records = d.list_coupon_quotas_records(ListCouponQuotasRecordsRequest(offset=0, limit=10))
assert records.total_count == 2, records
kinds = sorted((x.operation_type, x.amount) for x in records.records)
assert kinds == [("10", Decimal("1000.50")), ("11", Decimal("900.25"))], kinds
only = d.list_coupon_quotas_records(ListCouponQuotasRecordsRequest(operation_type="11"))
assert only.total_count == 1 and only.records[0].remark == "季度调整", only
refused(lambda: d.list_issued_coupon_quotas(ListIssuedCouponQuotasRequest(limit=1000)), 400, "CBC.0100")
print("sdk quotas ok")
