-- Chiron's topics as Flink SQL tables. Paste into a Flink SQL client with the Kafka connector
-- (flink-sql-connector-kafka) and sql/target/chiron-sql-*-format.jar in its lib/ (docker/ has
-- one), or let `./chiron sql` load them.
--
-- The 'chiron-avro' format reads each record with the schema it was written with (schemas/),
-- named by 'chiron-avro.record'; columns are matched to its fields by name and type-checked when a
-- query is planned. Enums read as their symbols (STRING). A table may declare fewer columns.
-- Times are epoch milliseconds (*_ms), with TIMESTAMP_LTZ columns computed from them (event_time;
-- signal_time, the end of a signal's window; actuated_at, wall clock); watermarks
-- allow the job's 2 s of disorder on telemetry and none on what the job writes.
--
-- Set 'properties.bootstrap.servers' to your brokers (`./chiron sql` does it from
-- --bootstrap-servers). The job writes its topics in transactions: read committed.

-- chiron.requests: request lifecycle events (ARRIVED, STARTED, PREEMPTED, FINISHED, DROPPED), key = instance id.
CREATE TABLE IF NOT EXISTS requests (
  `type` STRING NOT NULL,
  request_id STRING NOT NULL,
  `model` STRING NOT NULL,
  request_class STRING NOT NULL,
  instance_id STRING,
  instance_role STRING,
  ts_ms BIGINT NOT NULL,
  arrival_ts_ms BIGINT NOT NULL,
  deadline_ts_ms BIGINT,
  slo_ttft_ms INT NOT NULL,
  slo_itl_ms INT NOT NULL,
  prompt_tokens INT NOT NULL,
  output_tokens INT NOT NULL,
  queue_wait_ms BIGINT NOT NULL,
  ttft_ms BIGINT,
  itl_mean_ms DOUBLE,
  preemptions INT NOT NULL,
  slo_met BOOLEAN,
  drop_reason STRING,
  event_time AS TO_TIMESTAMP_LTZ(ts_ms, 3),
  WATERMARK FOR event_time AS event_time - INTERVAL '2' SECOND
) WITH (
  'connector'                       = 'kafka',
  'topic'                           = 'chiron.requests',
  'properties.bootstrap.servers'    = 'localhost:9092',
  'properties.group.id'             = 'chiron-sql',
  'properties.isolation.level'      = 'read_committed',
  'scan.startup.mode'               = 'earliest-offset',
  'format'                          = 'chiron-avro',
  'chiron-avro.record'              = 'RequestEvent',
  'chiron-avro.ignore-parse-errors' = 'true'
);

-- chiron.heartbeats: instance state every second.
CREATE TABLE IF NOT EXISTS heartbeats (
  instance_id STRING NOT NULL,
  `model` STRING NOT NULL,
  role STRING NOT NULL,
  state STRING NOT NULL,
  ts_ms BIGINT NOT NULL,
  interval_ms BIGINT NOT NULL,
  batch_cap INT NOT NULL,
  `running` INT NOT NULL,
  running_interactive INT NOT NULL,
  running_batch INT NOT NULL,
  swapped INT NOT NULL,
  kv_used_tokens BIGINT NOT NULL,
  kv_capacity_tokens BIGINT NOT NULL,
  decode_steps INT NOT NULL,
  itl_mean_ms DOUBLE NOT NULL,
  itl_max_ms DOUBLE NOT NULL,
  itl_slo_ms INT NOT NULL,
  output_tokens BIGINT NOT NULL,
  prefill_tokens BIGINT NOT NULL,
  started_ts_ms BIGINT NOT NULL,
  event_time AS TO_TIMESTAMP_LTZ(ts_ms, 3),
  WATERMARK FOR event_time AS event_time - INTERVAL '2' SECOND
) WITH (
  'connector'                       = 'kafka',
  'topic'                           = 'chiron.heartbeats',
  'properties.bootstrap.servers'    = 'localhost:9092',
  'properties.group.id'             = 'chiron-sql',
  'properties.isolation.level'      = 'read_committed',
  'scan.startup.mode'               = 'earliest-offset',
  'format'                          = 'chiron-avro',
  'chiron-avro.record'              = 'InstanceHeartbeat',
  'chiron-avro.ignore-parse-errors' = 'true'
);

-- chiron.instance-signals: per-instance windows: 5 s tumbling and 30 s sliding (the bounds tell them apart).
CREATE TABLE IF NOT EXISTS instance_signals (
  instance_id STRING NOT NULL,
  `model` STRING NOT NULL,
  role STRING NOT NULL,
  state STRING NOT NULL,
  window_start_ms BIGINT NOT NULL,
  window_end_ms BIGINT NOT NULL,
  heartbeats INT NOT NULL,
  batch_cap INT NOT NULL,
  running_mean DOUBLE NOT NULL,
  running_max INT NOT NULL,
  running_interactive INT NOT NULL,
  running_batch INT NOT NULL,
  kv_util_mean DOUBLE NOT NULL,
  itl_slo_ms INT NOT NULL,
  itl_p50_ms DOUBLE NOT NULL,
  itl_p95_ms DOUBLE NOT NULL,
  itl_p99_ms DOUBLE NOT NULL,
  decode_steps BIGINT NOT NULL,
  output_tokens BIGINT NOT NULL,
  output_tokens_per_s DOUBLE NOT NULL,
  prefill_tokens BIGINT NOT NULL,
  started INT NOT NULL,
  completions INT NOT NULL,
  completions_interactive INT NOT NULL,
  slo_met_interactive INT NOT NULL,
  completions_batch INT NOT NULL,
  slo_met_batch INT NOT NULL,
  queue_wait_p95_ms DOUBLE NOT NULL,
  ttft_p50_ms DOUBLE NOT NULL,
  ttft_p95_ms DOUBLE NOT NULL,
  ttft_p99_ms DOUBLE NOT NULL,
  signal_time AS TO_TIMESTAMP_LTZ(window_end_ms, 3),
  WATERMARK FOR signal_time AS signal_time - INTERVAL '0' SECOND
) WITH (
  'connector'                    = 'kafka',
  'topic'                        = 'chiron.instance-signals',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id'          = 'chiron-sql',
  'properties.isolation.level'   = 'read_committed',
  'scan.startup.mode'            = 'earliest-offset',
  'format'                       = 'chiron-avro',
  'chiron-avro.record'           = 'InstanceSignal'
);

-- chiron.pool-signals: per-pool windows, with the queue per request group.
CREATE TABLE IF NOT EXISTS pool_signals (
  `model` STRING NOT NULL,
  window_start_ms BIGINT NOT NULL,
  window_end_ms BIGINT NOT NULL,
  instances_interactive INT NOT NULL,
  instances_mixed INT NOT NULL,
  instances_batch INT NOT NULL,
  provisioning_interactive INT NOT NULL,
  provisioning_mixed INT NOT NULL,
  provisioning_batch INT NOT NULL,
  draining INT NOT NULL,
  stale_instances INT NOT NULL,
  batch_cap_interactive BIGINT NOT NULL,
  batch_cap_mixed BIGINT NOT NULL,
  batch_cap_batch BIGINT NOT NULL,
  running_interactive BIGINT NOT NULL,
  running_batch BIGINT NOT NULL,
  output_tokens_per_s DOUBLE NOT NULL,
  decode_tokens_per_s_per_instance DOUBLE NOT NULL,
  batch_cap_mean DOUBLE NOT NULL,
  arrivals_interactive BIGINT NOT NULL,
  arrivals_batch BIGINT NOT NULL,
  queue_interactive BIGINT NOT NULL,
  queue_batch BIGINT NOT NULL,
  queue_groups ARRAY<ROW<request_class STRING NOT NULL, slo_bucket_ms BIGINT NOT NULL, earliest_deadline_ts_ms BIGINT NOT NULL, requests BIGINT NOT NULL, prompt_tokens BIGINT NOT NULL> NOT NULL> NOT NULL,
  output_tokens_mean DOUBLE NOT NULL,
  output_tokens_std DOUBLE NOT NULL,
  prompt_tokens_mean DOUBLE NOT NULL,
  itl_p95_ms DOUBLE NOT NULL,
  ttft_p95_ms DOUBLE NOT NULL,
  completions_interactive BIGINT NOT NULL,
  slo_met_interactive BIGINT NOT NULL,
  completions_batch BIGINT NOT NULL,
  slo_met_batch BIGINT NOT NULL,
  arrival_prompt_tokens_interactive BIGINT NOT NULL,
  signal_time AS TO_TIMESTAMP_LTZ(window_end_ms, 3),
  WATERMARK FOR signal_time AS signal_time - INTERVAL '0' SECOND
) WITH (
  'connector'                    = 'kafka',
  'topic'                        = 'chiron.pool-signals',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id'          = 'chiron-sql',
  'properties.isolation.level'   = 'read_committed',
  'scan.startup.mode'            = 'earliest-offset',
  'format'                       = 'chiron-avro',
  'chiron-avro.record'           = 'PoolSignal'
);

-- chiron.decisions: policy decisions with their reasons and inputs.
CREATE TABLE IF NOT EXISTS decisions (
  decision_id STRING NOT NULL,
  ts_ms BIGINT NOT NULL,
  policy STRING NOT NULL,
  `model` STRING NOT NULL,
  action STRING NOT NULL,
  instance_id STRING,
  role STRING,
  target INT NOT NULL,
  previous INT NOT NULL,
  reason STRING NOT NULL,
  inputs MAP<STRING NOT NULL, DOUBLE NOT NULL> NOT NULL,
  event_time AS TO_TIMESTAMP_LTZ(ts_ms, 3),
  WATERMARK FOR event_time AS event_time - INTERVAL '0' SECOND
) WITH (
  'connector'                    = 'kafka',
  'topic'                        = 'chiron.decisions',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id'          = 'chiron-sql',
  'properties.isolation.level'   = 'read_committed',
  'scan.startup.mode'            = 'earliest-offset',
  'format'                       = 'chiron-avro',
  'chiron-avro.record'           = 'ScalingDecision'
);

-- chiron.commands: commands to the fleet.
CREATE TABLE IF NOT EXISTS commands (
  command_id STRING NOT NULL,
  decision_id STRING NOT NULL,
  ts_ms BIGINT NOT NULL,
  `model` STRING NOT NULL,
  `type` STRING NOT NULL,
  instance_id STRING,
  role STRING,
  `value` INT NOT NULL,
  event_time AS TO_TIMESTAMP_LTZ(ts_ms, 3),
  WATERMARK FOR event_time AS event_time - INTERVAL '0' SECOND
) WITH (
  'connector'                    = 'kafka',
  'topic'                        = 'chiron.commands',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id'          = 'chiron-sql',
  'properties.isolation.level'   = 'read_committed',
  'scan.startup.mode'            = 'earliest-offset',
  'format'                       = 'chiron-avro',
  'chiron-avro.record'           = 'FleetCommand'
);

-- chiron.actuations: what the actuator did with each decision.
CREATE TABLE IF NOT EXISTS actuations (
  decision_id STRING NOT NULL,
  command_id STRING,
  ts_ms BIGINT NOT NULL,
  actuated_at_ms BIGINT NOT NULL,
  `model` STRING NOT NULL,
  backend STRING NOT NULL,
  status STRING NOT NULL,
  reason STRING NOT NULL,
  event_time AS TO_TIMESTAMP_LTZ(ts_ms, 3),
  actuated_at AS TO_TIMESTAMP_LTZ(actuated_at_ms, 3),
  WATERMARK FOR event_time AS event_time - INTERVAL '0' SECOND
) WITH (
  'connector'                    = 'kafka',
  'topic'                        = 'chiron.actuations',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id'          = 'chiron-sql',
  'properties.isolation.level'   = 'read_committed',
  'scan.startup.mode'            = 'earliest-offset',
  'format'                       = 'chiron-avro',
  'chiron-avro.record'           = 'ActuationResult'
);

-- chiron.dead-letters: records the pipeline could not use, with the reason.
CREATE TABLE IF NOT EXISTS dead_letters (
  source_topic STRING NOT NULL,
  `partition` INT NOT NULL,
  `offset` BIGINT NOT NULL,
  ts_ms BIGINT NOT NULL,
  `key` BYTES,
  `value` BYTES,
  reason STRING NOT NULL,
  error STRING,
  event_time AS TO_TIMESTAMP_LTZ(ts_ms, 3),
  WATERMARK FOR event_time AS event_time - INTERVAL '0' SECOND
) WITH (
  'connector'                    = 'kafka',
  'topic'                        = 'chiron.dead-letters',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id'          = 'chiron-sql',
  'properties.isolation.level'   = 'read_committed',
  'scan.startup.mode'            = 'earliest-offset',
  'format'                       = 'chiron-avro',
  'chiron-avro.record'           = 'DeadLetter'
);
