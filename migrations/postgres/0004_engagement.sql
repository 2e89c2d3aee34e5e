-- Engagement: the message center, partner employees (项目专员) and PCE opportunity sharing.

-- Personal accounts (role 'personal') carry their real-name verification, set by an operator,
-- and the site they were registered on ('cn' China site, 'intl' international site).
ALTER TABLE users ADD COLUMN real_name_verified BIGINT NOT NULL DEFAULT 0 CHECK (real_name_verified IN (0, 1));
ALTER TABLE users ADD COLUMN site TEXT NOT NULL DEFAULT 'cn' CHECK (site IN ('cn', 'intl'));

-- A message to one user (消息中心). Title and body are rendered from `kind` in the reader's
-- language with the JSON `params`; `link` is a local path the message points to.
CREATE TABLE messages (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     BIGINT  NOT NULL REFERENCES users (id),
    kind        TEXT    NOT NULL,
    params      TEXT    NOT NULL DEFAULT '{}',
    link        TEXT,
    created_at  BIGINT  NOT NULL,
    read_at     BIGINT
);
CREATE INDEX messages_user ON messages (user_id, created_at);
CREATE INDEX messages_unread ON messages (user_id) WHERE read_at IS NULL;

-- A partner's invitation of a personal account and, once accepted, the association itself:
-- pending → accepted (active member) → unbound; pending → cancelled (by the partner) or
-- declined (by the person). A person is an active member of at most one partner, and has at
-- most one pending invitation per partner.
CREATE TABLE employee_links (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id  BIGINT  NOT NULL REFERENCES partners (id),
    user_id     BIGINT  NOT NULL REFERENCES users (id),
    state       TEXT    NOT NULL CHECK (state IN ('pending', 'cancelled', 'declined', 'active', 'unbound')),
    invited_at  BIGINT  NOT NULL,
    joined_at   BIGINT,
    ended_at    BIGINT,
    CHECK ((state IN ('active', 'unbound')) = (joined_at IS NOT NULL))
);
CREATE UNIQUE INDEX employee_links_one_active ON employee_links (user_id) WHERE state = 'active';
CREATE UNIQUE INDEX employee_links_one_pending ON employee_links (partner_id, user_id) WHERE state = 'pending';
CREATE INDEX employee_links_partner ON employee_links (partner_id, invited_at);

-- PCE opportunities (机会点). A PO is registered by the partner and shared with Huawei Cloud;
-- an HO is shared by Huawei Cloud (an operator) with the partner, who accepts or rejects it
-- (with a reason) before `respond_by` (3 business days); after that it counts as rejected.
CREATE TABLE opportunities (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id          BIGINT  NOT NULL REFERENCES partners (id),
    direction           TEXT    NOT NULL CHECK (direction IN ('po', 'ho')),
    customer_name       TEXT    NOT NULL,
    product             TEXT    NOT NULL,
    expected_fen        BIGINT  NOT NULL CHECK (expected_fen > 0),
    stage               TEXT    NOT NULL CHECK (stage IN ('discovery', 'qualified', 'proposal', 'negotiation', 'won', 'lost')),
    lost_reason         TEXT,
    customer_consent    BIGINT  NOT NULL CHECK (customer_consent IN (0, 1)),
    -- HOs only: pending → accepted | rejected | expired.
    ho_state            TEXT    CHECK (ho_state IN ('pending', 'accepted', 'rejected', 'expired')),
    reject_reason       TEXT,
    respond_by          BIGINT,
    responded_at        BIGINT,
    created_at          BIGINT  NOT NULL,
    updated_at          BIGINT  NOT NULL,
    CHECK ((direction = 'ho') = (ho_state IS NOT NULL)),
    CHECK ((stage = 'lost') = (lost_reason IS NOT NULL)),
    CHECK (ho_state IS NULL OR ho_state <> 'rejected' OR reject_reason IS NOT NULL)
);
CREATE INDEX opportunities_partner ON opportunities (partner_id, direction, created_at);
