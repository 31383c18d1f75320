-- unit_batches: the files a unit sent for one year, newest first.
-- Parameters: $township (VARCHAR, unit name), $year (INTEGER).
-- Output: batch_id, file_name, months (list of 'YYYY-MM'), rows (rows of this unit), received_at,
--   loaded_at, loaded_by, status (active | rolled_back), is_demo.
SELECT b.batch_id, b.file_name, c.months, c.rows, b.received_at, b.loaded_at, b.loaded_by, b.status, b.is_demo
FROM (  -- the unit's coverage first, then one join for the batch details
    SELECT batch_id, list_sort(list_distinct(list(printf('%04d-%02d', year, month)))) AS months,
           sum(row_count)::INTEGER AS rows
    FROM batch_coverage
    WHERE year = $year AND unit_id = (SELECT unit_id FROM units WHERE name = $township)
    GROUP BY batch_id
) c
JOIN batches b USING (batch_id)
ORDER BY b.batch_id DESC
