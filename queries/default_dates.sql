-- default_dates: the years that have data or a plan, newest first, with each year's last date with
-- data (the default as-of date; the sidebar needs both, so one statement gives both).
-- Parameters: none.
-- Output: year (SMALLINT), last_date (DATE: as last_data_date gives it, never after today; NULL
--   when the year has no non-zero actual).
SELECT year,
       CASE WHEN max(last_date) IS NOT NULL THEN least(max(last_date), current_date) END AS last_date
FROM (
    SELECT year, CASE WHEN actual <> 0 THEN last_date END AS last_date FROM monthly_actuals
    UNION ALL
    SELECT year, NULL FROM plan_targets
)
GROUP BY year
ORDER BY year DESC
