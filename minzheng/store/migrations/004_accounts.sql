-- 004: local accounts (argon2 password hashes) and the failed-login throttle.

CREATE TABLE accounts (
    name                 VARCHAR PRIMARY KEY,
    role                 VARCHAR NOT NULL,   -- viewer | analyst | admin
    password_hash        VARCHAR,            -- argon2id; NULL: single sign-on only
    email                VARCHAR,            -- matched against the single sign-on identity
    created_at           TIMESTAMP NOT NULL,
    password_changed_at  TIMESTAMP
);

-- Keyed by a hash of the typed user name, so names that are not accounts are throttled too
-- without storing what was typed (it may be a password typed into the wrong field).
CREATE TABLE login_throttle (
    name_hash     VARCHAR PRIMARY KEY,
    failures      INTEGER NOT NULL,
    locked_until  TIMESTAMP
);
