-- 007: every kept copy is rewritten as values with names and addresses in free text masked, and
-- places and notes of facts get the same masking. Copies kept before were the original bytes
-- when no personal column was found, formulas and free text included. That work needs the
-- reader's Python code, which migrations (plain SQL) do not run: this file records it as pending
-- and minzheng.intake.upgrades does it once, when the command line or the dashboard opens the
-- database. batch_files.redacted now means: personal data was masked or removed (false: a
-- values-only copy).
COMMENT ON COLUMN batch_files.redacted IS 'true: personal data masked or removed; false: values-only copy, none found';
CREATE TABLE IF NOT EXISTS pending_upgrades (name VARCHAR PRIMARY KEY);
INSERT OR IGNORE INTO pending_upgrades VALUES ('kept_copies_as_values'), ('notes_rescrubbed');
