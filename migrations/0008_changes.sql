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
    origin     TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
-- origin names the process that wrote the row: it applied the change to its own memory at commit, so its
-- follower passes over it (applying it again could briefly set a cell back to an older committed value).
CREATE INDEX ix_changes_created ON changes (created_at);
