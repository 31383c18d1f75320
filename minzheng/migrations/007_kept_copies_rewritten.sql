-- 007: every kept copy is rewritten as values with names and addresses in free text masked
-- (minzheng/redact.py rewrite_kept, run by db.migrate right after this file). Copies kept before
-- were the original bytes when no personal column was found, formulas and free text included.
-- Places and notes of facts get the same masking (redact.rescrub_notes).
-- batch_files.redacted now means: personal data was masked or removed (false: a values-only copy).
COMMENT ON COLUMN batch_files.redacted IS 'true: personal data masked or removed; false: values-only copy, none found';
