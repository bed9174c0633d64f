-- PostgreSQL twin of ../0009_leases.sql: leases on the database's clock, and the published learned model.
CREATE TABLE leases (
    name       TEXT   PRIMARY KEY,
    holder     TEXT   NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE learned_models (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    published_by TEXT   NOT NULL,
    published_at BIGINT NOT NULL,
    body         BYTEA  NOT NULL
);
