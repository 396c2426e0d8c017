#!/usr/bin/env bash
# One-shot setup of the compose stack: create Chiron's topics, then submit the job to the
# JobManager with `flink run` (unless it runs already). Runs in the setup service of compose.yaml.
set -euo pipefail

bootstrap="${CHIRON_BOOTSTRAP_SERVERS:-kafka:9092}"

java -jar /opt/chiron/chiron.jar topics --bootstrap-servers "$bootstrap" --partitions 2

if /opt/flink/bin/flink list -r 2>/dev/null | grep -q ': chiron (RUNNING)'; then
  echo "setup: the chiron job is running already; not submitting it again"
  exit 0
fi

exec /opt/flink/bin/flink run -d /opt/chiron/chiron-jobs.jar \
  --chiron.kafka.bootstrap-servers "$bootstrap" \
  --chiron.parallelism 2 \
  --chiron.checkpoint.interval "10 s" \
  --chiron.actuator.backend.replicas KAFKA \
  --chiron.actuator.backend.batch-size KAFKA
