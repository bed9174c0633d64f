-- Several workers on one database each run a sender over the shared outbox. A reply is claimed by one worker
-- at a time: the worker that queued it holds the claim from the start (so a Discord shard answers its own
-- events, a webhook worker its own updates), renews it at each look, and gives it up when it stops. A claim
-- that ran out (its worker died) is taken over by the next worker that looks. Times are the database's clock,
-- Unix ms, as for leases.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER NOT NULL DEFAULT 0;

-- A lease's fencing token: raised each time the lease is taken anew (not when its holder renews it), so a write
-- that checks (holder, generation) in its own transaction is refused once the lease has passed on, even back to
-- the same holder. Released leases keep their row (and generation) and simply stand expired.
ALTER TABLE leases ADD COLUMN generation INTEGER NOT NULL DEFAULT 1;
