-- PostgreSQL twin of ../0010_spotify_accounts.sql: authorizations in flight (hashed state, protected PKCE
-- verifier, single use) and the protected tokens they end in.
CREATE TABLE authorization_requests (
    state_hash TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider   TEXT   NOT NULL,
    verifier   TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX ix_authorization_requests_expires ON authorization_requests (expires_at);

CREATE TABLE provider_tokens (
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider      TEXT   NOT NULL,
    account       TEXT   NOT NULL,
    access_token  TEXT   NOT NULL,
    refresh_token TEXT,
    expires_at    BIGINT NOT NULL,
    scope         TEXT,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (user_id, provider)
);
