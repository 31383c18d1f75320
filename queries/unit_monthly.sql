-- unit_monthly: actual per indicator and month of one reporting unit in one year.
-- Parameters: $year (INTEGER), $township (VARCHAR, unit name).
-- Output: as monthly_actuals (indicator, indicator_name, unit_label, township, month, actual,
--         rows), for that unit only, in catalog order then by month. Reads only the monthly
--         aggregate, and only the unit's rows (a province has ~1,400 units).
SELECT i.key AS indicator, i.name AS indicator_name, i.unit_label, u.name AS township,
       m.month, m.actual, m.row_count AS rows
FROM monthly_actuals m
JOIN indicators i ON i.key = m.indicator_key
JOIN units u ON u.unit_id = m.unit_id
WHERE m.year = $year AND m.actual <> 0 AND u.name = $township
ORDER BY i.sort_order, m.month
