-- outlier_history: every unit's monthly actuals of some indicators over a span of months: the
-- history an upload's figures are compared with (minzheng/quality/outliers.py).
-- Parameters: $indicators (VARCHAR[]), $first, $last (INTEGER, year * 12 + month - 1, inclusive).
-- Output: unit_id, indicator_key, ym (year * 12 + month - 1), actual.
SELECT unit_id, indicator_key, year * 12 + month - 1 AS ym, actual
FROM monthly_actuals
WHERE year BETWEEN $first // 12 AND $last // 12
  AND year * 12 + month - 1 BETWEEN $first AND $last
  AND list_contains($indicators, indicator_key)
