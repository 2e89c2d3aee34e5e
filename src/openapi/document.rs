//! The OpenAPI 3 document of the open API, generated from [`super::catalog`].

use super::catalog::{OPERATIONS, Operation, Out, Param, Ty};
use super::schema::expand;
use serde_json::{Map, Value, json};

fn param_schema(ty: Ty) -> Value {
    match ty {
        Ty::Str => json!({ "type": "string" }),
        Ty::Int => json!({ "type": "integer", "format": "int64" }),
        Ty::Number => json!({
            "type": "number",
            "description": "Yuan, > 0 with at most 2 decimals; read exactly, never as a float."
        }),
        Ty::StrList => json!({ "type": "array", "items": { "type": "string" } }),
        Ty::IntList => json!({ "type": "array", "items": { "type": "integer" } }),
    }
}

fn out_schema(out: Out) -> Value {
    match out {
        Out::Str => json!({ "type": "string" }),
        Out::Int => json!({ "type": "integer" }),
        Out::Number => json!({ "type": "number" }),
        Out::Objects(fields) => json!({ "type": "array", "items": object(fields) }),
        Out::Inline(fields) => object(fields),
    }
}

/// An object with these fields (inline ones expanded).
fn object(fields: &[(&'static str, Out)]) -> Value {
    let props: Map<String, Value> = expand(fields)
        .iter()
        .map(|(name, out)| (name.to_string(), out_schema(*out)))
        .collect();
    json!({ "type": "object", "properties": props })
}

fn body_schema(params: &[Param]) -> Value {
    let props: Map<String, Value> = params
        .iter()
        .map(|p| (p.name.to_string(), param_schema(p.ty)))
        .collect();
    let required: Vec<&str> = params
        .iter()
        .filter(|p| p.required)
        .map(|p| p.name)
        .collect();
    let mut schema = json!({
        "type": "object",
        "properties": props,
        "additionalProperties": false,
    });
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema
}

fn error(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
    })
}

fn operation(op: &Operation) -> Value {
    let mut o = json!({
        "operationId": op.name,
        "summary": op.title_zh,
        "description": format!(
            "{}{}",
            op.title_en,
            if op.distributor_only { " (distributors only)." } else { "." }
        ),
        "tags": [if op.path.contains("coupon") { "vouchers" } else { "funds" }],
        "security": [{ "sdkHmac": [] }, { "token": [] }],
    });
    if op.in_body() {
        o["requestBody"] = json!({
            "required": op.params.iter().any(|p| p.required),
            "content": { "application/json": { "schema": body_schema(op.params) } }
        });
    } else {
        let params: Vec<Value> = op
            .params
            .iter()
            .map(|p| {
                json!({
                    "name": p.name,
                    "in": "query",
                    "required": p.required,
                    "schema": param_schema(p.ty),
                })
            })
            .collect();
        o["parameters"] = json!(params);
    }
    if op.changes {
        let header = json!({
            "name": "X-Client-Token",
            "in": "header",
            "required": false,
            "description": "Optional idempotency key (1–64 of A-Z a-z 0-9 _ -), per partner, bound to the first request that uses it (its operation and body). A retry with the same key and the same request answers the first result and moves nothing again; the same key with another request is refused with 409 CBC.0153. Without it every call is a new operation.",
            "schema": { "type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$" }
        });
        match o.get_mut("parameters").and_then(Value::as_array_mut) {
            Some(list) => list.push(header),
            None => o["parameters"] = json!([header]),
        }
    }
    let mut responses = Map::new();
    let ok = if op.response.is_empty() {
        json!({ "description": "Done." })
    } else {
        json!({
            "description": "OK",
            "content": { "application/json": { "schema": object(op.response) } }
        })
    };
    responses.insert(op.status.to_string(), ok);
    responses.insert(
        "400".into(),
        error("Malformed request (CBC.0100) or invalid value."),
    );
    responses.insert(
        "401".into(),
        error("Not authenticated (APIGW.0301, APIGW.0303, APIGW.0304, APIGW.0307)."),
    );
    responses.insert("403".into(), error("Not allowed for this caller."));
    responses.insert(
        "409".into(),
        error("Refused by a business rule; nothing changed."),
    );
    responses.insert("413".into(), json!({ "description": "Body over 64 KiB." }));
    o["responses"] = Value::Object(responses);
    o
}

/// IAM's password-method token request.
fn token_request() -> Value {
    let user = json!({
        "type": "object", "required": ["name", "password"], "additionalProperties": false,
        "properties": {
            "name": { "type": "string" },
            "password": { "type": "string", "format": "password" },
            "domain": { "type": "object" }
        }
    });
    let password = json!({
        "type": "object", "required": ["user"], "additionalProperties": false,
        "properties": { "user": user }
    });
    let identity = json!({
        "type": "object", "required": ["methods"], "additionalProperties": false,
        "properties": {
            "methods": { "type": "array", "items": { "type": "string", "enum": ["password"] } },
            "password": password
        }
    });
    let auth = json!({
        "type": "object", "required": ["identity"], "additionalProperties": false,
        "properties": { "identity": identity, "scope": { "type": "object" } }
    });
    json!({
        "type": "object", "required": ["auth"], "additionalProperties": false,
        "properties": { "auth": auth }
    })
}

/// The whole document.
pub fn document() -> Value {
    let mut paths: Map<String, Value> = Map::new();
    for op in OPERATIONS {
        let entry = paths
            .entry(op.path.to_string())
            .or_insert_with(|| json!({}));
        entry[op.method.to_ascii_lowercase()] = operation(op);
    }
    paths.insert(
        "/v3/auth/tokens".into(),
        json!({ "post": {
            "operationId": "keystone_create_user_token_by_password",
            "summary": "获取IAM用户Token（使用密码）",
            "description": "A token for a partner user's login and password, valid for 24 hours. It is returned in the X-Subject-Token header; send it as X-Auth-Token.",
            "tags": ["auth"],
            "security": [],
            "requestBody": { "required": true, "content": { "application/json": { "schema": token_request() } } },
            "responses": {
                "201": {
                    "description": "Token issued.",
                    "headers": { "X-Subject-Token": { "schema": { "type": "string" } } },
                    "content": { "application/json": { "schema": { "type": "object" } } }
                },
                "400": error("Malformed request."),
                "401": error("Wrong login or password."),
                "403": error("Not a partner user."),
                "429": error("Too many failed attempts; wait and retry.")
            }
        } }),
    );
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Partner Center Open API",
            "description": "Huawei Cloud BSS v2 compatible: the official SDK (huaweicloudsdkbss 3.1.219) works unchanged against this server. Authenticate with an SDK-HMAC-SHA256 signature of an access key (访问密钥) or with an X-Auth-Token.",
            "version": "3.1.219"
        },
        "servers": [{ "url": "/" }],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "sdkHmac": {
                    "type": "apiKey", "in": "header", "name": "Authorization",
                    "description": "SDK-HMAC-SHA256 Access=AK, SignedHeaders=..., Signature=... with X-Sdk-Date (YYYYMMDDTHHMMSSZ, within 15 minutes); Host and X-Sdk-Date must be signed."
                },
                "token": { "type": "apiKey", "in": "header", "name": "X-Auth-Token" }
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error_code", "error_msg"],
                    "properties": {
                        "error_code": { "type": "string" },
                        "error_msg": { "type": "string" }
                    }
                }
            }
        }
    })
}
