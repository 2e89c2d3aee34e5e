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

-- The invitation is a mailed single-use link of its own purpose.
ALTER TABLE account_links DROP CONSTRAINT account_links_purpose_check;
ALTER TABLE account_links ADD CONSTRAINT account_links_purpose_check
    CHECK (purpose IN ('confirm_email', 'reset_password', 'join_partner'));
