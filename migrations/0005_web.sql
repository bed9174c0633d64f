-- The web app's sign-in: one-time links asked for with /web in a chat, and the sessions they start.
-- Only SHA-256 hashes of the secrets are stored, so a copy of the database signs nobody in.

-- A one-time link: single use (used_at set once), valid until expires_at.
CREATE TABLE web_sign_in_tokens (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) WITHOUT ROWID;
CREATE INDEX ix_web_sign_in_tokens_expires ON web_sign_in_tokens (expires_at);

-- A signed-in browser: the cookie holds the secret, this row its hash. Forgetting the user ends it.
CREATE TABLE web_sessions (
    session_hash TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX ix_web_sessions_user ON web_sessions (user_id);
