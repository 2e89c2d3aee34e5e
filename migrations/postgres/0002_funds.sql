-- Funds: a double-entry ledger. Amounts are integer fen (1/100 yuan).

-- One balance per partner and per customer, plus the single 'external' account through which
-- operator funding enters (its balance is minus all money ever funded, so all balances sum to 0).
CREATE TABLE fund_accounts (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner           TEXT    NOT NULL CHECK (owner IN ('external', 'partner', 'customer')),
    partner_id      BIGINT UNIQUE REFERENCES partners (id),
    customer_id     BIGINT UNIQUE REFERENCES customers (id),
    balance_fen     BIGINT  NOT NULL DEFAULT 0,
    -- 专款专用: earmarked by the operator, part of the balance, never allocatable.
    designated_fen  BIGINT  NOT NULL DEFAULT 0 CHECK (designated_fen >= 0),
    -- 信用: a credit line shown beside the balance (not spendable by transfers).
    credit_fen      BIGINT  NOT NULL DEFAULT 0 CHECK (credit_fen >= 0),
    CHECK (owner = 'external' OR balance_fen >= 0),
    CHECK (owner = 'external' OR designated_fen <= balance_fen),
    CHECK ((owner = 'partner') = (partner_id IS NOT NULL)),
    CHECK ((owner = 'customer') = (customer_id IS NOT NULL))
);
INSERT INTO fund_accounts (owner) VALUES ('external');

-- A movement of money. (scope, trans_id) is the idempotency key: scope names who chose the id
-- ('partner:<id>' or 'operator'); request_hash tells a true retry from a reused id.
CREATE TABLE fund_transfers (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scope          TEXT    NOT NULL,
    trans_id       TEXT    NOT NULL,
    request_hash   TEXT    NOT NULL,
    operation      TEXT    NOT NULL CHECK (operation IN ('FUND', 'BEADJUST', 'BERETRIEVE', 'BEUNBIND')),
    from_account   BIGINT NOT NULL REFERENCES fund_accounts (id),
    to_account     BIGINT NOT NULL REFERENCES fund_accounts (id),
    amount_fen     BIGINT  NOT NULL CHECK (amount_fen > 0),
    actor_user_id  BIGINT REFERENCES users (id),
    actor          TEXT    NOT NULL,
    ip             TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    UNIQUE (scope, trans_id),
    CHECK (from_account <> to_account)
);
CREATE INDEX fund_transfers_from ON fund_transfers (from_account, id);
CREATE INDEX fund_transfers_to ON fund_transfers (to_account, id);

-- The two entries of each transfer: negative on the payer, positive on the payee, with the
-- balance each left behind.
CREATE TABLE fund_entries (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transfer_id        BIGINT NOT NULL REFERENCES fund_transfers (id),
    account_id         BIGINT NOT NULL REFERENCES fund_accounts (id),
    amount_fen         BIGINT  NOT NULL CHECK (amount_fen <> 0),
    balance_after_fen  BIGINT  NOT NULL,
    created_at         BIGINT  NOT NULL
);
CREATE INDEX fund_entries_account ON fund_entries (account_id, id);

-- The ledger is append-only.
CREATE FUNCTION ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only (% on %)', TG_OP, TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER fund_transfers_immutable BEFORE UPDATE OR DELETE ON fund_transfers
    FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER fund_entries_immutable BEFORE UPDATE OR DELETE ON fund_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
