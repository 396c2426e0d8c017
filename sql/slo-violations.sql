-- SLO-violating instances in the last 5 minutes: a window whose ITL p99 broke the instance's
-- bound, or interactive requests that missed their SLO there. Worst first.
-- The 5 minutes end at the newest window in the topic; on a live stream (./chiron sql
-- --streaming), compare signal_time with CURRENT_TIMESTAMP - INTERVAL '5' MINUTE instead.
SELECT
  instance_id,
  `model`,
  role,
  COUNT(*) AS windows,
  SUM(CASE WHEN itl_violated THEN 1 ELSE 0 END) AS itl_violations,
  ROUND(MAX(itl_p99_ms), 1) AS worst_itl_p99_ms,
  MAX(itl_slo_ms) AS itl_slo_ms,
  SUM(interactive_misses) AS interactive_misses,
  SUM(batch_misses) AS batch_misses
FROM instance_windows
WHERE window_end_ms > (SELECT MAX(window_end_ms) FROM instance_signals) - 5 * 60 * 1000
GROUP BY instance_id, `model`, role
HAVING SUM(CASE WHEN itl_violated THEN 1 ELSE 0 END) > 0 OR SUM(interactive_misses) > 0
ORDER BY interactive_misses DESC, itl_violations DESC, instance_id
LIMIT 50;
