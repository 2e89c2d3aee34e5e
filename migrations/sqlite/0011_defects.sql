-- Defects (#21).

-- Every audit entry names the channel the action came through: the web console ('web'), the
-- open API ('api'), the command line ('cli') or the server's own jobs ('system'). Entries written
-- before this migration did not record it ('unknown').
ALTER TABLE audit_log ADD COLUMN channel TEXT NOT NULL DEFAULT 'unknown'
    CHECK (channel IN ('web', 'api', 'cli', 'system', 'unknown'));
