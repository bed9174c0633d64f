-- PostgreSQL twin of ../0008_changes.sql: the change feed other workers follow (woken by NOTIFY spotmirror_changes).
CREATE TABLE changes (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       TEXT   NOT NULL CHECK (kind IN ('preferences', 'forget', 'catalogue', 'model')),
    user_id    BIGINT,
    entries    TEXT   NOT NULL DEFAULT '[]',
    origin     TEXT   NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_changes_created ON changes (created_at);
