-- 资金管理 maker–checker (#17): operator funding above the threshold (default 100 000.00) waits
-- for a second, different operator. Nothing moves until the approval, which funds the partner
-- in its own transaction with the request's transaction id (so it moves money once).
CREATE TABLE funding_requests (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id    BIGINT  NOT NULL REFERENCES partners (id),
    amount_fen    BIGINT  NOT NULL CHECK (amount_fen > 0),
    -- The transaction id the funding will carry, in the requesting operator's scope; a retried
    -- request with the same id is the same request.
    trans_id      TEXT    NOT NULL,
    requested_by  BIGINT  NOT NULL REFERENCES users (id),
    requested_at  BIGINT  NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
    decided_by    BIGINT  REFERENCES users (id),
    decided_at    BIGINT,
    reason        TEXT,
    -- Maker and checker are two people (a requester may withdraw its own: rejected by itself).
    CHECK (state <> 'approved' OR decided_by <> requested_by),
    CHECK ((state = 'pending') = (decided_at IS NULL)),
    UNIQUE (requested_by, trans_id)
);
CREATE INDEX funding_requests_queue ON funding_requests (state, requested_at);
