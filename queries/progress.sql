-- progress: each indicator's actual to date against the year plan, per unit and for the county.
-- Parameters: $year (INTEGER), $as_of (DATE, inside the year), $ahead_margin and $behind_margin
--   (DOUBLE, fractions: 超前 when completion - time progress >= $ahead_margin, 滞后 when
--   <= -$behind_margin).
-- Output: indicator (key), indicator_name, unit_label, core, township (unit name, '全县' for the
--   county), is_county, actual (to the end of the as-of month), target (NULL without a plan),
--   completion (actual / target), time_progress (序时进度: the plan's expected share by the as-of
--   date; even over the year unless plan_phasing gives monthly shares), gap (completion -
--   time_progress), status (超前 / 正常 / 滞后 / 无计划), projected (year-end value at the
--   current pace). One row per indicator and unit with a target or an actual, then county rows.
-- Shape kept small on purpose: planning, not execution, is most of its cost (a few thousand
-- aggregate rows), and every extra CTE, join or correlated subquery adds to it.
WITH e AS (  -- the as-of date clamped into the year, and what it means as time progress
    SELECT month(d) AS as_of_month,
           dayofyear(d) / dayofyear(make_date($year::INTEGER, 12, 31)) AS even_share,
           day(d) / day(last_day(d)) AS month_fraction
    FROM (SELECT greatest(least($as_of::DATE, make_date($year::INTEGER, 12, 31)),
                          make_date($year::INTEGER, 1, 1)) AS d)
),
given AS (  -- per indicator and unit: actual to date and target (unit_id NULL: a county target)
    SELECT indicator_key, unit_id, sum(actual) AS actual, sum(target) AS target
    FROM (
        SELECT indicator_key, unit_id, actual, NULL::DOUBLE AS target
        FROM monthly_actuals, e
        WHERE year = $year AND month <= e.as_of_month
        UNION ALL
        SELECT indicator_key, unit_id, NULL, target
        FROM plan_targets
        WHERE year = $year
    )
    GROUP BY ALL
),
combined AS (  -- unit rows with a target or an actual, then a county row per indicator
    SELECT indicator_key, u.name AS township, FALSE AS is_county, u.sort_order AS unit_order,
           coalesce(g.actual, 0) AS actual, g.target
    FROM given g JOIN units u USING (unit_id)
    WHERE coalesce(g.actual, 0) <> 0 OR g.target IS NOT NULL
    UNION ALL  -- county: the plan's own total when it gives one, else the sum of the units
    SELECT indicator_key, '全县', TRUE, 1000000, coalesce(sum(actual), 0),
           coalesce(sum(target) FILTER (WHERE unit_id IS NULL),
                    sum(target) FILTER (WHERE unit_id IS NOT NULL))
    FROM given
    GROUP BY indicator_key
),
phased AS (  -- the planned share by the as-of date, for indicators the plan phases by month
    SELECT p.indicator_key,
           sum(CASE WHEN p.month < e.as_of_month THEN p.share
                    WHEN p.month = e.as_of_month THEN p.share * e.month_fraction
                    ELSE 0 END) / sum(p.share) AS share
    FROM plan_phasing p, e
    WHERE p.year = $year
    GROUP BY p.indicator_key
),
measured AS (
    SELECT c.*, i.name AS indicator_name, i.unit_label, i.core, i.sort_order AS indicator_order,
           coalesce(p.share, e.even_share) AS time_progress,
           CASE WHEN c.target > 0 THEN c.actual / c.target END AS completion
    FROM combined c
    JOIN indicators i ON i.key = c.indicator_key
    CROSS JOIN e
    LEFT JOIN phased p ON p.indicator_key = c.indicator_key
    -- county rows only for active indicators, and only with an actual or a target
    WHERE NOT c.is_county OR (i.active AND (c.actual <> 0 OR c.target IS NOT NULL))
)
SELECT indicator_key AS indicator, indicator_name, unit_label, core, township, is_county,
       actual, target, completion, time_progress,
       completion - time_progress AS gap,
       CASE WHEN completion IS NULL THEN '无计划'
            WHEN completion - time_progress >= $ahead_margin THEN '超前'
            WHEN completion - time_progress <= -$behind_margin THEN '滞后'
            ELSE '正常' END AS status,
       CASE WHEN time_progress > 0 THEN actual / time_progress END AS projected
FROM measured
ORDER BY is_county, indicator_order, unit_order
