-- Offline invitation links expire (#18): 30 days after they are made, like an email invitation
-- after its 7. The links partners already hold get 30 days from this upgrade. Once expired, the
-- sealed token of an offline link is forgotten (the link cannot be shown again), so `token` may
-- now be absent on an offline invitation.
DO $$
DECLARE c record;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint
             WHERE conrelid = 'customer_invitations'::regclass AND contype = 'c'
               AND (pg_get_constraintdef(oid) LIKE '%expires_at%'
                    OR pg_get_constraintdef(oid) LIKE '%token IS NOT NULL%')
    LOOP
        EXECUTE format('ALTER TABLE customer_invitations DROP CONSTRAINT %I', c.conname);
    END LOOP;
END $$;
UPDATE customer_invitations
    SET expires_at = (EXTRACT(EPOCH FROM now()) * 1000)::BIGINT + 2592000000
    WHERE expires_at IS NULL;
ALTER TABLE customer_invitations ALTER COLUMN expires_at SET NOT NULL;
ALTER TABLE customer_invitations ADD CONSTRAINT customer_invitations_token_offline
    CHECK (channel = 'offline' OR token IS NULL);
CREATE INDEX customer_invitations_expiry ON customer_invitations (channel, expires_at);
