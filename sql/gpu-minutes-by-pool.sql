-- GPU-minutes by pool, role and state (an instance holds one GPU): each heartbeat accounts for its
-- interval, so cold starts (PROVISIONING) and drains count, as they do on the bill. A pool's
-- total is the row with role and state empty.
SELECT
  `model`,
  role,
  state,
  ROUND(SUM(interval_ms) / 60000.0, 2) AS gpu_minutes,
  COUNT(DISTINCT instance_id) AS instances
FROM heartbeats
WHERE state <> 'STOPPED'
GROUP BY GROUPING SETS ((`model`, role, state), (`model`))
ORDER BY `model`, role NULLS LAST, state NULLS LAST;
