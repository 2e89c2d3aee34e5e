"""Drives the voucher operations of the open API through the official SDK's BssClient
(huaweicloudsdkbss 3.1.219), unchanged, against a running Partner Center.

Usage: python bss_vouchers.py ENDPOINT AK SK DOMAIN_ID RESALE_ID CONSULTING_ID
Exits non-zero (an assertion) on the first difference from what the API promises.
"""
import json
import os
import sys
import time
from decimal import Decimal

from huaweicloudsdkbss.v2 import (
    BssClient,
    CreatePartnerCouponsReq,
    CreatePartnerCouponsRequest,
    ListQuotaCouponsRequest,
    QueryCouponQuotasReqExt,
    ReclaimPartnerCouponsReq,
    ReclaimPartnerCouponsRequest,
)
from huaweicloudsdkcore.auth.credentials import GlobalCredentials
from huaweicloudsdkcore.exceptions import exceptions
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer
import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from burst import run as run_burst  # noqa: E402

endpoint, ak, sk, domain_id, resale, consulting = sys.argv[1:7]


def client(secret=sk):
    return (
        BssClient.new_builder()
        .with_credentials(GlobalCredentials(ak, secret, domain_id))
        .with_endpoint(endpoint)
        .build()
    )


bss = client()


def refused(call, status, code):
    try:
        call()
    except exceptions.ClientRequestException as e:
        assert (e.status_code, e.error_code) == (status, code), (e.status_code, e.error_code, e.error_msg)
        return
    raise AssertionError(f"expected {status} {code}")


def quota():
    r = bss.list_quota_coupons(ListQuotaCouponsRequest(body=QueryCouponQuotasReqExt(offset=0, limit=10)))
    assert r.total_count == 1, r
    q = r.quotas[0]
    assert q.currency == "CNY" and q.measure_id == 1 and q.quota_status == 0, q
    assert isinstance(q.balance, Decimal), type(q.balance)
    return q


def issue(face, customer, quota_id):
    return bss.create_partner_coupons(
        CreatePartnerCouponsRequest(
            body=CreatePartnerCouponsReq(
                quota_id=quota_id, customer_ids=[customer], face_value=Decimal(face), memo="sdk"
            )
        )
    )


q = quota()
assert q.quota_value == Decimal("1000.00") and q.balance == Decimal("1000.00"), q
# Filters: by status and by id.
none = bss.list_quota_coupons(
    ListQuotaCouponsRequest(body=QueryCouponQuotasReqExt(quota_status_list=[5], offset=0, limit=10))
)
assert none.total_count == 0 and none.quotas == [], none

created = issue("12.34", resale, q.quota_id)
assert len(created.coupon_infos) == 1 and created.error_details == [], created
assert created.coupon_infos[0].id == resale, created
coupon_id = created.coupon_infos[0].coupon_id
assert quota().balance == Decimal("987.66")

# Refusals carry the product's codes and change nothing.
refused(lambda: issue("10", consulting, q.quota_id), 409, "CBC.5021")
refused(lambda: issue("10", "999999", q.quota_id), 409, "CBC.50000021")
refused(lambda: issue("5000", resale, q.quota_id), 409, "CBC.30000012")
refused(lambda: issue("0.001", resale, q.quota_id), 400, "CBC.30000013")
refused(lambda: issue("10", resale, "999999"), 409, "CBC.30000010")
assert quota().balance == Decimal("987.66")

# Reclaim takes the whole balance back, once.
bss.reclaim_partner_coupons(ReclaimPartnerCouponsRequest(body=ReclaimPartnerCouponsReq(coupon_id=coupon_id)))
assert quota().balance == Decimal("1000.00")
time.sleep(1.1)  # the SDK signs to the second: a new second makes a new signature
refused(
    lambda: bss.reclaim_partner_coupons(ReclaimPartnerCouponsRequest(body=ReclaimPartnerCouponsReq(coupon_id=coupon_id))),
    409,
    "CBC.30000015",
)

# The same signed request sent twice: the second is refused as a replay and moves nothing.
signed = SdkRequest(
    method="POST",
    schema="http",
    host=endpoint.split("://", 1)[1],
    resource_path="/v2/promotions/benefits/partner-coupons",
    query_params=[],
    header_params={"Content-Type": "application/json;charset=UTF-8"},
    body=json.dumps({"quota_id": q.quota_id, "customer_ids": [resale], "face_value": 1.5}).encode(),
)
signed = Signer(GlobalCredentials(ak, sk, domain_id)).sign(signed)
url = endpoint + "/v2/promotions/benefits/partner-coupons"
first = requests.post(url, data=signed.body, headers=signed.header_params)
assert first.status_code == 200, first.text
again = requests.post(url, data=signed.body, headers=signed.header_params)
assert again.status_code == 401 and again.json()["error_code"] == "APIGW.0304", again.text
assert quota().balance == Decimal("998.50")
tampered = dict(signed.header_params)
tampered["X-Sdk-Date"] = "20200101T000000Z"
stale = requests.post(url, data=signed.body, headers=tampered)
assert stale.status_code == 401 and stale.json()["error_code"] == "APIGW.0303", stale.text
changed = requests.post(url, data=signed.body.replace(b"1.5", b"9.5"), headers=signed.header_params)
assert changed.status_code == 401 and changed.json()["error_code"] == "APIGW.0301", changed.text
assert quota().balance == Decimal("998.50")

# A wrong secret key is refused.
try:
    client("wrong-secret").list_quota_coupons(ListQuotaCouponsRequest(body=QueryCouponQuotasReqExt()))
    raise AssertionError("a wrong SK was accepted")
except exceptions.ClientRequestException as e:
    assert (e.status_code, e.error_code) == (401, "APIGW.0301"), (e.status_code, e.error_code)

# A burst of 10 concurrent issues of 150.00 from the 998.50 left. Each is atomic, so while fewer
# than 6 have gone through at least 998.50 − 5 × 150.00 = 248.50 is left, and after 6 only 98.50:
# exactly 6 issue one coupon each and exactly 4 are refused 409 CBC.30000012 (quota insufficient).
# A 5xx (even 503 CBC.99007461, busy), any other exception or a thread without an outcome fails the
# script (see burst.py). The memos differ, so no two requests are the same signed request.
def issue_one(i):
    created = client().create_partner_coupons(
        CreatePartnerCouponsRequest(
            body=CreatePartnerCouponsReq(
                quota_id=q.quota_id, customer_ids=[resale], face_value=Decimal("150.00"), memo=f"burst-{i}"
            )
        )
    )
    assert len(created.coupon_infos) == 1 and created.coupon_infos[0].id == resale, created
    assert created.error_details == [], created
    return created.coupon_infos[0].coupon_id


outcomes = run_burst(10, issue_one, exceptions.ClientRequestException)
issued = [o.value for o in outcomes if o.refusal is None]
refusals = [o.refusal for o in outcomes if o.refusal is not None]
assert len(issued) == 6 and len(set(issued)) == 6, outcomes
assert refusals == [(409, "CBC.30000012")] * 4, outcomes
assert quota().balance == Decimal("98.50"), (outcomes, quota().balance)
print(f"sdk ok: {len(issued)} of 10 concurrent issues fit")
