-- 001: reference data (units, catalog), batches, facts, monthly aggregate, plans, settings.

CREATE SEQUENCE unit_id_seq START 1;
CREATE TABLE units (
    unit_id     INTEGER PRIMARY KEY DEFAULT nextval('unit_id_seq'),
    code        VARCHAR,
    name        VARCHAR NOT NULL UNIQUE,
    kind        VARCHAR NOT NULL,            -- township | bureau
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    sort_order  INTEGER NOT NULL
);

CREATE TABLE unit_aliases (
    alias    VARCHAR PRIMARY KEY,
    unit_id  INTEGER NOT NULL
);

CREATE TABLE indicators (
    key             VARCHAR PRIMARY KEY,
    name            VARCHAR NOT NULL UNIQUE,
    unit_label      VARCHAR NOT NULL,
    accepted_units  VARCHAR[] NOT NULL,
    max_per_row     DOUBLE NOT NULL,
    core            BOOLEAN NOT NULL DEFAULT FALSE,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    sort_order      INTEGER NOT NULL
);

CREATE TABLE indicator_synonyms (
    synonym        VARCHAR PRIMARY KEY,
    indicator_key  VARCHAR NOT NULL
);

CREATE SEQUENCE batch_id_seq START 1;
CREATE TABLE batches (
    batch_id       INTEGER PRIMARY KEY DEFAULT nextval('batch_id_seq'),
    file_name      VARCHAR NOT NULL,
    sha256         VARCHAR NOT NULL,
    content_hash   VARCHAR NOT NULL,         -- hash of the normalised facts, file-name independent
    shape          VARCHAR NOT NULL,         -- ledger | person | summary (comma-joined if mixed)
    units          VARCHAR[] NOT NULL,
    months         VARCHAR[] NOT NULL,       -- 'YYYY-MM'
    indicators     VARCHAR[] NOT NULL,
    row_count      INTEGER NOT NULL,
    warning_count  INTEGER NOT NULL,
    sheets         VARCHAR[] NOT NULL,
    loaded_at      TIMESTAMP NOT NULL,
    received_at    TIMESTAMP NOT NULL,       -- when the bureau received the file (default: loaded_at)
    loaded_by      VARCHAR NOT NULL,
    status         VARCHAR NOT NULL,         -- active | rolled_back
    is_demo        BOOLEAN NOT NULL DEFAULT FALSE,
    replaced       BOOLEAN NOT NULL DEFAULT FALSE,
    status_changed_at TIMESTAMP
);

-- The redacted copy of each loaded file: personal data removed or masked, the rest as sent.
CREATE TABLE batch_files (
    batch_id   INTEGER PRIMARY KEY,
    file_name  VARCHAR NOT NULL,
    redacted   BOOLEAN NOT NULL,             -- false: the original had no personal data
    content    BLOB NOT NULL
);

CREATE TABLE batch_warnings (
    batch_id  INTEGER NOT NULL,
    sheet     VARCHAR,
    cell      VARCHAR,
    value     VARCHAR,
    message   VARCHAR NOT NULL
);

CREATE TABLE facts (
    batch_id       INTEGER NOT NULL,
    unit_id        INTEGER NOT NULL,
    indicator_key  VARCHAR NOT NULL,
    year           SMALLINT NOT NULL,
    month          TINYINT NOT NULL,
    activity_date  DATE,                     -- NULL when the source gives only the month
    quantity       DOUBLE NOT NULL,
    sheet          VARCHAR NOT NULL,
    source_row     INTEGER NOT NULL,         -- 1-based row number in the sheet
    category_text  VARCHAR,                  -- the category as the township wrote it (normalised)
    place          VARCHAR,
    note           VARCHAR,
    person_hash    VARCHAR,                  -- keyed hash of an ID number (or name+village)
    person_masked  VARCHAR,                  -- 王*明
    superseded_by  INTEGER                   -- batch that replaced this row, NULL while live
);

-- Kept up to date on every load, rollback and restore: dashboard queries read only this.
CREATE TABLE monthly_actuals (
    year           SMALLINT NOT NULL,
    month          TINYINT NOT NULL,
    unit_id        INTEGER NOT NULL,
    indicator_key  VARCHAR NOT NULL,
    actual         DOUBLE NOT NULL,
    row_count      INTEGER NOT NULL,
    last_date      DATE NOT NULL,
    PRIMARY KEY (year, month, unit_id, indicator_key)
);

CREATE TABLE plan_targets (
    year           SMALLINT NOT NULL,
    unit_id        INTEGER,                  -- NULL: a county total given by the plan itself
    indicator_key  VARCHAR NOT NULL,
    target         DOUBLE NOT NULL,
    loaded_at      TIMESTAMP NOT NULL,
    source         VARCHAR NOT NULL,
    is_demo        BOOLEAN NOT NULL DEFAULT FALSE
);

-- Monthly shares of the year's target (sum to 1); absent means even phasing over the year.
CREATE TABLE plan_phasing (
    year           SMALLINT NOT NULL,
    indicator_key  VARCHAR NOT NULL,
    month          TINYINT NOT NULL,
    share          DOUBLE NOT NULL,
    is_demo        BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (year, indicator_key, month)
);

CREATE TABLE settings (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL                  -- JSON
);

-- Bumped on every write, so that caches keyed on it never serve stale numbers.
CREATE TABLE data_version (
    version  BIGINT NOT NULL
);
INSERT INTO data_version VALUES (0);
