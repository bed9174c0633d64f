-- Leases: a named job only one worker may do at a time (fitting the learned model), held by one holder
-- until expires_at (Unix ms on the database's clock, so workers' clocks never have to agree). A holder
-- renews before it expires; a dead holder's lease simply runs out and another worker takes it.
CREATE TABLE leases (
    name       TEXT    PRIMARY KEY,
    holder     TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

-- The learned model's factors as the lease holder last published them (one row: a new one replaces it), in
-- the same binary format as the file beside the database; a 'model' change tells the other workers to load it.
CREATE TABLE learned_models (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    published_by TEXT    NOT NULL,
    published_at INTEGER NOT NULL,
    body         BLOB    NOT NULL
);
