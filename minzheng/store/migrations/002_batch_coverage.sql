-- 002: which (unit, year, month) each batch reports, for the reporting-completeness grid.

CREATE TABLE batch_coverage (
    batch_id  INTEGER NOT NULL,
    unit_id   INTEGER NOT NULL,
    year      SMALLINT NOT NULL,
    month     TINYINT NOT NULL,
    row_count INTEGER NOT NULL,
    PRIMARY KEY (batch_id, unit_id, year, month)
);

INSERT INTO batch_coverage
SELECT batch_id, unit_id, year, month, count(*) FROM facts GROUP BY ALL;
