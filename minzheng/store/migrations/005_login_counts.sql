-- 005: failed logins under names that are no account, counted per hour instead of one audit row
-- each (anyone can type any name: one row per attempt would let a stranger grow the log).

CREATE TABLE login_failures_unknown (
    hour      TIMESTAMP PRIMARY KEY,  -- the start of the hour
    failures  INTEGER NOT NULL
);
