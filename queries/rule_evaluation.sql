-- rule_evaluation: one validation rule for one year: each side's value per unit (or for the
-- county) and period, and whether the rule holds. Sums come from the monthly aggregate;
-- distinct(key) terms count distinct persons (keyed ID hash) among the live rows of that
-- indicator. A period is judged once the county's data reaches its last month, and for a unit
-- only if it reported anything in that period. The rule is data: its terms arrive as lists.
-- Parameters: $year (INTEGER), $period ('month' | 'quarter' | 'ytd'), $county (BOOLEAN),
--   $op ('=' | '<=' | '>=' | '<' | '>'), and one entry per term in $sides ('L' | 'R'),
--   $kinds ('sum' | 'distinct' | 'const'), $keys (indicator key, '' for a constant), $consts.
-- Output: unit_id (NULL for the county), period_no (month, quarter, or the last month of a
--   year-to-date span), end_month, left_value, right_value, holds; newest period first.
WITH terms AS (
    SELECT unnest($sides) AS side, unnest($kinds) AS kind, unnest($keys) AS key,
           unnest($consts)::DOUBLE AS konst
),
months AS (SELECT unnest(range(1, 13)) AS month),
period_map AS (  -- month -> the periods it counts in
    SELECT month, CASE WHEN $period = 'quarter' THEN (month + 2) // 3 ELSE month END AS period_no
    FROM months
    WHERE $period <> 'ytd'
    UNION ALL
    SELECT m.month, p.month AS period_no FROM months m, months p
    WHERE $period = 'ytd' AND p.month >= m.month
),
period_end AS (
    SELECT period_no, CASE WHEN $period = 'quarter' THEN period_no * 3 ELSE period_no END AS end_month
    FROM (SELECT DISTINCT period_no FROM period_map)
),
last_month AS (SELECT coalesce(max(month), 0) AS m FROM monthly_actuals WHERE year = $year),
sums AS (
    SELECT CASE WHEN $county THEN -1 ELSE a.unit_id END AS unit_id, pm.period_no,
           a.indicator_key AS key, sum(a.actual) AS value
    FROM monthly_actuals a JOIN period_map pm ON pm.month = a.month
    WHERE a.year = $year
      AND list_contains((SELECT list(key) FROM terms WHERE kind = 'sum'), a.indicator_key)
    GROUP BY ALL
),
distincts AS (
    SELECT CASE WHEN $county THEN -1 ELSE f.unit_id END AS unit_id, pm.period_no,
           f.indicator_key AS key, count(DISTINCT f.person_hash)::DOUBLE AS value
    FROM facts f
    JOIN batches b ON b.batch_id = f.batch_id AND b.status = 'active'
    JOIN period_map pm ON pm.month = f.month
    WHERE f.year = $year AND f.superseded_by IS NULL AND f.person_hash IS NOT NULL
      AND list_contains((SELECT list(key) FROM terms WHERE kind = 'distinct'), f.indicator_key)
    GROUP BY ALL
),
reported AS (
    SELECT DISTINCT CASE WHEN $county THEN -1 ELSE a.unit_id END AS unit_id, pm.period_no
    FROM monthly_actuals a JOIN period_map pm ON pm.month = a.month
    WHERE a.year = $year
),
sides AS (
    SELECT r.unit_id, r.period_no,
           sum(CASE t.kind WHEN 'const' THEN t.konst WHEN 'sum' THEN coalesce(s.value, 0)
                           ELSE coalesce(d.value, 0) END) FILTER (WHERE t.side = 'L') AS left_value,
           sum(CASE t.kind WHEN 'const' THEN t.konst WHEN 'sum' THEN coalesce(s.value, 0)
                           ELSE coalesce(d.value, 0) END) FILTER (WHERE t.side = 'R') AS right_value
    FROM reported r
    CROSS JOIN terms t
    LEFT JOIN sums s
        ON t.kind = 'sum' AND s.unit_id = r.unit_id AND s.period_no = r.period_no AND s.key = t.key
    LEFT JOIN distincts d
        ON t.kind = 'distinct' AND d.unit_id = r.unit_id AND d.period_no = r.period_no
       AND d.key = t.key
    GROUP BY r.unit_id, r.period_no
)
SELECT CASE WHEN s.unit_id = -1 THEN NULL ELSE s.unit_id END AS unit_id, s.period_no, e.end_month,
       s.left_value, s.right_value,
       CASE $op
           WHEN '=' THEN abs(s.left_value - s.right_value) <= 1e-9
           WHEN '<=' THEN s.left_value <= s.right_value + 1e-9
           WHEN '>=' THEN s.left_value + 1e-9 >= s.right_value
           WHEN '<' THEN s.left_value < s.right_value - 1e-9
           WHEN '>' THEN s.left_value > s.right_value + 1e-9
       END AS holds
FROM sides s
JOIN period_end e USING (period_no)
WHERE e.end_month <= (SELECT m FROM last_month)
ORDER BY s.period_no DESC, s.unit_id
