"""Drives the voucher operations of the open API through the official SDK's BssClient
(huaweicloudsdkbss 3.1.219), unchanged, against a running Partner Center.

Usage: python bss_vouchers.py ENDPOINT AK SK DOMAIN_ID RESALE_ID CONSULTING_ID
Exits non-zero (an assertion) on the first difference from what the API promises.
"""
import json
import sys
import threading
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

# A burst of concurrent issues: each one either issues or is refused; the quota never overdraws
# and what was issued plus what is left is what the quota holds.
results = []


def burst(i):
    c = client()
    try:
        c.create_partner_coupons(
            CreatePartnerCouponsRequest(
                body=CreatePartnerCouponsReq(
                    quota_id=q.quota_id, customer_ids=[resale], face_value=Decimal("150.00"), memo=f"burst-{i}"
                )
            )
        )
        results.append("ok")
    except exceptions.ClientRequestException as e:
        results.append(e.error_code)


threads = [threading.Thread(target=burst, args=(i,)) for i in range(10)]
for t in threads:
    t.start()
for t in threads:
    t.join()
ok = results.count("ok")
assert 1 <= ok <= 6, results
assert all(r in ("ok", "CBC.30000012", "CBC.99007461") for r in results), results
assert quota().balance == Decimal("998.50") - ok * Decimal("150.00"), (ok, quota().balance)
print(f"sdk ok: {ok} of 10 concurrent issues fit")
