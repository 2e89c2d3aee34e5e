-- The scheduler (#18): leases on periodic jobs, the holiday calendar, and what the jobs remember
-- so that each notice goes out once.

-- A periodic job's lease. A process runs a job only after it has moved `lease_until` past now
-- with a conditional update (so two processes on one database never run the same job at once);
-- it clears the lease when done. A killed process's lease lapses at `lease_until` and another
-- process takes the job over. `next_at`: when the job is due again (its interval after its
-- last run, whichever process ran it).
CREATE TABLE job_leases (
    name         TEXT    PRIMARY KEY,
    holder       TEXT    NOT NULL DEFAULT '',
    lease_until  BIGINT  NOT NULL DEFAULT 0,
    next_at      BIGINT  NOT NULL DEFAULT 0,
    last_run_at  BIGINT,
    last_error   TEXT    NOT NULL DEFAULT ''
);

-- The holiday calendar the operator maintains (China's public holidays and make-up working
-- days, 调休): a day off ('off') that would be a weekday, or a working weekend day ('work').
-- Business days are Monday–Friday that are not days off, plus the extra working days.
CREATE TABLE holidays (
    day         TEXT    PRIMARY KEY,  -- YYYY-MM-DD, China time
    kind        TEXT    NOT NULL CHECK (kind IN ('off', 'work')),
    name        TEXT    NOT NULL DEFAULT '',
    created_at  BIGINT  NOT NULL,
    created_by  TEXT    NOT NULL
);

-- HOs: when the reminder is due (one business day before the deadline) and when it went.
ALTER TABLE opportunities ADD COLUMN remind_at BIGINT;
ALTER TABLE opportunities ADD COLUMN reminded_at BIGINT;
UPDATE opportunities SET remind_at = respond_by - 86400000 WHERE ho_state = 'pending';
CREATE INDEX opportunities_pending_ho ON opportunities (ho_state, respond_by);

-- Certifications end at `valid_until` ('expired'), besides being revoked by a failed or missed
-- review ('revoked'). SQLite cannot change a CHECK: the table is rebuilt (nothing refers to it).
CREATE TABLE path_certifications_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    partner_id      INTEGER NOT NULL REFERENCES partners (id),
    path            TEXT    NOT NULL,
    stage           TEXT    NOT NULL CHECK (stage IN ('role', 'differentiation')),
    state           TEXT    NOT NULL CHECK (state IN ('active', 'revoked', 'expired')),
    certified_at    BIGINT  NOT NULL,
    valid_until     BIGINT  NOT NULL,
    revoked_reason  TEXT    NOT NULL DEFAULT '',
    revoked_at      BIGINT,
    UNIQUE (partner_id, path, stage)
);
INSERT INTO path_certifications_new
    SELECT id, partner_id, path, stage, state, certified_at, valid_until, revoked_reason, revoked_at
    FROM path_certifications;
DROP TABLE path_certifications;
ALTER TABLE path_certifications_new RENAME TO path_certifications;
CREATE INDEX path_certifications_due ON path_certifications (state, valid_until);

-- Review-window notices already sent, one per window, partner, path stage and kind, so a job
-- run again (or by another process) tells nobody twice: 'open', 'week' (7 days before the
-- close), 'day' (1 day before) and 'closed' (the stage was withdrawn after the close).
CREATE TABLE review_notices (
    window_id   INTEGER NOT NULL REFERENCES review_windows (id),
    partner_id  INTEGER NOT NULL REFERENCES partners (id),
    path        TEXT    NOT NULL,
    stage       TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('open', 'week', 'day', 'closed')),
    sent_at     BIGINT  NOT NULL,
    PRIMARY KEY (window_id, partner_id, path, stage, kind)
);

-- Unpaid orders are cancelled after a while: found by state and age.
CREATE INDEX orders_unpaid ON orders (state, created_at);
-- Quotas lapse at their end.
CREATE INDEX coupon_quotas_due ON coupon_quotas (status, expires_at);

-- The outbox delivers SMS through an approved template (its key and its parameters, in the
-- order the template names them) and retries failed deliveries with a growing pause.
ALTER TABLE outbox ADD COLUMN template TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN params TEXT NOT NULL DEFAULT '[]';
ALTER TABLE outbox ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;

-- The language a user last chose (at sign-in, or with the language switch while signed in):
-- emails and SMS to the user, or to the organisation it belongs to, are written in it.
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'zh' CHECK (lang IN ('zh', 'en'));

-- A partner's low-balance alert (资金管理 > 余额预警): it is told once when its available balance
-- falls below the threshold, and again only after the balance has risen to it or above.
ALTER TABLE partners ADD COLUMN low_balance_fen BIGINT CHECK (low_balance_fen > 0);
ALTER TABLE partners ADD COLUMN low_balance_told BIGINT NOT NULL DEFAULT 0 CHECK (low_balance_told IN (0, 1));

-- Which channels a user wants besides the message center (always), per category of notice (the
-- message center's groups). No row: email and SMS both on.
CREATE TABLE notification_prefs (
    user_id   INTEGER NOT NULL REFERENCES users (id),
    category  TEXT    NOT NULL,
    email     BIGINT  NOT NULL CHECK (email IN (0, 1)),
    sms       BIGINT  NOT NULL CHECK (sms IN (0, 1)),
    PRIMARY KEY (user_id, category)
);

-- When the holder of a usable coupon was told it is about to expire (3 days before), so it is
-- told once.
ALTER TABLE coupons ADD COLUMN expiry_noticed_at BIGINT;
