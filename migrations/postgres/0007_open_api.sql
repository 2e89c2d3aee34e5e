-- The open API: access keys (AK/SK) of partner users and the signatures already seen (replay
-- protection).

-- A partner user's access key. The secret key is kept because verifying an HMAC signature needs
-- it; it is shown once when created and never returned or logged again.
CREATE TABLE access_keys (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ak            TEXT    NOT NULL UNIQUE,
    sk            TEXT    NOT NULL,
    user_id       BIGINT  NOT NULL REFERENCES users (id),
    state         TEXT    NOT NULL CHECK (state IN ('active', 'disabled')),
    description   TEXT    NOT NULL DEFAULT '',
    created_at    BIGINT  NOT NULL,
    last_used_at  BIGINT
);
CREATE INDEX access_keys_user ON access_keys (user_id);

-- Signatures accepted within their validity window: the same signed request is refused twice.
CREATE TABLE api_replays (
    signature   TEXT    PRIMARY KEY,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX api_replays_expiry ON api_replays (expires_at);
