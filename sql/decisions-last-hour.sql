-- Decisions of the last hour with their reasons, and what the actuator did with each (applied,
-- rejected by the safety guard and why, or recorded in a dry run). Newest first.
SELECT
  d.event_time AS decided_at,
  d.`model`,
  d.action,
  COALESCE(d.role, d.instance_id) AS applies_to,
  d.previous,
  d.target,
  d.reason,
  a.status AS actuation,
  a.reason AS actuation_reason
FROM decisions AS d
LEFT JOIN actuations AS a ON a.decision_id = d.decision_id
WHERE d.ts_ms > (SELECT MAX(ts_ms) FROM decisions) - 60 * 60 * 1000
ORDER BY d.ts_ms DESC, d.decision_id
LIMIT 100;
