-- PostgreSQL twin of migrations/0007_paging.sql.
-- Lists that page with "More": which request each sent list answered, and the chain of pages it belongs
-- to (named by the first page's message id), so the next page leaves out every track the chain showed.
CREATE TABLE list_pages (
    platform   TEXT    NOT NULL,
    chat_id    TEXT    NOT NULL,
    message_id TEXT    NOT NULL,
    request    TEXT    NOT NULL,
    chain      TEXT    NOT NULL,
    page       BIGINT  NOT NULL,
    PRIMARY KEY (platform, chat_id, message_id),
    FOREIGN KEY (platform, chat_id, message_id) REFERENCES sent_messages (platform, chat_id, message_id) ON DELETE CASCADE
);
CREATE INDEX ix_list_pages_chain ON list_pages (platform, chat_id, chain);
