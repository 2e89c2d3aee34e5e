-- Partner members (#17): a partner has several users. The first is its administrator
-- (伙伴管理员); it invites colleagues by email with a role: admin (everything), finance (funds,
-- vouchers, orders) or business (customers, opportunities, plans, paths). Every partner user has
-- a member role; other users have none.
ALTER TABLE users ADD COLUMN member_role TEXT CHECK (member_role IN ('admin', 'finance', 'business'));
UPDATE users SET member_role = 'admin' WHERE role = 'partner';
-- An invited member has not yet chosen its password (its invitation link sets it): 1 until then.
ALTER TABLE users ADD COLUMN invite_pending BIGINT NOT NULL DEFAULT 0 CHECK (invite_pending IN (0, 1));
-- Who invited the member (the partner's first administrator has none).
ALTER TABLE users ADD COLUMN invited_by BIGINT REFERENCES users (id);
CREATE INDEX users_partner ON users (partner_id, id);

-- The invitation is a mailed single-use link of its own purpose (SQLite cannot alter a CHECK:
-- the table is rebuilt with the same rows).
CREATE TABLE account_links_new (
    token_hash  TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    purpose     TEXT    NOT NULL CHECK (purpose IN ('confirm_email', 'reset_password', 'join_partner')),
    target      TEXT    NOT NULL DEFAULT '',
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    used_at     BIGINT
);
INSERT INTO account_links_new SELECT token_hash, user_id, purpose, target, created_at, expires_at, used_at FROM account_links;
DROP TABLE account_links;
ALTER TABLE account_links_new RENAME TO account_links;
CREATE INDEX account_links_user ON account_links (user_id, purpose);
CREATE INDEX account_links_expires ON account_links (expires_at);
