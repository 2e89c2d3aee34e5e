-- Account self-service (#17): a user's own contact details, sessions that a password change ends,
-- and passwords an operator set that must be changed at the next sign-in.

-- The user's own contact email and mobile (profile): where a forgotten-password link is mailed.
-- A partner's contacts that customers see stay on `partners`.
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN phone TEXT;

-- Sessions carry the epoch they were opened in; changing or resetting the password moves it on,
-- which ends every other session of the user at once.
ALTER TABLE users ADD COLUMN session_epoch BIGINT NOT NULL DEFAULT 0;

-- 1 when the password was set by an operator (a new account or a reset): the user must choose
-- their own before doing anything else.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));
