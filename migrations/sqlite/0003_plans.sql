-- Partner plans (合作伙伴计划): applications reviewed by an operator, and the certificates
-- that record a joined plan (and, later, a development-path certification).

-- One submission to join a plan. A partner has at most one pending application per plan
-- (the partial unique index); a rejected one stays as history and the partner may submit anew.
CREATE TABLE plan_applications (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    partner_id     INTEGER NOT NULL REFERENCES partners (id),
    plan           TEXT    NOT NULL,
    state          TEXT    NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
    contact_name   TEXT    NOT NULL,
    contact_phone  TEXT    NOT NULL,
    statement      TEXT    NOT NULL,
    -- The operator's reason, required when rejected.
    reason         TEXT,
    submitted_at   BIGINT  NOT NULL,
    decided_at     BIGINT,
    decided_by     INTEGER REFERENCES users (id),
    CHECK ((state = 'pending') = (decided_at IS NULL)),
    CHECK (state <> 'rejected' OR reason IS NOT NULL)
);
CREATE UNIQUE INDEX plan_applications_one_pending ON plan_applications (partner_id, plan)
    WHERE state = 'pending';
CREATE INDEX plan_applications_partner ON plan_applications (partner_id, submitted_at);
CREATE INDEX plan_applications_state ON plan_applications (state, submitted_at);

-- A certificate: proof that a partner joined a plan (subject_kind 'plan', subject = plan code)
-- or holds a path certification (subject_kind 'path'). Its number is public and unguessable;
-- /verify/<number> shows it. The partner's name is kept as it was when issued. A joined plan is
-- a certificate that is neither expired nor revoked.
CREATE TABLE certificates (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    number         TEXT    NOT NULL UNIQUE,
    partner_id     INTEGER NOT NULL REFERENCES partners (id),
    partner_name   TEXT    NOT NULL,
    subject_kind   TEXT    NOT NULL CHECK (subject_kind IN ('plan', 'path')),
    subject        TEXT    NOT NULL,
    application_id INTEGER REFERENCES plan_applications (id),
    issued_at      BIGINT  NOT NULL,
    expires_at     BIGINT  NOT NULL CHECK (expires_at > issued_at),
    revoked_at     BIGINT,
    revoke_reason  TEXT,
    CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
);
CREATE INDEX certificates_partner ON certificates (partner_id, subject_kind, subject);
