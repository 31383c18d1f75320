-- 003: the append-only audit log: every write and every login, logout and refusal.
-- Only minzheng/audit.py inserts here; nothing in the product updates or deletes a row.

CREATE SEQUENCE audit_id_seq START 1;
CREATE TABLE audit_log (
    entry_id      BIGINT PRIMARY KEY DEFAULT nextval('audit_id_seq'),
    logged_at     TIMESTAMP NOT NULL,
    username      VARCHAR NOT NULL,          -- account name, OS user for the command line
    role          VARCHAR,                   -- viewer | analyst | admin at the time, NULL if none
    via           VARCHAR NOT NULL,          -- web | sso | cli | system | single
    action        VARCHAR NOT NULL,          -- see minzheng.audit.ACTIONS
    batch_id      INTEGER,
    target        VARCHAR,                   -- setting key, year, unit, account … in words
    before_value  VARCHAR,                   -- JSON, for settings and plan edits
    after_value   VARCHAR,                   -- JSON
    detail        VARCHAR
);
