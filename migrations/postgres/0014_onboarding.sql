-- HCPN onboarding (#17): a company's application to become a partner, and the single-use links
-- mailed to people (email confirmation; password reset later).

-- One application per partner (its latest submission: a rejected one is edited and submitted
-- again). 'unconfirmed': waiting for the contact email to be confirmed; 'pending': in the
-- operator's queue (待审核); 'rejected' (已驳回, with the reason); 'approved' (已通过: the
-- partner is onboarded). A unified social credit code belongs to one application.
CREATE TABLE onboarding_applications (
    partner_id       BIGINT PRIMARY KEY REFERENCES partners (id),
    company          TEXT    NOT NULL,
    uscc             TEXT    NOT NULL UNIQUE,
    address          TEXT    NOT NULL,
    contact_name     TEXT    NOT NULL,
    contact_email    TEXT    NOT NULL,
    contact_phone    TEXT    NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('solution_provider', 'distributor', 'reseller')),
    parent_id        BIGINT REFERENCES partners (id),
    state            TEXT    NOT NULL CHECK (state IN ('unconfirmed', 'pending', 'rejected', 'approved')),
    -- The contact address that was last confirmed: submitting again with it needs no new link.
    confirmed_email  TEXT,
    reason           TEXT,
    submitted_at     BIGINT  NOT NULL,
    decided_at       BIGINT,
    decided_by       BIGINT REFERENCES users (id),
    CHECK ((kind = 'reseller') = (parent_id IS NOT NULL))
);
CREATE INDEX onboarding_queue ON onboarding_applications (state, submitted_at);

-- A mailed single-use link: only the SHA-256 of its token is kept. `target` is what it
-- confirms (the email address). Used once (`used_at`), refused after `expires_at`; a newer
-- link of the same purpose for the same user ends the older ones.
CREATE TABLE account_links (
    token_hash  TEXT    PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    purpose     TEXT    NOT NULL CHECK (purpose IN ('confirm_email', 'reset_password')),
    target      TEXT    NOT NULL DEFAULT '',
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    used_at     BIGINT
);
CREATE INDEX account_links_user ON account_links (user_id, purpose);
CREATE INDEX account_links_expires ON account_links (expires_at);

-- An operator disables an account (账号管理): it cannot sign in, and its sessions, API tokens and
-- access keys stop working at once (every lookup of a signed-in user requires it to be enabled).
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
