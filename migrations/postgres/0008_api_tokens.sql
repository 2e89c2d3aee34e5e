-- Tokens of the open API (X-Auth-Token), issued by POST /v3/auth/tokens for a login and
-- password. Only the SHA-256 of a token is stored; a token is valid for 24 hours.
CREATE TABLE api_tokens (
    token_hash  TEXT    PRIMARY KEY,
    user_id     BIGINT  NOT NULL REFERENCES users (id),
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX api_tokens_expiry ON api_tokens (expires_at);
