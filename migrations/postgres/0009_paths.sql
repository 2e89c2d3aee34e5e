-- Development paths (发展路径): memberships, evidence, certification applications and their
-- decisions, certifications, annual review windows, and the distributor path's invitations.
-- Path codes: software, service, learning, si, distributor. Stages: role (角色认证) and
-- differentiation (能力差异化认证).

-- A partner on a path. Joining twice is impossible (the unique key).
CREATE TABLE path_memberships (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id  BIGINT NOT NULL REFERENCES partners (id),
    path        TEXT    NOT NULL CHECK (path IN ('software', 'service', 'learning', 'si', 'distributor')),
    joined_at   BIGINT  NOT NULL,
    UNIQUE (partner_id, path)
);

-- Evidence a partner records for a path's requirements; it counts once an operator approves it.
-- holder_user_id: for employee certificates, the partner's employee (a personal account) holding it.
-- occurred_at: for cases, when the case was delivered (cases count for 12 months).
CREATE TABLE path_evidence (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id      BIGINT NOT NULL REFERENCES partners (id),
    path            TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('employee_cert', 'case', 'offering', 'label', 'solution', 'course')),
    title           TEXT    NOT NULL,
    holder_user_id  BIGINT REFERENCES users (id),
    occurred_at     BIGINT,
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
    reason          TEXT    NOT NULL DEFAULT '',
    created_at      BIGINT  NOT NULL,
    decided_at      BIGINT,
    decided_by      TEXT,
    CHECK ((kind = 'employee_cert') = (holder_user_id IS NOT NULL)),
    CHECK (state <> 'rejected' OR reason <> '')
);
CREATE INDEX path_evidence_partner ON path_evidence (partner_id, path);
CREATE INDEX path_evidence_state ON path_evidence (state, created_at);

-- An application for a stage (kind certification) or its annual review (kind review, with the
-- window's year). At most one pending application per partner, path, stage and kind.
CREATE TABLE path_applications (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id   BIGINT NOT NULL REFERENCES partners (id),
    path         TEXT    NOT NULL,
    stage        TEXT    NOT NULL CHECK (stage IN ('role', 'differentiation')),
    kind         TEXT    NOT NULL CHECK (kind IN ('certification', 'review')),
    review_year  BIGINT,
    state        TEXT    NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
    reason       TEXT    NOT NULL DEFAULT '',
    created_at   BIGINT  NOT NULL,
    decided_at   BIGINT,
    decided_by   TEXT,
    CHECK ((kind = 'review') = (review_year IS NOT NULL)),
    CHECK (state <> 'rejected' OR reason <> '')
);
CREATE UNIQUE INDEX path_applications_one_pending ON path_applications (partner_id, path, stage, kind) WHERE state = 'pending';
CREATE INDEX path_applications_state ON path_applications (state, created_at);

-- A stage a partner holds. A failed annual review revokes it (with the reason).
CREATE TABLE path_certifications (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id      BIGINT NOT NULL REFERENCES partners (id),
    path            TEXT    NOT NULL,
    stage           TEXT    NOT NULL CHECK (stage IN ('role', 'differentiation')),
    state           TEXT    NOT NULL CHECK (state IN ('active', 'revoked')),
    certified_at    BIGINT  NOT NULL,
    valid_until     BIGINT  NOT NULL,
    revoked_reason  TEXT    NOT NULL DEFAULT '',
    revoked_at      BIGINT,
    UNIQUE (partner_id, path, stage)
);

-- An annual review window: from the first instant of its first day to the last instant of its
-- last day (China time), for the listed path:stage pairs (comma-separated, e.g. service:role).
CREATE TABLE review_windows (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year        BIGINT  NOT NULL,
    starts_at   BIGINT  NOT NULL,
    ends_at     BIGINT  NOT NULL,
    covers      TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    created_by  TEXT    NOT NULL,
    CHECK (ends_at > starts_at)
);

-- The operator's invitation to the distributor path, mailed to the partner. Only the SHA-256 of
-- the link's token is kept; a link is single-use and valid for 7 days.
CREATE TABLE path_invitations (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id  BIGINT NOT NULL REFERENCES partners (id),
    email       TEXT    NOT NULL,
    token_hash  TEXT    NOT NULL UNIQUE,
    state       TEXT    NOT NULL CHECK (state IN ('sent', 'used', 'cancelled')),
    expires_at  BIGINT  NOT NULL,
    created_at  BIGINT  NOT NULL,
    used_at     BIGINT
);
