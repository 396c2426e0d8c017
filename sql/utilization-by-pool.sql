-- Utilization by pool and role over time, a row a minute: instances, mean batch occupancy
-- (running requests / batch-size cap), KV-cache use, and output tokens per second.
SELECT
  window_start AS `minute`,
  `model`,
  role,
  COUNT(DISTINCT instance_id) AS instances,
  ROUND(AVG(batch_utilization), 3) AS batch_utilization,
  ROUND(AVG(kv_utilization), 3) AS kv_utilization,
  ROUND(SUM(output_tokens) / 60.0, 1) AS output_tokens_per_s
FROM TABLE(TUMBLE(TABLE instance_windows, DESCRIPTOR(signal_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, `model`, role
ORDER BY `minute`, `model`, role;
