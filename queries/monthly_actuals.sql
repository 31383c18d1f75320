-- monthly_actuals: actual per indicator, reporting unit and month of one year.
-- Parameters: $year (INTEGER).
-- Output: indicator (catalog key), indicator_name, unit_label, township (unit name), month (1–12),
--         actual (DOUBLE, never zero), rows (source rows counted). Ordered as the catalog and the
--         unit list are. Reads only the monthly aggregate.
SELECT i.key AS indicator, i.name AS indicator_name, i.unit_label, u.name AS township,
       m.month, m.actual, m.row_count AS rows
FROM monthly_actuals m
JOIN indicators i ON i.key = m.indicator_key
JOIN units u ON u.unit_id = m.unit_id
WHERE m.year = $year AND m.actual <> 0
ORDER BY i.sort_order, u.sort_order, m.month
