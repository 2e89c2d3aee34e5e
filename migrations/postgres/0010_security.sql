-- Security hardening (#15).

-- Sessions are stored under the SHA-256 of their id (a stolen database holds no usable cookie)
-- and carry their creation time, for the absolute lifetime. Sessions of the previous form cannot
-- be found under a hash, so they are dropped: everyone signs in again once.
DELETE FROM sessions;
ALTER TABLE sessions ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0;

-- The audit trail is append-only, like the ledger.
CREATE FUNCTION audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only (% on %)', TG_OP, TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER audit_log_immutable BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_is_append_only();

-- Idempotency keys of the open API (X-Client-Token), per partner: the request each key was first
-- used with. The operation itself is idempotent per key in its own domain (the ledger's
-- trans_id, the voucher requests); this row refuses the same key for another request, whatever
-- the operation.
CREATE TABLE api_client_tokens (
    scope         TEXT    NOT NULL,
    token         TEXT    NOT NULL,
    request_hash  TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    PRIMARY KEY (scope, token)
);
