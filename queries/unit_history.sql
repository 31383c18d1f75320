-- unit_history: what is loaded for each unit and month of one year, for reports that give only
--   cumulative figures (the month's own figure is the cumulative minus the months before it).
-- Parameters: $year (INTEGER).
-- Output: unit_id, month (each month the unit has an active batch for), indicator_key and actual
--   (NULL when the month is reported but has no actual of any indicator).
WITH covered AS (
    SELECT DISTINCT c.unit_id, c.month
    FROM batch_coverage c JOIN batches b USING (batch_id)
    WHERE b.status = 'active' AND c.year = $year
)
SELECT c.unit_id, c.month, a.indicator_key, a.actual
FROM covered c
LEFT JOIN monthly_actuals a ON a.year = $year AND a.unit_id = c.unit_id AND a.month = c.month
ORDER BY c.unit_id, c.month, a.indicator_key
