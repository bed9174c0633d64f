-- The catalog, users, the preference table with its append-only feedback log, the message ledger
-- and platform checkpoints. Times are Unix milliseconds (UTC) so every engine reads them alike.

CREATE TABLE artists (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE
);

CREATE TABLE tracks (
    id          INTEGER PRIMARY KEY,
    artist_id   INTEGER NOT NULL REFERENCES artists (id),
    title       TEXT    NOT NULL,
    title_key   TEXT    NOT NULL,
    year        INTEGER,
    listeners   INTEGER,
    playcount   INTEGER,
    provider    TEXT,
    provider_id TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (artist_id, title_key)
);
CREATE UNIQUE INDEX ux_tracks_provider ON tracks (provider, provider_id) WHERE provider_id IS NOT NULL;

CREATE TABLE track_tags (
    track_id INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    tag      TEXT    NOT NULL,
    weight   REAL    NOT NULL CHECK (weight >= 0),
    PRIMARY KEY (track_id, tag)
) WITHOUT ROWID;
CREATE INDEX ix_track_tags_tag ON track_tags (tag);

CREATE TABLE users (
    id               INTEGER PRIMARY KEY,
    platform         TEXT    NOT NULL,
    platform_user_id TEXT    NOT NULL,
    display_name     TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    seen_at          INTEGER NOT NULL,
    UNIQUE (platform, platform_user_id)
);

-- The preference table: one learned score per user and track, as of updated_at (decay applies from then).
-- hard_dislikes counts active full-weight dislikes; while above zero the track is hidden from the user.
CREATE TABLE preferences (
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    track_id      INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    score         REAL    NOT NULL,
    hard_dislikes INTEGER NOT NULL DEFAULT 0 CHECK (hard_dislikes >= 0),
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (user_id, track_id)
) WITHOUT ROWID;
CREATE INDEX ix_preferences_track ON preferences (track_id);

-- Every signal as it arrived. event_id is the platform's own id, so a redelivered event is a no-op.
CREATE TABLE feedback_events (
    id         INTEGER PRIMARY KEY,
    event_id   TEXT    NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    platform   TEXT    NOT NULL,
    chat_id    TEXT    NOT NULL,
    message_id TEXT    NOT NULL,
    emoji      TEXT    NOT NULL,
    item_index INTEGER,
    action     TEXT    NOT NULL CHECK (action IN ('add', 'remove')),
    signal     TEXT    NOT NULL,
    outcome    TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX ix_feedback_events_user ON feedback_events (user_id);

-- Reactions that are on right now, with the deltas they applied, so taking one back undoes exactly that.
CREATE TABLE active_reactions (
    platform   TEXT    NOT NULL,
    chat_id    TEXT    NOT NULL,
    message_id TEXT    NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    emoji      TEXT    NOT NULL,
    item_index INTEGER NOT NULL,
    added_at   INTEGER NOT NULL,
    deltas     TEXT    NOT NULL,
    PRIMARY KEY (platform, chat_id, message_id, user_id, emoji, item_index)
) WITHOUT ROWID;
CREATE INDEX ix_active_reactions_user ON active_reactions (user_id);

-- The ledger: which tracks each bot reply showed, so a reaction that comes back later means something.
CREATE TABLE sent_messages (
    platform     TEXT    NOT NULL,
    chat_id      TEXT    NOT NULL,
    message_id   TEXT    NOT NULL,
    requested_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    context      TEXT    NOT NULL,
    sent_at      INTEGER NOT NULL,
    PRIMARY KEY (platform, chat_id, message_id)
) WITHOUT ROWID;

CREATE TABLE sent_message_tracks (
    platform   TEXT    NOT NULL,
    chat_id    TEXT    NOT NULL,
    message_id TEXT    NOT NULL,
    position   INTEGER NOT NULL,
    track_id   INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    PRIMARY KEY (platform, chat_id, message_id, position),
    FOREIGN KEY (platform, chat_id, message_id) REFERENCES sent_messages (platform, chat_id, message_id) ON DELETE CASCADE
) WITHOUT ROWID;

-- The last durable position of each platform connection (Telegram offset; Discord session and sequence).
CREATE TABLE checkpoints (
    connection TEXT    PRIMARY KEY,
    position   TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);
