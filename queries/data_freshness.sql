-- data_freshness: how current the data is: the last file received and the last date with data.
-- Parameters: none.
-- Output: one row: last_received (TIMESTAMP), last_loaded (TIMESTAMP), last_data_date (DATE),
--   active_batches (INTEGER).
SELECT max(received_at) FILTER (WHERE status = 'active') AS last_received,
       max(loaded_at) AS last_loaded,
       (SELECT max(last_date) FROM monthly_actuals WHERE actual <> 0) AS last_data_date,
       (count(*) FILTER (WHERE status = 'active'))::INTEGER AS active_batches
FROM batches
