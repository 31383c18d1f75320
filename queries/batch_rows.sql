-- batch_rows: the stored rows of one batch, as loaded (personal data already hashed or masked).
-- Parameters: $batch_id (INTEGER).
-- Output: sheet, source_row, township, indicator_name, category_text, activity_date, year, month,
--   quantity, unit_label, place, note, person_masked, superseded_by.
SELECT f.sheet, f.source_row, u.name AS township, i.name AS indicator_name, f.category_text,
       f.activity_date, f.year, f.month, f.quantity, i.unit_label, f.place, f.note,
       f.person_masked, f.superseded_by
FROM facts f
JOIN units u USING (unit_id)
JOIN indicators i ON i.key = f.indicator_key
WHERE f.batch_id = $batch_id
ORDER BY f.sheet, f.source_row
