-- quality_flags: the flags found at upload whose rows are still counted (the batch is active and
-- has not been replaced for that unit, indicator and month), with their follow-up.
-- Parameters: $year (INTEGER, NULL for every year).
-- Output: flag_key, kind, year, month, unit, indicator, value, reference, message, batch_id,
--   file_name, state, note, in_report.
SELECT 'flag:' || q.flag_id AS flag_key, q.kind, q.year, q.month, u.name AS unit,
       q.indicator_key AS indicator, q.value, q.reference, q.message, q.batch_id, b.file_name,
       coalesce(f.state, '待核实') AS state, coalesce(f.note, '') AS note,
       coalesce(f.in_report, FALSE) AS in_report
FROM quality_flags q
JOIN batches b ON b.batch_id = q.batch_id AND b.status = 'active'
JOIN units u ON u.unit_id = q.unit_id
LEFT JOIN quality_followup f ON f.flag_key = 'flag:' || q.flag_id
WHERE ($year IS NULL OR q.year = $year)
  AND EXISTS (
      SELECT 1 FROM facts x
      WHERE x.batch_id = q.batch_id AND x.unit_id = q.unit_id AND x.indicator_key = q.indicator_key
        AND x.year = q.year AND x.month = q.month AND x.superseded_by IS NULL
  )
