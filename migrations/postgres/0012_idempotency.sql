-- One store for the answers of idempotent requests (the ledger keeps its own in fund_transfers).
-- The voucher requests' table becomes it; the open API's client tokens move into it.
ALTER TABLE voucher_requests RENAME TO idempotent_requests;
INSERT INTO idempotent_requests (scope, trans_id, request_hash, result, created_at)
    SELECT 'api:' || scope, token, request_hash, 'null', created_at FROM api_client_tokens;
DROP TABLE api_client_tokens;
