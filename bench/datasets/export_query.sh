#!/usr/bin/env bash
# The exporter's page query in Postgres alone: its aggregates in their jsonb forms (what it
# used before) against the json forms it uses now, on the same generated trajectories, in one
# run. The stack's database must have been migrated by the services once (the README's first
# command does it); its schema is copied into a scratch database that this script refills.
#   bench/datasets/export_query.sh [TRAJECTORIES] [STEPS]
# Half of the model calls carry 150 prompt token ids, 30 completion token ids and logprobs
# (an RL run), half none (an API model); each transition is about 2 KB of JSON.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$SYNTH_ROOT"
trajectories=${1:-2000} steps=${2:-50}
db=${SYNTH_PG_DB}_bench_export
server="postgresql://synth@127.0.0.1:$SYNTH_PG_PORT"
psql "$server/$SYNTH_PG_DB" -tAc "SELECT to_regclass('public.transitions') IS NOT NULL" | grep -q t ||
  die "database $SYNTH_PG_DB has no transitions table yet: run the stack once (scripts/services.sh up)"
PGOPTIONS="-c client_min_messages=warning" psql "$server/postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
pg_dump --schema-only --no-owner "$server/$SYNTH_PG_DB" | psql -q "$server/$db" >/dev/null
log "generating $trajectories trajectories of $steps steps in $db"
psql -q "$server/$db" -v trajectories="$trajectories" -v steps="$steps" <<'SQL'
INSERT INTO tasks (id, category, difficulty, definition)
  SELECT 't' || i, 'category-' || (i % 5), 'easy', '{}' FROM generate_series(1, :trajectories) i;
INSERT INTO trajectories (trajectory_id, task_id, llm_model, scaffold, seed, prompt_messages, final_result, total_steps,
                          total_tokens, total_reward, verification_passed, execution_time_seconds, completed_at, stored_at)
  SELECT 'tr' || i, 't' || i, 'model', 'scaffold', 7,
         jsonb_build_array(jsonb_build_object('role', 'system', 'content', repeat('You are a software engineer. ', 20)),
                           jsonb_build_object('role', 'user', 'content', 'Fix the failing test ' || i)),
         '{"type": "success", "reward": 1}', :steps, 1000, 1, true, 3, now(), now() - i * interval '1 ms'
  FROM generate_series(1, :trajectories) i;
INSERT INTO task_status (task_id, status, status_rank, final_trajectory_id)
  SELECT 't' || i, 'completed', 5, 'tr' || i FROM generate_series(1, :trajectories) i;
-- One transition as the collector stores it (compact JSON, keys sorted), varied per step.
INSERT INTO transitions
  SELECT 'tr' || i, s, json_build_object(
           'action', json_build_object('action_type', 'tool_call', 'content', 'run the tests ' || s, 'tool_name', 'bash',
                                       'tool_args', json_build_object('command', 'pytest -q tests/test_' || s || '.py')),
           'done', s = :steps,
           'info', json_build_object('completion_tokens', 30, 'duration_ms', 400 + s, 'llm_call_id', 'c' || i || '-' || s, 'prompt_tokens', 150),
           'messages', json_build_array(json_build_object('content', repeat('observation line ' || s || E'\n', 40), 'role', 'tool')),
           'observation', json_build_object('content', repeat('output ' || i || ' ', 60), 'exit_code', 0, 'truncated', false),
           'reward', 0, 'state', json_build_object('environment_variables', '{}'::json, 'files', '{}'::json,
                                                   'process_state', json_build_object('last_exit_code', 0), 'working_directory', '/workspace'),
           'step_number', s, 'timestamp', '2026-11-29T10:00:00.000Z')::text::json,
         'c' || i || '-' || s
  FROM generate_series(1, :trajectories) i, generate_series(1, :steps) s;
INSERT INTO llm_calls (call_id, trajectory_id, occurred_at, model, provider, status, prompt_tokens, completion_tokens, cost_dollars,
                       latency_ms, prompt_token_ids, completion_token_ids, logprobs)
  SELECT 'c' || i || '-' || s, 'tr' || i, now(), 'model', 'provider', 200, 150, 30, 0.001, 5,
         CASE WHEN i % 2 = 1 THEN (SELECT jsonb_agg((random() * 150000)::int) FROM generate_series(1, 150) WHERE s > 0) END,
         CASE WHEN i % 2 = 1 THEN (SELECT jsonb_agg((random() * 150000)::int) FROM generate_series(1, 30) WHERE s > 0) END,
         CASE WHEN i % 2 = 1 THEN jsonb_build_object('content', (SELECT jsonb_agg(jsonb_build_object(
             'token', 'tok', 'logprob', -random(), 'bytes', '[116]'::jsonb, 'top_logprobs', '[]'::jsonb)) FROM generate_series(1, 30) WHERE s > 0)) END
  FROM generate_series(1, :trajectories) i, generate_series(1, :steps) s;
VACUUM ANALYZE;
SQL

# The exporter's query (services/exporter/Dataset/TrajectoryQuery.swift) without its filters,
# one page of all rows, with either family of aggregates.
query() {
  local agg=$1 build=$2
  cat <<SQL
SELECT tr.trajectory_id, tr.task_id, t.external_id, t.category, t.difficulty, tr.llm_model, tr.scaffold, tr.seed,
       tr.total_steps, tr.total_tokens, tr.total_reward, tr.verification_passed, tr.final_result, tr.reward_breakdown,
       tr.execution_time_seconds, tr.final_patch, tr.prompt_messages, tr.quality_score, tr.diversity_score, tr.total_cost_dollars,
       (extract(epoch FROM tr.completed_at) * 1000)::bigint AS completed_ms,
       (extract(epoch FROM tr.stored_at) * 1000000)::bigint AS stored_us,
       (SELECT coalesce(${agg}(x.transition ORDER BY x.step_number), '[]') FROM transitions x
        WHERE x.trajectory_id = tr.trajectory_id) AS transitions,
       (SELECT coalesce(${agg}(x.llm_call_id ORDER BY x.step_number), '[]') FROM transitions x
        WHERE x.trajectory_id = tr.trajectory_id) AS call_ids,
       (SELECT coalesce(${agg}(${build}('call_id', c.call_id, 'prompt_tokens', c.prompt_tokens,
            'completion_tokens', c.completion_tokens, 'cost_dollars', c.cost_dollars,
            'prompt_token_ids', c.prompt_token_ids, 'completion_token_ids', c.completion_token_ids,
            'logprobs', c.logprobs)), '[]')
        FROM llm_calls c WHERE c.call_id IN (SELECT x.llm_call_id FROM transitions x WHERE x.trajectory_id = tr.trajectory_id)) AS calls
FROM trajectories tr
JOIN task_status s ON s.task_id = tr.task_id AND s.final_trajectory_id = tr.trajectory_id
JOIN tasks t ON t.id = tr.task_id
ORDER BY tr.stored_at, tr.trajectory_id
SQL
}

# Best of three, each run's rows copied out as the client receives them (text), to /dev/null.
timed() {
  local best=
  for _ in 1 2 3; do
    local started ended
    started=$(date +%s.%N)
    psql -q "$server/$db" -c "\\copy ($1) TO /dev/null"
    ended=$(date +%s.%N)
    best=$(python3 -c "import sys; t = float(sys.argv[2]) - float(sys.argv[1]); b = sys.argv[3]; print(min(t, float(b)) if b else t)" "$started" "$ended" "$best")
  done
  echo "$best"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
jsonb=$(timed "$(query jsonb_agg jsonb_build_object)")
json=$(timed "$(query json_agg json_build_object)")
python3 - "$trajectories" "$steps" "$jsonb" "$json" <<'PY'
import sys
rows, steps, jsonb, json_ = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
print("| aggregates | trajectories (%d steps) | seconds | trajectories/s | speed vs jsonb |" % steps)
print("|---|---|---|---|---|")
print("| jsonb_agg + jsonb_build_object (before) | %d | %.2f | %.0f | 1.00x |" % (rows, jsonb, rows / jsonb))
print("| json_agg + json_build_object (exporter) | %d | %.2f | %.0f | %.2fx |" % (rows, json_, rows / json_, jsonb / json_))
PY
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
psql "$server/postgres" -qc "DROP DATABASE IF EXISTS $db" >/dev/null
