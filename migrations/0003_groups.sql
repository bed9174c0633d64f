-- Group playlists: a lobby people join in a chat, closed by /group go (or a timer on the platforms)
-- into one playlist, with each member's satisfaction kept for the next group in that chat.
CREATE TABLE group_sessions (
    id               INTEGER PRIMARY KEY,
    platform         TEXT    NOT NULL,
    chat_id          TEXT    NOT NULL,
    created_by       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    mood             TEXT,
    size             INTEGER NOT NULL,
    strategy         TEXT    NOT NULL,
    lobby_message_id TEXT,
    state            TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done')),
    created_at       INTEGER NOT NULL,
    closes_at        INTEGER NOT NULL,
    closed_at        INTEGER
);
-- One lobby gathering per chat at a time.
CREATE UNIQUE INDEX ux_group_sessions_open ON group_sessions (platform, chat_id) WHERE state = 'open';
CREATE INDEX ix_group_sessions_lobby ON group_sessions (platform, chat_id, lobby_message_id);

CREATE TABLE group_members (
    session_id   INTEGER NOT NULL REFERENCES group_sessions (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at    INTEGER NOT NULL,
    -- How well the playlist served this member (0..1), set when the session closes.
    satisfaction REAL,
    PRIMARY KEY (session_id, user_id)
) WITHOUT ROWID;
