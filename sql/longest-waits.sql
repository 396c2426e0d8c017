-- The requests that waited longest in the global queue before they were served (or dropped),
-- with their class, time to first token and, for batch work, the deadline left when they ended.
SELECT
  request_id,
  `model`,
  request_class,
  outcome,
  ROUND(queue_wait_ms / 1000.0, 1) AS waited_s,
  ttft_ms,
  preemptions,
  slo_met,
  deadline_slack_ms / 1000 AS deadline_slack_s
FROM request_outcomes
ORDER BY queue_wait_ms DESC, request_id
LIMIT 20;
