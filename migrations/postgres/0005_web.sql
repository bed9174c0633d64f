-- PostgreSQL twin of ../0005_web.sql: hashed one-time sign-in links and the sessions they start.
CREATE TABLE web_sign_in_tokens (
    token_hash TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX ix_web_sign_in_tokens_expires ON web_sign_in_tokens (expires_at);

CREATE TABLE web_sessions (
    session_hash TEXT   PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX ix_web_sessions_user ON web_sessions (user_id);
