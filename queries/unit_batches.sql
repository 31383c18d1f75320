-- unit_batches: the files a unit sent for one year, newest first.
-- Parameters: $township (VARCHAR, unit name), $year (INTEGER).
-- Output: batch_id, file_name, months (list of 'YYYY-MM'), rows (rows of this unit), received_at,
--   loaded_at, loaded_by, status (active | rolled_back), is_demo.
SELECT b.batch_id, b.file_name,
       list(DISTINCT printf('%04d-%02d', c.year, c.month) ORDER BY printf('%04d-%02d', c.year, c.month)) AS months,
       sum(c.row_count)::INTEGER AS rows, b.received_at, b.loaded_at, b.loaded_by, b.status, b.is_demo
FROM batch_coverage c
JOIN batches b USING (batch_id)
JOIN units u USING (unit_id)
WHERE u.name = $township AND c.year = $year
GROUP BY b.batch_id, b.file_name, b.received_at, b.loaded_at, b.loaded_by, b.status, b.is_demo
ORDER BY b.batch_id DESC
