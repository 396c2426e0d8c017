-- The global queue per request group in the newest pool window: how many requests wait, their
-- prompt tokens, and how soon the earliest of them is due. Most urgent first.
SELECT
  p.`model`,
  g.request_class,
  g.slo_bucket_ms / 1000 AS slo_bucket_s,
  g.requests,
  g.prompt_tokens,
  TO_TIMESTAMP_LTZ(g.earliest_deadline_ts_ms, 3) AS earliest_deadline,
  (g.earliest_deadline_ts_ms - p.window_end_ms) / 1000 AS seconds_left
FROM pool_signals AS p
CROSS JOIN UNNEST(p.queue_groups)
  AS g (request_class, slo_bucket_ms, earliest_deadline_ts_ms, requests, prompt_tokens)
WHERE p.window_end_ms = (SELECT MAX(window_end_ms) FROM pool_signals)
ORDER BY seconds_left, g.request_class
LIMIT 50;
