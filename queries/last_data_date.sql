-- last_data_date: the last date with data in a year (the default as-of date), never after today.
-- Parameters: $year (INTEGER).
-- Output: one row, last_date (DATE, NULL when the year has no data).
SELECT CASE WHEN max(last_date) IS NOT NULL THEN least(max(last_date), current_date) END AS last_date
FROM monthly_actuals
WHERE year = $year AND actual <> 0
