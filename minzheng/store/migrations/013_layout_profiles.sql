-- 013: layout profiles: how to read a sheet layout the automatic reader cannot, taught once by
-- an analyst and applied to every later sheet whose header matches (minzheng/store/layout_profiles.py).

CREATE SEQUENCE layout_profile_id_seq START 1;
CREATE TABLE layout_profiles (
    profile_id    INTEGER PRIMARY KEY DEFAULT nextval('layout_profile_id_seq'),
    name          VARCHAR NOT NULL UNIQUE,
    signature     VARCHAR NOT NULL,          -- sha256 of the normalised header cells and positions
    mapping       VARCHAR NOT NULL,          -- JSON: header cells, rows, column meanings, fixed values
    created_by    VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    times_used    INTEGER NOT NULL DEFAULT 0, -- files loaded with it
    last_used     TIMESTAMP
);
CREATE INDEX layout_profiles_signature ON layout_profiles (signature);
