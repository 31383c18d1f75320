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
WITH params AS (
    SELECT $year::INTEGER AS year,
           greatest(least($as_of::DATE, make_date($year::INTEGER, 12, 31)),
                    make_date($year::INTEGER, 1, 1)) AS as_of
),
elapsed AS (
    SELECT year, as_of, month(as_of) AS as_of_month,
           dayofyear(as_of) / dayofyear(make_date(year, 12, 31)) AS even_share,
           day(as_of) / day(last_day(as_of)) AS month_fraction
    FROM params
),
phased AS (
    SELECT p.indicator_key,
           sum(CASE WHEN p.month < e.as_of_month THEN p.share
                    WHEN p.month = e.as_of_month THEN p.share * e.month_fraction
                    ELSE 0 END) / sum(p.share) AS share
    FROM plan_phasing p, elapsed e
    WHERE p.year = e.year
    GROUP BY p.indicator_key
),
actuals AS (
    SELECT m.indicator_key, m.unit_id, sum(m.actual) AS actual
    FROM monthly_actuals m, elapsed e
    WHERE m.year = e.year AND m.month <= e.as_of_month
    GROUP BY ALL
),
unit_targets AS (
    SELECT indicator_key, unit_id, sum(target) AS target
    FROM plan_targets, params
    WHERE plan_targets.year = params.year AND unit_id IS NOT NULL
    GROUP BY ALL
),
county_given AS (
    SELECT indicator_key, sum(target) AS target
    FROM plan_targets, params
    WHERE plan_targets.year = params.year AND unit_id IS NULL
    GROUP BY ALL
),
per_unit AS (
    SELECT coalesce(a.indicator_key, t.indicator_key) AS indicator_key,
           coalesce(a.unit_id, t.unit_id) AS unit_id,
           coalesce(a.actual, 0) AS actual, t.target
    FROM actuals a FULL JOIN unit_targets t USING (indicator_key, unit_id)
    WHERE coalesce(a.actual, 0) <> 0 OR t.target IS NOT NULL
),
county AS (
    SELECT i.key AS indicator_key,
           coalesce((SELECT sum(actual) FROM actuals a WHERE a.indicator_key = i.key), 0) AS actual,
           coalesce((SELECT target FROM county_given c WHERE c.indicator_key = i.key),
                    (SELECT sum(target) FROM unit_targets t WHERE t.indicator_key = i.key)) AS target
    FROM indicators i
    WHERE i.active
),
combined AS (
    SELECT indicator_key, u.name AS township, FALSE AS is_county, u.sort_order AS unit_order,
           actual, target
    FROM per_unit JOIN units u USING (unit_id)
    UNION ALL
    SELECT indicator_key, '全县', TRUE, 1000000, actual, target
    FROM county
    WHERE actual <> 0 OR target IS NOT NULL
),
measured AS (
    SELECT c.*, i.name AS indicator_name, i.unit_label, i.core, i.sort_order AS indicator_order,
           coalesce(p.share, e.even_share) AS time_progress,
           CASE WHEN c.target > 0 THEN c.actual / c.target END AS completion
    FROM combined c
    JOIN indicators i ON i.key = c.indicator_key
    CROSS JOIN elapsed e
    LEFT JOIN phased p ON p.indicator_key = c.indicator_key
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
