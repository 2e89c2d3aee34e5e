"""Prints, as JSON, the request parameters and response fields of the given BSS operations as
the official SDK's models (huaweicloudsdkbss v2) declare them."""
import json
import re
import sys

import huaweicloudsdkbss.v2.model as m

SCALARS = {"str": "string", "int": "integer", "float": "number", "decimal": "number", "decimal.Decimal": "number", "double": "number", "bool": "boolean", "object": "object"}


def shape(ty):
    inner = re.fullmatch(r"list\[(.+)\]", ty)
    if inner:
        return {"list": shape(inner.group(1))}
    if ty in SCALARS:
        return SCALARS[ty]
    return fields(getattr(m, ty))


def fields(cls):
    return {cls.attribute_map[k]: shape(v) for k, v in cls.openapi_types.items()}


def camel(name):
    return "".join(p.capitalize() for p in name.split("_"))


out = {}
for op in sys.argv[1:]:
    req = getattr(m, camel(op) + "Request")
    params = fields(req)
    in_body = list(req.openapi_types) == ["body"]
    if in_body:
        params = params["body"]
    res = fields(getattr(m, camel(op) + "Response"))
    res.pop("X-request-id", None)
    out[op] = {"in_body": in_body, "params": params, "response": res}
print(json.dumps(out, indent=1, sort_keys=True))
