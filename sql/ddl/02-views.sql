-- Views to build on, loaded after the tables (01-topics.sql).

-- The tumbling per-instance windows (chiron.local.period, 5 s by default; the topic also holds the
-- 30 s sliding ones), with utilization and SLO misses worked out.
CREATE VIEW IF NOT EXISTS instance_windows AS
SELECT
  instance_id,
  `model`,
  role,
  state,
  window_start_ms,
  window_end_ms,
  signal_time,
  batch_cap,
  running_mean,
  CASE WHEN batch_cap > 0 THEN running_mean / batch_cap ELSE 0 END AS batch_utilization,
  kv_util_mean AS kv_utilization,
  output_tokens,
  itl_slo_ms,
  itl_p99_ms,
  itl_p99_ms > itl_slo_ms AS itl_violated,
  ttft_p99_ms,
  completions_interactive,
  completions_interactive - slo_met_interactive AS interactive_misses,
  completions_batch,
  completions_batch - slo_met_batch AS batch_misses
FROM instance_signals
WHERE window_end_ms - window_start_ms <= 5000;

-- Requests as they ended (finished or dropped): how long they queued, their latencies, whether
-- they met their SLO, and how much of a batch deadline was left.
CREATE VIEW IF NOT EXISTS request_outcomes AS
SELECT
  request_id,
  `model`,
  request_class,
  instance_id,
  instance_role,
  `type` AS outcome,
  arrival_ts_ms,
  ts_ms AS ended_ts_ms,
  event_time AS ended_at,
  queue_wait_ms,
  ttft_ms,
  itl_mean_ms,
  preemptions,
  slo_met,
  drop_reason,
  deadline_ts_ms - ts_ms AS deadline_slack_ms
FROM requests
WHERE `type` IN ('FINISHED', 'DROPPED');
