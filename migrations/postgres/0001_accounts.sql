-- Accounts: partners, customers, users, sign-in throttling, audit trail and sessions.
-- Timestamps are unix milliseconds (BIGINT) on both backends.

-- A company in the partner program. A cloud reseller (tier-2) always has its distributor
-- (tier-1) as parent; no other kind has a parent.
CREATE TABLE partners (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('solution_provider', 'distributor', 'reseller')),
    parent_id   BIGINT REFERENCES partners (id),
    hcpn_state  TEXT    NOT NULL CHECK (hcpn_state IN ('onboarded', 'pending')),
    email       TEXT,
    created_at  BIGINT  NOT NULL,
    CHECK ((kind = 'reseller') = (parent_id IS NOT NULL))
);
CREATE INDEX partners_parent ON partners (parent_id);

-- A customer linked to one partner: resale (代售) or consulting sales (顾问销售).
CREATE TABLE customers (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id  BIGINT NOT NULL REFERENCES partners (id),
    name        TEXT    NOT NULL,
    mode        TEXT    NOT NULL CHECK (mode IN ('resale', 'consulting')),
    created_at  BIGINT  NOT NULL
);
CREATE INDEX customers_partner ON customers (partner_id);

-- Someone who signs in. Login names are stored lower-case. 'personal' is a partner
-- employee's own account (项目专员), associated with partners later.
CREATE TABLE users (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login          TEXT    NOT NULL UNIQUE,
    password_hash  TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('partner', 'customer', 'operator', 'personal')),
    partner_id     BIGINT REFERENCES partners (id),
    customer_id    BIGINT REFERENCES customers (id),
    created_at     BIGINT  NOT NULL,
    CHECK ((role = 'partner') = (partner_id IS NOT NULL)),
    CHECK ((role = 'customer') = (customer_id IS NOT NULL))
);

-- Failed sign-ins, counted per account and per address over the last minute.
CREATE TABLE login_failures (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account  TEXT    NOT NULL,
    ip       TEXT    NOT NULL,
    at       BIGINT  NOT NULL
);
CREATE INDEX login_failures_account ON login_failures (account, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);

-- Who did what to what, from where. Rows are only ever inserted.
CREATE TABLE audit_log (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             BIGINT  NOT NULL,
    actor_user_id  BIGINT REFERENCES users (id),
    actor          TEXT    NOT NULL,
    action         TEXT    NOT NULL,
    target         TEXT    NOT NULL,
    ip             TEXT    NOT NULL,
    detail         TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_target ON audit_log (target, at);

-- Browser sessions (tower-sessions records as JSON), shared by every server process.
CREATE TABLE sessions (
    id          TEXT    PRIMARY KEY,
    data        TEXT    NOT NULL,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);
