-- PostgreSQL twin of ../0011_claims.sql: outbox claims per worker, and the lease generation that fences writes.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until BIGINT NOT NULL DEFAULT 0;

ALTER TABLE leases ADD COLUMN generation BIGINT NOT NULL DEFAULT 1;
