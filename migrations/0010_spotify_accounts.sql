-- /link spotify: the authorization-code flow with PKCE through the web app, and the tokens it ends in.
-- Secrets are stored protected (ASP.NET Core Data Protection, keys outside the database), so a copy of the
-- database alone reads no token and completes no authorization.

-- An authorization in flight: the hash of its state (the state itself only travels in the browser), whose it
-- is, and its protected PKCE code verifier. Single use: completing it deletes the row.
CREATE TABLE authorization_requests (
    state_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider   TEXT    NOT NULL,
    verifier   TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX ix_authorization_requests_expires ON authorization_requests (expires_at);

-- A person's tokens at a provider (protected), kept so a later import can refresh instead of asking again.
-- /unlink and forgetting the person delete them.
CREATE TABLE provider_tokens (
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider      TEXT    NOT NULL,
    account       TEXT    NOT NULL,
    access_token  TEXT    NOT NULL,
    refresh_token TEXT,
    expires_at    INTEGER NOT NULL,
    scope         TEXT,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (user_id, provider)
);
