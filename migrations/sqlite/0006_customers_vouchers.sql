-- Customers that come and go (invitations, disassociation), contracts, and vouchers: coupon and
-- pickup-voucher quotas, the coupons issued from them, their operation log and their uses.

-- A customer may now be unlinked (no partner, no mode): it was invited but has not accepted, or
-- its partner and it disassociated. SQLite cannot drop NOT NULL in place, so customers is
-- rebuilt with the same rows and ids; foreign keys pointing at it are deferred to the end of this
-- migration's transaction and hold again once the rows are back.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE customers_copy AS SELECT * FROM customers;
DROP TABLE customers;
CREATE TABLE customers (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    partner_id           INTEGER REFERENCES partners (id),
    name                 TEXT    NOT NULL,
    mode                 TEXT    CHECK (mode IN ('resale', 'consulting')),
    created_at           BIGINT  NOT NULL,
    -- When the current association began (关联时间).
    associated_at        BIGINT,
    -- The partner asked to disassociate and waits for the customer's confirmation.
    unbind_requested_at  BIGINT,
    CHECK ((partner_id IS NULL) = (mode IS NULL)),
    CHECK ((partner_id IS NULL) = (associated_at IS NULL)),
    CHECK (partner_id IS NOT NULL OR unbind_requested_at IS NULL)
);
INSERT INTO customers (id, partner_id, name, mode, created_at, associated_at)
    SELECT id, partner_id, name, mode, created_at, created_at FROM customers_copy;
DROP TABLE customers_copy;
CREATE INDEX customers_partner ON customers (partner_id);

-- Every association a customer has had, for the audit trail; the current one has no end.
CREATE TABLE customer_associations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    partner_id   INTEGER NOT NULL REFERENCES partners (id),
    mode         TEXT    NOT NULL CHECK (mode IN ('resale', 'consulting')),
    started_at   BIGINT  NOT NULL,
    ended_at     BIGINT
);
CREATE INDEX customer_associations_customer ON customer_associations (customer_id, started_at);
INSERT INTO customer_associations (customer_id, partner_id, mode, started_at)
    SELECT id, partner_id, mode, created_at FROM customers WHERE partner_id IS NOT NULL;

-- An invitation to associate: by email (single use, 7 days) or an offline link (no expiry,
-- usable by several customers until cancelled). Only the SHA-256 of the link's token is kept.
CREATE TABLE customer_invitations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    partner_id   INTEGER NOT NULL REFERENCES partners (id),
    token_hash   TEXT    NOT NULL UNIQUE,
    -- An offline link is meant to be shared, so its token is kept to show it again; an email
    -- link's token exists only in the email.
    token        TEXT,
    channel      TEXT    NOT NULL CHECK (channel IN ('email', 'offline')),
    email        TEXT,
    label        TEXT    NOT NULL DEFAULT '',
    mode         TEXT    NOT NULL CHECK (mode IN ('resale', 'consulting')),
    state        TEXT    NOT NULL CHECK (state IN ('active', 'used', 'cancelled')),
    expires_at   BIGINT,
    accepted     BIGINT  NOT NULL DEFAULT 0,
    created_at   BIGINT  NOT NULL,
    CHECK ((channel = 'email') = (email IS NOT NULL)),
    CHECK ((channel = 'email') = (expires_at IS NOT NULL)),
    CHECK ((channel = 'offline') = (token IS NOT NULL))
);
CREATE INDEX customer_invitations_partner ON customer_invitations (partner_id, created_at);

-- A consulting customer's application for a contract with Huawei Cloud (申请合同).
CREATE TABLE contract_applications (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    partner_id   INTEGER NOT NULL REFERENCES partners (id),
    state        TEXT    NOT NULL CHECK (state IN ('submitted', 'approved', 'rejected')),
    reason       TEXT,
    created_at   BIGINT  NOT NULL,
    decided_at   BIGINT
);
CREATE INDEX contract_applications_customer ON contract_applications (customer_id, created_at);

-- A partner's voucher quota: 代金券额度 (kind 'coupon') or 提货券额度 (kind 'pickup'), granted by
-- the operator or, for a reseller, by its distributor (parent_id). Status: 0 正常, 3 失效,
-- 4 额度调整中, 5 冻结. balance = value − issued + returned, never negative.
CREATE TABLE coupon_quotas (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    partner_id    INTEGER NOT NULL REFERENCES partners (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('coupon', 'pickup')),
    quota_type    BIGINT  NOT NULL DEFAULT 0 CHECK (quota_type IN (0, 1)),
    parent_id     INTEGER REFERENCES coupon_quotas (id),
    status        BIGINT  NOT NULL CHECK (status IN (0, 3, 4, 5)),
    value_fen     BIGINT  NOT NULL CHECK (value_fen > 0),
    balance_fen   BIGINT  NOT NULL CHECK (balance_fen >= 0 AND balance_fen <= value_fen),
    -- 单张面额上限: the largest face value one coupon may have; NULL: no limit.
    max_face_fen  BIGINT  CHECK (max_face_fen > 0),
    service_types TEXT    NOT NULL DEFAULT '',
    products      TEXT    NOT NULL DEFAULT '',
    effective_at  BIGINT  NOT NULL,
    expires_at    BIGINT  NOT NULL,
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL,
    CHECK (expires_at > effective_at)
);
CREATE INDEX coupon_quotas_partner ON coupon_quotas (partner_id, kind, id);
CREATE INDEX coupon_quotas_parent ON coupon_quotas (parent_id);

-- A coupon (代金券) or pickup voucher (提货券) held by a customer. Status: 2 可使用, 3 已使用,
-- 4 已过期, 5 已回收. balance = face − used − reclaimed, never negative.
CREATE TABLE coupons (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    number         TEXT    NOT NULL UNIQUE,
    kind           TEXT    NOT NULL CHECK (kind IN ('coupon', 'pickup')),
    quota_id       INTEGER NOT NULL REFERENCES coupon_quotas (id),
    partner_id     INTEGER NOT NULL REFERENCES partners (id),
    customer_id    INTEGER NOT NULL REFERENCES customers (id),
    face_fen       BIGINT  NOT NULL CHECK (face_fen > 0),
    balance_fen    BIGINT  NOT NULL CHECK (balance_fen >= 0 AND balance_fen <= face_fen),
    min_order_fen  BIGINT  NOT NULL DEFAULT 0 CHECK (min_order_fen >= 0),
    service_types  TEXT    NOT NULL DEFAULT '',
    products       TEXT    NOT NULL DEFAULT '',
    effective_at   BIGINT  NOT NULL,
    expires_at     BIGINT  NOT NULL,
    status         BIGINT  NOT NULL CHECK (status IN (2, 3, 4, 5)),
    remark         TEXT    NOT NULL DEFAULT '',
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    CHECK (expires_at > effective_at)
);
CREATE INDEX coupons_partner ON coupons (partner_id, kind, id);
CREATE INDEX coupons_customer ON coupons (customer_id, kind, id);
CREATE INDEX coupons_due ON coupons (status, expires_at);

-- The operation log (操作记录), append-only: 1 发放, 2 手动回收, 3 解绑自动回收, 4 过期回收,
-- 5 退订回收 on coupons; 10 发放额度, 11 回收额度 between a distributor's quota (parent_quota_id)
-- and its reseller's (quota_id).
CREATE TABLE voucher_records (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    partner_id       INTEGER NOT NULL REFERENCES partners (id),
    kind             TEXT    NOT NULL CHECK (kind IN ('coupon', 'pickup')),
    operation        BIGINT  NOT NULL CHECK (operation IN (1, 2, 3, 4, 5, 10, 11)),
    quota_id         INTEGER NOT NULL REFERENCES coupon_quotas (id),
    parent_quota_id  INTEGER REFERENCES coupon_quotas (id),
    coupon_id        INTEGER REFERENCES coupons (id),
    customer_id      INTEGER REFERENCES customers (id),
    reseller_id      INTEGER REFERENCES partners (id),
    amount_fen       BIGINT  NOT NULL CHECK (amount_fen >= 0),
    remark           TEXT    NOT NULL DEFAULT '',
    actor_user_id    INTEGER REFERENCES users (id),
    actor            TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL
);
CREATE INDEX voucher_records_partner ON voucher_records (partner_id, kind, id);
CREATE INDEX voucher_records_quota ON voucher_records (quota_id);
CREATE TRIGGER voucher_records_immutable BEFORE UPDATE ON voucher_records
BEGIN SELECT RAISE(ABORT, 'voucher records are immutable'); END;
CREATE TRIGGER voucher_records_undeletable BEFORE DELETE ON voucher_records
BEGIN SELECT RAISE(ABORT, 'voucher records are immutable'); END;

-- A coupon spent on an order (one coupon per order); 提货券使用记录 for pickup vouchers.
CREATE TABLE coupon_uses (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    coupon_id   INTEGER NOT NULL REFERENCES coupons (id),
    order_id    INTEGER NOT NULL UNIQUE REFERENCES orders (id),
    amount_fen  BIGINT  NOT NULL CHECK (amount_fen > 0),
    created_at  BIGINT  NOT NULL
);
CREATE INDEX coupon_uses_coupon ON coupon_uses (coupon_id);

-- The customers a partner may give pickup vouchers to (提货券白名单).
CREATE TABLE pickup_whitelist (
    partner_id   INTEGER NOT NULL REFERENCES partners (id),
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    created_at   BIGINT  NOT NULL,
    PRIMARY KEY (partner_id, customer_id)
);

-- Idempotency of voucher requests: the first result of each (scope, trans_id), replayed to
-- retries; request_hash tells a true retry from a reused id.
CREATE TABLE voucher_requests (
    scope         TEXT    NOT NULL,
    trans_id      TEXT    NOT NULL,
    request_hash  TEXT    NOT NULL,
    result        TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    PRIMARY KEY (scope, trans_id)
);

-- The order a coupon paid part of: the customer paid amount − coupon_fen from its balance.
ALTER TABLE orders ADD COLUMN coupon_fen BIGINT NOT NULL DEFAULT 0 CHECK (coupon_fen >= 0);
