-- 008: data quality: validation rules (data, not code), the flags found at upload (outliers and
-- the same person served twice on one day) and the analysts' follow-up on flags and violations.

CREATE SEQUENCE quality_rule_id_seq START 1;
CREATE TABLE quality_rules (
    rule_id      INTEGER PRIMARY KEY DEFAULT nextval('quality_rule_id_seq'),
    left_expr    VARCHAR NOT NULL,           -- indicator keys, distinct(key) and constants joined by +
    operator     VARCHAR NOT NULL,           -- = <= >= < >
    right_expr   VARCHAR NOT NULL,
    period       VARCHAR NOT NULL,           -- month | quarter | ytd
    scope        VARCHAR NOT NULL,           -- unit | county
    severity     VARCHAR NOT NULL,           -- 提示 | 警告
    explanation  VARCHAR NOT NULL,
    active       BOOLEAN NOT NULL DEFAULT TRUE,  -- removed rules stay, so follow-ups keep their rule
    created_at   TIMESTAMP NOT NULL,
    created_by   VARCHAR NOT NULL
);

-- Seed rules that fit the catalog (an admin edits them on 设置 or with `rules add|remove`).
INSERT INTO quality_rules (left_expr, operator, right_expr, period, scope, severity, explanation,
                           created_at, created_by)
VALUES
    ('patrols_run', '<=', '62', 'month', 'unit', '警告',
     '街面巡查每天至多两次，一个单位一个月不超过 62 次；超过多为数量多录了一位。',
     current_timestamp, '系统'),
    ('leaflets_distributed', '<=', '5000', 'month', 'unit', '提示',
     '一个单位一个月发放宣传资料超过 5,000 份并不常见，请核实是否多录了一位。',
     current_timestamp, '系统'),
    ('publicity_events + lectures_held + trainings_held', '>=', '1', 'quarter', 'county', '提示',
     '全县每季度至少开展一次宣传活动、法治讲座或业务培训。',
     current_timestamp, '系统');

CREATE SEQUENCE quality_flag_id_seq START 1;
CREATE TABLE quality_flags (
    flag_id        INTEGER PRIMARY KEY DEFAULT nextval('quality_flag_id_seq'),
    kind           VARCHAR NOT NULL,         -- outlier | repeat_visit
    batch_id       INTEGER NOT NULL,
    unit_id        INTEGER NOT NULL,
    indicator_key  VARCHAR NOT NULL,
    year           SMALLINT NOT NULL,
    month          TINYINT NOT NULL,
    value          DOUBLE NOT NULL,          -- the month's figure, or visits of one person that day
    reference      DOUBLE,                   -- the unit's median of earlier months (outliers)
    message        VARCHAR NOT NULL,         -- Chinese; never personal data (rows, not names)
    created_at     TIMESTAMP NOT NULL
);

-- One row per flag or rule violation someone followed up; no row means 待核实.
CREATE TABLE quality_followup (
    flag_key    VARCHAR PRIMARY KEY,         -- 'flag:<flag_id>' | 'rule:<rule_id>:<unit_id|county>:<year>:<period>'
    state       VARCHAR NOT NULL,            -- 待核实 | 已核实无误 | 已更正
    note        VARCHAR NOT NULL,
    in_report   BOOLEAN NOT NULL,            -- an analyst chose to mention it in the annual report
    updated_by  VARCHAR NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
