-- The outbox: a reply decided while handling an inbound event is stored in the same transaction as
-- that event's effects and the adapter's checkpoint, then sent by the adapter's sender. A process
-- killed after the commit still sends it on restart; a redelivered event finds its reply queued
-- already (UNIQUE platform + event id) and queues nothing twice.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    platform    TEXT    NOT NULL,
    chat_id     TEXT    NOT NULL,
    event_id    TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    not_before  INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    -- NULL while pending; 'sent' or 'abandoned' once settled.
    state       TEXT,
    settled_at  INTEGER,
    message_id  TEXT,
    UNIQUE (platform, event_id)
);
CREATE INDEX ix_outbox_pending ON outbox (platform, id) WHERE state IS NULL;
