-- county_monthly: each indicator's county total per month of one year (all units summed).
-- Parameters: $year (INTEGER).
-- Output: indicator (key), month (1–12), actual (DOUBLE). Only months with data.
SELECT indicator_key AS indicator, month, sum(actual) AS actual
FROM monthly_actuals
WHERE year = $year
GROUP BY ALL
ORDER BY indicator, month
