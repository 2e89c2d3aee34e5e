-- Offline invitation links expire (#18): 30 days after they are made, like an email invitation
-- after its 7. The links partners already hold get 30 days from this upgrade. Once expired, the
-- sealed token of an offline link is forgotten (the link cannot be shown again), so `token` may
-- now be absent on an offline invitation (SQLite cannot alter a CHECK: the table is rebuilt with
-- the same rows).
CREATE TABLE customer_invitations_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    partner_id   INTEGER NOT NULL REFERENCES partners (id),
    token_hash   TEXT    NOT NULL UNIQUE,
    token        TEXT,
    channel      TEXT    NOT NULL CHECK (channel IN ('email', 'offline')),
    email        TEXT,
    label        TEXT    NOT NULL DEFAULT '',
    mode         TEXT    NOT NULL CHECK (mode IN ('resale', 'consulting')),
    state        TEXT    NOT NULL CHECK (state IN ('active', 'used', 'cancelled')),
    expires_at   BIGINT  NOT NULL,
    accepted     BIGINT  NOT NULL DEFAULT 0,
    created_at   BIGINT  NOT NULL,
    CHECK ((channel = 'email') = (email IS NOT NULL)),
    CHECK (channel = 'offline' OR token IS NULL)
);
INSERT INTO customer_invitations_new
    (id, partner_id, token_hash, token, channel, email, label, mode, state, expires_at, accepted, created_at)
SELECT id, partner_id, token_hash, token, channel, email, label, mode, state,
       COALESCE(expires_at, CAST(strftime('%s', 'now') AS INTEGER) * 1000 + 2592000000),
       accepted, created_at
FROM customer_invitations;
DROP TABLE customer_invitations;
ALTER TABLE customer_invitations_new RENAME TO customer_invitations;
CREATE INDEX customer_invitations_partner ON customer_invitations (partner_id, created_at);
CREATE INDEX customer_invitations_expiry ON customer_invitations (channel, expires_at);
