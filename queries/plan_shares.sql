-- plan_shares: the share of the year's target planned for each month, per indicator.
-- Parameters: $year (INTEGER).
-- Output: indicator (key), month (1–12), share (DOUBLE, the 12 months sum to 1), phased (BOOLEAN:
--   true when the plan gives monthly shares, false for even phasing by days in the month).
WITH totals AS (  -- the indicators the plan phases by month, with their shares' sum
    SELECT indicator_key, sum(share) AS total FROM plan_phasing WHERE year = $year GROUP BY ALL
)
SELECT i.key AS indicator, m.month,
       coalesce(p.share / t.total,
                day(last_day(make_date($year::INTEGER, m.month, 1)))
                  / dayofyear(make_date($year::INTEGER, 12, 31))) AS share,
       t.total IS NOT NULL AS phased
FROM indicators i
CROSS JOIN range(1, 13) m(month)
LEFT JOIN totals t ON t.indicator_key = i.key
LEFT JOIN plan_phasing p ON p.year = $year AND p.indicator_key = i.key AND p.month = m.month
WHERE i.active
ORDER BY indicator, m.month
