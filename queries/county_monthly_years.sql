-- county_monthly_years: each indicator's county total per month (all units summed) for a run of
-- years, e.g. this year and last in one statement.
-- Parameters: $first (INTEGER), $last (INTEGER): the years, inclusive.
-- Output: year, indicator (key), month (1–12), actual (DOUBLE). Only months with data.
SELECT year, indicator_key AS indicator, month, sum(actual) AS actual
FROM monthly_actuals
WHERE year BETWEEN $first AND $last
GROUP BY ALL
ORDER BY year, indicator, month
