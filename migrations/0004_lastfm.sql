-- Metadata providers (Last.fm first): every provider id a track is known by, cached provider answers,
-- resumable catalogue syncs, and accounts linked with /link together with the preferences they imported.

-- A track can be known to several providers; (provider, provider_id) names exactly one track.
CREATE TABLE track_provider_ids (
    provider    TEXT    NOT NULL,
    provider_id TEXT    NOT NULL,
    track_id    INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    PRIMARY KEY (provider, provider_id)
) WITHOUT ROWID;
CREATE INDEX ix_track_provider_ids_track ON track_provider_ids (track_id);
INSERT INTO track_provider_ids (provider, provider_id, track_id)
SELECT provider, provider_id, id FROM tracks WHERE provider IS NOT NULL AND provider_id IS NOT NULL;

-- Provider answers by request (the method and its parameters, never the API key), used until expires_at.
-- Only public catalogue answers are kept: a person's own lists are never cached, so /forget leaves none.
CREATE TABLE provider_cache (
    key        TEXT    PRIMARY KEY,
    body       TEXT    NOT NULL,
    fetched_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX ix_provider_cache_expires ON provider_cache (expires_at);

-- An unfinished catalogue sync (the row goes when the sync completes): its plan, the tracks every
-- tag listed in order, and which of them are done, so a second run after an interruption resumes.
CREATE TABLE sync_runs (
    run_key    TEXT    PRIMARY KEY,
    provider   TEXT    NOT NULL,
    started_at INTEGER NOT NULL,
    planned_at INTEGER
);

CREATE TABLE sync_items (
    run_key     TEXT    NOT NULL REFERENCES sync_runs (run_key) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    artist      TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    provider_id TEXT,
    -- The sync tags that listed this track, ';' between them.
    tags        TEXT    NOT NULL,
    -- NULL until done; then added, updated, unchanged, not-found or refused.
    outcome     TEXT,
    done_at     INTEGER,
    PRIMARY KEY (run_key, position)
) WITHOUT ROWID;

-- Accounts linked with /link. Their imported preferences live apart from the preference table, so
-- /unlink leaves that table exactly as it would be without the import; both go with the user (/forget).
CREATE TABLE linked_accounts (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    service   TEXT    NOT NULL,
    account   TEXT    NOT NULL,
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, service)
) WITHOUT ROWID;

-- One imported score per user, service and track, as of imported_at (it decays like any preference).
CREATE TABLE imported_preferences (
    user_id     INTEGER NOT NULL,
    service     TEXT    NOT NULL,
    track_id    INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    score       REAL    NOT NULL,
    imported_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, service, track_id),
    FOREIGN KEY (user_id, service) REFERENCES linked_accounts (user_id, service) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX ix_imported_preferences_user_track ON imported_preferences (user_id, track_id);
