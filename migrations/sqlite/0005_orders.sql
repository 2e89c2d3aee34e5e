-- Orders paid by the customer or by its partner (伙伴代付), and the outbox of emails and SMS.

-- The ledger learns two operations: PAY (an order's payment leaves the payer's account for
-- Huawei Cloud, i.e. the external account) and REFUND (an unsubscribed order's money comes back
-- to whoever paid). SQLite cannot change a CHECK in place, so fund_transfers is rebuilt with the
-- same rows and ids: foreign keys from fund_entries are deferred to the end of this migration's
-- transaction and hold again once the rows are back.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE fund_transfers_copy AS SELECT * FROM fund_transfers;
DROP TRIGGER fund_transfers_immutable;
DROP TRIGGER fund_transfers_undeletable;
DROP TABLE fund_transfers;
CREATE TABLE fund_transfers (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    scope          TEXT    NOT NULL,
    trans_id       TEXT    NOT NULL,
    request_hash   TEXT    NOT NULL,
    operation      TEXT    NOT NULL CHECK (operation IN ('FUND', 'BEADJUST', 'BERETRIEVE', 'BEUNBIND', 'PAY', 'REFUND')),
    from_account   INTEGER NOT NULL REFERENCES fund_accounts (id),
    to_account     INTEGER NOT NULL REFERENCES fund_accounts (id),
    amount_fen     BIGINT  NOT NULL CHECK (amount_fen > 0),
    actor_user_id  INTEGER REFERENCES users (id),
    actor          TEXT    NOT NULL,
    ip             TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    UNIQUE (scope, trans_id),
    CHECK (from_account <> to_account)
);
INSERT INTO fund_transfers SELECT * FROM fund_transfers_copy;
DROP TABLE fund_transfers_copy;
CREATE INDEX fund_transfers_from ON fund_transfers (from_account, id);
CREATE INDEX fund_transfers_to ON fund_transfers (to_account, id);
CREATE TRIGGER fund_transfers_immutable BEFORE UPDATE ON fund_transfers
BEGIN SELECT RAISE(ABORT, 'fund transfers are immutable'); END;
CREATE TRIGGER fund_transfers_undeletable BEFORE DELETE ON fund_transfers
BEGIN SELECT RAISE(ABORT, 'fund transfers are immutable'); END;

-- Whether a partner lets its consulting (顾问销售) customers ask it to pay their orders; resale
-- customers always may. Partners' phone numbers receive the SMS notices.
ALTER TABLE partners ADD COLUMN allow_consulting_pay BIGINT NOT NULL DEFAULT 0 CHECK (allow_consulting_pay IN (0, 1));
ALTER TABLE partners ADD COLUMN phone TEXT;

-- A customer's order of a catalogue product. State machine (see src/orders/model.rs):
-- pending_payment | awaiting_partner → paid → refunded; pending_payment | awaiting_partner →
-- cancelled; awaiting_partner → pending_payment when the partner rejects (reason kept).
CREATE TABLE orders (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    number          TEXT    NOT NULL UNIQUE,
    customer_id     INTEGER NOT NULL REFERENCES customers (id),
    partner_id      INTEGER NOT NULL REFERENCES partners (id),
    product         TEXT    NOT NULL,
    quantity        BIGINT  NOT NULL CHECK (quantity BETWEEN 1 AND 36),
    amount_fen      BIGINT  NOT NULL CHECK (amount_fen > 0),
    state           TEXT    NOT NULL CHECK (state IN ('pending_payment', 'awaiting_partner', 'paid', 'cancelled', 'refunded')),
    -- Who paid (set when paid): the refund goes back to it.
    payer           TEXT    CHECK (payer IN ('customer', 'partner')),
    partner_requested BIGINT NOT NULL DEFAULT 0 CHECK (partner_requested IN (0, 1)),
    reject_reason   TEXT,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    CHECK ((state IN ('paid', 'refunded')) = (payer IS NOT NULL))
);
CREATE INDEX orders_customer ON orders (customer_id, created_at);
CREATE INDEX orders_partner ON orders (partner_id, state, created_at);

-- Email and SMS waiting to be delivered, written in the same transaction as their cause so none
-- is lost; a dispatcher delivers them and records the outcome.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    channel     TEXT    NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient   TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    attempts    BIGINT  NOT NULL DEFAULT 0,
    last_error  TEXT,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
CREATE INDEX outbox_pending ON outbox (state, id);
