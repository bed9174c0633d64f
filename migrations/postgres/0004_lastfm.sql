-- PostgreSQL twin of ../0004_lastfm.sql.
CREATE TABLE track_provider_ids (
    provider    TEXT   NOT NULL,
    provider_id TEXT   NOT NULL,
    track_id    BIGINT NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    PRIMARY KEY (provider, provider_id)
);
CREATE INDEX ix_track_provider_ids_track ON track_provider_ids (track_id);
INSERT INTO track_provider_ids (provider, provider_id, track_id)
SELECT provider, provider_id, id FROM tracks WHERE provider IS NOT NULL AND provider_id IS NOT NULL;

CREATE TABLE provider_cache (
    key        TEXT   PRIMARY KEY,
    body       TEXT   NOT NULL,
    fetched_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX ix_provider_cache_expires ON provider_cache (expires_at);

CREATE TABLE sync_runs (
    run_key    TEXT   PRIMARY KEY,
    provider   TEXT   NOT NULL,
    started_at BIGINT NOT NULL,
    planned_at BIGINT
);

CREATE TABLE sync_items (
    run_key     TEXT   NOT NULL REFERENCES sync_runs (run_key) ON DELETE CASCADE,
    position    BIGINT NOT NULL,
    artist      TEXT   NOT NULL,
    title       TEXT   NOT NULL,
    provider_id TEXT,
    tags        TEXT   NOT NULL,
    outcome     TEXT,
    done_at     BIGINT,
    PRIMARY KEY (run_key, position)
);

CREATE TABLE linked_accounts (
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    service   TEXT   NOT NULL,
    account   TEXT   NOT NULL,
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, service)
);

CREATE TABLE imported_preferences (
    user_id     BIGINT           NOT NULL,
    service     TEXT             NOT NULL,
    track_id    BIGINT           NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    score       DOUBLE PRECISION NOT NULL,
    imported_at BIGINT           NOT NULL,
    PRIMARY KEY (user_id, service, track_id),
    FOREIGN KEY (user_id, service) REFERENCES linked_accounts (user_id, service) ON DELETE CASCADE
);
CREATE INDEX ix_imported_preferences_user_track ON imported_preferences (user_id, track_id);
