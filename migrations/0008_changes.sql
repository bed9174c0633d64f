-- The change feed: one row per committed change that other workers on the same database must mirror in
-- memory (preference cells, a forgotten person, new or updated catalogue tracks, a newly published learned
-- model). Written in the transaction
-- that makes the change; every write holds the one writer lock until it commits, so ids commit in order and
-- a worker that has read up to id N has seen every change up to N. Rows older than an hour are pruned.
CREATE TABLE changes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT    NOT NULL CHECK (kind IN ('preferences', 'forget', 'catalogue', 'model')),
    user_id    INTEGER,
    entries    TEXT    NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL
);
CREATE INDEX ix_changes_created ON changes (created_at);
