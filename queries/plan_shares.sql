-- plan_shares: the share of the year's target planned for each month, per indicator.
-- Parameters: $year (INTEGER).
-- Output: indicator (key), month (1–12), share (DOUBLE, the 12 months sum to 1), phased (BOOLEAN:
--   true when the plan gives monthly shares, false for even phasing by days in the month).
WITH months AS (
    SELECT i.key AS indicator, m.month,
           day(last_day(make_date($year::INTEGER, m.month, 1)))
             / dayofyear(make_date($year::INTEGER, 12, 31)) AS even_share
    FROM indicators i, (SELECT unnest(range(1, 13)) AS month) m
    WHERE i.active
),
given AS (
    SELECT indicator_key AS indicator, month, share / sum(share) OVER (PARTITION BY indicator_key) AS share
    FROM plan_phasing
    WHERE year = $year
)
SELECT m.indicator, m.month, coalesce(g.share, m.even_share) AS share,
       g.share IS NOT NULL OR EXISTS (SELECT 1 FROM given x WHERE x.indicator = m.indicator) AS phased
FROM months m LEFT JOIN given g USING (indicator, month)
ORDER BY m.indicator, m.month
