-- coverage_files: which active batch reported each unit's month of a year (the newest when
-- several did): the file a rule violation points to.
-- Parameters: $year (INTEGER).
-- Output: unit_id, month, batch_id, file_name.
SELECT c.unit_id, c.month, max(c.batch_id) AS batch_id,
       arg_max(b.file_name, c.batch_id) AS file_name
FROM batch_coverage c
JOIN batches b ON b.batch_id = c.batch_id AND b.status = 'active'
WHERE c.year = $year
GROUP BY c.unit_id, c.month
