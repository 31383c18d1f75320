-- reporting_grid: who has reported which month — townships × months of one year.
-- Parameters: $year (INTEGER), $due_day (INTEGER: a month's report is due on this day of the
--   following month), $today (DATE: what counts as now).
-- Output: township, code, unit_order, month (1–12), first_received (TIMESTAMP, NULL if nothing
--   is loaded), due_date (DATE), status: 已报 (received by the due date), 迟报 (received after
--   it), 未报 (nothing and the due date has passed), 未到期 (nothing yet, not due yet).
WITH cells AS (
    SELECT u.unit_id, u.name AS township, u.code, u.sort_order AS unit_order, m.month,
           make_date($year::INTEGER, m.month, 1) + INTERVAL 1 MONTH
             + to_days($due_day::INTEGER - 1) AS due_date
    FROM units u, (SELECT unnest(range(1, 13)) AS month) m
    WHERE u.active AND u.kind = 'township'
),
received AS (
    SELECT c.unit_id, c.month, min(b.received_at) AS first_received
    FROM batch_coverage c JOIN batches b USING (batch_id)
    WHERE b.status = 'active' AND c.year = $year
    GROUP BY ALL
)
SELECT c.township, c.code, c.unit_order, c.month, r.first_received, c.due_date::DATE AS due_date,
       CASE WHEN r.first_received IS NULL AND c.due_date::DATE < $today::DATE THEN '未报'
            WHEN r.first_received IS NULL THEN '未到期'
            WHEN r.first_received::DATE <= c.due_date::DATE THEN '已报'
            ELSE '迟报' END AS status
FROM cells c LEFT JOIN received r USING (unit_id, month)
ORDER BY c.unit_order, c.month
