"""Datasets as trainers load them: every export is read back by pyarrow, duckdb
and `datasets.load_dataset` and compared value by value with Postgres (nulls,
empty lists, unicode, very long strings, 100,000 rows); filters, incremental
exports from a watermark, shards, the dataset card and the object store copy."""
import json
import os
import time
import urllib.request
import uuid

import datasets
import duckdb
import pyarrow.parquet as pq
import yaml

from conftest import API, AUTH, SYNTH_HOME
from dataset_support import Trajectory, envelope, insert_task, produce, psql, psql_json, wait_until


def request_export(body):
    request = urllib.request.Request(API + "/api/v1/trajectories/export", data=json.dumps(body).encode(), method="POST",
                                     headers=dict(AUTH, **{"Content-Type": "application/json"}))
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def finished_export(export_id, timeout=300):
    def done():
        row = psql_json("SELECT to_jsonb(e) FROM exports e WHERE export_id = :'p1'", export_id)
        if row and row["status"] == "failed":
            raise AssertionError("export failed: %s" % row["error"])
        return row if row and row["status"] == "succeeded" else None
    return wait_until("export %s" % export_id, done, timeout=timeout)


def export(body):
    status, reply = request_export(body)
    assert status == 202, reply
    return finished_export(reply["export_id"])


def dataset_dir(row):
    return os.path.dirname(os.path.dirname(row["path"]))


def expected_rows(category):
    """The dataset as Postgres has it: one JSON object per exported trajectory."""
    return psql_json("""
        SELECT coalesce(json_agg(json_build_object(
            'trajectory_id', tr.trajectory_id, 'task_id', tr.task_id, 'instance_id', t.external_id, 'category', t.category,
            'difficulty', t.difficulty, 'llm_model', tr.llm_model, 'scaffold', tr.scaffold, 'seed', tr.seed,
            'total_steps', tr.total_steps, 'total_tokens', tr.total_tokens, 'total_reward', tr.total_reward,
            'verification_passed', tr.verification_passed, 'final_result', tr.final_result->>'type',
            'final_result_json', tr.final_result, 'reward_breakdown', tr.reward_breakdown,
            'execution_time_seconds', tr.execution_time_seconds,
            'completed_ms', (extract(epoch FROM tr.completed_at) * 1000)::bigint,
            'quality_score', tr.quality_score, 'diversity_score', tr.diversity_score, 'total_cost_dollars', tr.total_cost_dollars,
            'final_patch', tr.final_patch, 'prompt', tr.prompt_messages,
            'transitions', (SELECT json_agg(x.transition ORDER BY x.step_number) FROM transitions x WHERE x.trajectory_id = tr.trajectory_id),
            'calls', (SELECT json_agg(json_build_object('call_id', c.call_id, 'prompt_tokens', c.prompt_tokens,
                        'completion_tokens', c.completion_tokens, 'cost_dollars', c.cost_dollars,
                        'prompt_token_ids', c.prompt_token_ids, 'completion_token_ids', c.completion_token_ids,
                        'logprobs', c.logprobs) ORDER BY x.step_number)
                      FROM transitions x LEFT JOIN llm_calls c ON c.call_id = x.llm_call_id WHERE x.trajectory_id = tr.trajectory_id))
            ORDER BY tr.trajectory_id), '[]'::json)
        FROM trajectories tr JOIN tasks t ON t.id = tr.task_id
        JOIN task_status s ON s.final_trajectory_id = tr.trajectory_id
        WHERE t.category = :'p1' AND tr.stored_at IS NOT NULL
        """, category)


def message(m):
    return {"role": m["role"], "content": m.get("content"),
            "tool_calls": [{"id": c["id"], "type": c["type"], "function": c["function"]} for c in m["tool_calls"]]
            if m.get("tool_calls") is not None else None,
            "tool_call_id": m.get("tool_call_id"), "name": m.get("name")}


def assert_row_matches(actual, expected):
    """One dataset row against Postgres, every column."""
    scalar = ["trajectory_id", "task_id", "instance_id", "category", "difficulty", "llm_model", "scaffold", "total_steps",
              "total_tokens", "verification_passed", "final_result", "final_patch", "quality_score", "diversity_score"]
    for key in scalar:
        assert actual[key] == expected[key], key
    assert actual["seed"] == int(expected["seed"])
    assert actual["total_reward"] == expected["total_reward"]
    assert actual["execution_time_seconds"] == expected["execution_time_seconds"]
    assert abs(actual["total_cost_dollars"] - expected["total_cost_dollars"]) < 1e-12
    assert actual["resolved"] == (expected["verification_passed"] and expected["final_result"] == "success")
    assert json.loads(actual["final_result_json"]) == expected["final_result_json"]
    assert json.loads(actual["reward_breakdown"]) == expected["reward_breakdown"]
    completed = actual["completed_at"]
    millis = completed if isinstance(completed, int) else int(completed.timestamp() * 1000 + 0.5)
    assert millis == expected["completed_ms"]
    transitions = expected["transitions"]
    assert json.loads(actual["transitions"]) == transitions
    messages = [message(m) for m in expected["prompt"]] + [message(m) for t in transitions for m in t["messages"]]
    assert actual["messages"] == messages
    assert actual["message_loss_mask"] == [m["role"] == "assistant" for m in messages]
    assert len(actual["steps"]) == len(transitions)
    for step, transition, call in zip(actual["steps"], transitions, expected["calls"]):
        assert step["step_number"] == transition["step_number"]
        assert step["action_type"] == transition["action"]["action_type"]
        assert step["tool_name"] == transition["action"].get("tool_name")
        assert step["reward"] == transition["reward"] and step["done"] == transition["done"]
        assert step["llm_call_id"] == call["call_id"]
        assert step["prompt_token_ids"] == call["prompt_token_ids"]
        assert step["completion_token_ids"] == call["completion_token_ids"]
        expected_logprobs = [entry["logprob"] for entry in call["logprobs"]["content"]] if call["logprobs"] else None
        assert step["completion_logprobs"] == expected_logprobs


def read_all_three_ways(directory):
    """The same rows from pyarrow, duckdb and datasets.load_dataset (which applies the card's features)."""
    table = pq.read_table(os.path.join(directory, "data"))
    by_pyarrow = {row["trajectory_id"]: row for row in table.to_pylist()}
    connection = duckdb.connect()
    result = connection.execute("SELECT * FROM read_parquet(?)", [os.path.join(directory, "data", "*.parquet")])
    names = [d[0] for d in result.description]
    by_duckdb = {row[0]: dict(zip(names, row)) for row in result.fetchall()}
    loaded = datasets.load_dataset(directory, split="train", cache_dir=os.path.join(directory, ".hf-cache"))
    by_hf = {row["trajectory_id"]: row for row in loaded}
    return table, by_pyarrow, by_duckdb, by_hf


def make_trajectories(category, specs):
    """Runs synthetic trajectories through the real collector; returns them once stored."""
    trajectories = []
    for index, (model, steps, passed, reward, instance) in enumerate(specs):
        task_id = "task-" + uuid.uuid4().hex[:12]
        insert_task(task_id, category, instance)
        trajectories.append(Trajectory(task_id, model, steps, passed, reward, long_text=300_000 if index == 0 else 0))
    for t in trajectories:
        produce("synth.tasks", [t.started()])
        produce("synth.steps", t.step_events())
        produce("synth.llm-calls", t.call_events())
        produce("synth.tasks", [t.completed()])
    ids = ",".join(t.trajectory_id for t in trajectories)
    wait_until("trajectories stored", lambda: int(psql(
        "SELECT count(*) FROM trajectories WHERE trajectory_id = ANY(string_to_array(:'p1', ',')) AND stored_at IS NOT NULL",
        ids)) == len(trajectories), timeout=120)
    time.sleep(2.5)  # an incremental export leaves rows stored in the last SYNTH_EXPORT_SETTLE_SECONDS for the next one
    return trajectories


def test_export_reads_back_value_by_value_with_filters_card_and_object_store(services):
    category = "dataset-test-" + uuid.uuid4().hex[:8]
    trajectories = make_trajectories(category, [
        ("model-a", 5, True, 1.0, "inst-x"), ("model-b", 3, False, 0.25, None), ("model-b", 4, True, 0.75, "inst-x")])
    expected = {row["trajectory_id"]: row for row in expected_rows(category)}
    assert len(expected) == 3

    row = export({"categories": [category]})
    assert row["rows"] == 3 and row["files"] == ["data/train-00000-of-00001.parquet"]
    directory = dataset_dir(row)
    table, by_pyarrow, by_duckdb, by_hf = read_all_three_ways(directory)
    assert set(by_pyarrow) == set(by_duckdb) == set(by_hf) == set(expected)
    for trajectory_id, want in expected.items():
        assert_row_matches(by_pyarrow[trajectory_id], want)
        assert_row_matches(by_hf[trajectory_id], want)
        duck = by_duckdb[trajectory_id]
        for key in ["task_id", "instance_id", "llm_model", "total_reward", "verification_passed", "final_patch", "quality_score"]:
            assert duck[key] == want[key], key
        assert json.loads(duck["transitions"]) == want["transitions"]
        assert [m["content"] for m in duck["messages"]] == [m["content"] for m in by_pyarrow[trajectory_id]["messages"]]
        assert [s["completion_token_ids"] for s in duck["steps"]] == [s["completion_token_ids"] for s in by_pyarrow[trajectory_id]["steps"]]
    # A null instance id, an empty tool_calls list is absent (null), a 300 kB observation survives.
    assert any(r["instance_id"] is None for r in by_pyarrow.values())
    assert max(len(r["transitions"]) for r in by_pyarrow.values()) > 600_000
    # Compressed with zstd by default, statistics present.
    metadata = pq.ParquetFile(os.path.join(directory, row["files"][0])).metadata
    assert metadata.row_group(0).column(0).compression == "ZSTD"

    # The card: YAML header the Hub reads, and the prose summary.
    readme = open(os.path.join(directory, "README.md"), encoding="utf-8").read()
    header = yaml.safe_load(readme.split("---\n")[1])
    assert header["configs"][0]["data_files"][0]["path"] == "data/train-*"
    assert header["dataset_info"]["splits"][0]["num_examples"] == 3
    assert [f["name"] for f in header["dataset_info"]["features"]] == table.column_names
    assert "Verification passed: 2 (pass rate 0.667)" in readme
    assert "median 0.750" in readme

    # Published to the object store: the same bytes under datasets/<export_id>/.
    published = SYNTH_HOME / "objects" / "datasets" / row["export_id"]
    for name in row["files"] + ["README.md"]:
        assert (published / name).read_bytes() == open(os.path.join(directory, name), "rb").read()

    # Filters.
    assert export({"categories": [category], "verified_only": True})["rows"] == 2
    assert export({"categories": [category], "models": ["model-b"]})["rows"] == 2
    assert export({"categories": [category], "min_reward": 0.75})["rows"] == 2
    assert export({"categories": [category], "models": ["model-b"], "verified_only": True})["rows"] == 1
    empty = export({"categories": [category], "completed_before": "2000-01-01T00:00:00Z"})
    assert empty["rows"] == 0 and pq.read_table(empty["path"]).num_rows == 0
    assert export({"categories": [category], "completed_after": "2000-01-01T00:00:00Z"})["rows"] == 3

    # Bad filters are a 400 naming the field.
    status, reply = request_export({"completed_after": "yesterday"})
    assert status == 400 and reply["error"]["field"] == "completed_after"
    status, reply = request_export({"categories": [""]})
    assert status == 400 and reply["error"]["field"] == "categories[0]"

    # Incremental: only what was stored since the last export of the same schedule.
    schedule = "test-" + uuid.uuid4().hex[:6]
    body = {"categories": [category], "incremental": True, "schedule_name": schedule}
    assert export(body)["rows"] == 3
    assert export(body)["rows"] == 0
    later = make_trajectories(category, [("model-a", 2, True, 1.0, None)])
    third = export(body)
    assert third["rows"] == 1
    assert pq.read_table(third["path"]).column("trajectory_id").to_pylist() == [later[0].trajectory_id]


def delete_bulk_rows(category):
    psql("""
        DELETE FROM transitions WHERE trajectory_id LIKE 'tr-' || :'p1' || '-%';
        DELETE FROM trajectories WHERE task_id LIKE :'p1' || '-%';
        DELETE FROM task_status WHERE task_id LIKE :'p1' || '-%';
        DELETE FROM tasks WHERE category = :'p1';
        """, category)


def test_hundred_thousand_rows_in_bounded_shards(services):
    """100,000 stored trajectories (written straight into the collector's tables: this tests
    the exporter) become three shards that all three readers agree on with Postgres. The rows
    are deleted afterwards so that later whole-table exports stay small."""
    category = "bulk-" + uuid.uuid4().hex[:8]
    try:
        check_hundred_thousand_rows(category)
    finally:
        delete_bulk_rows(category)


def check_hundred_thousand_rows(category):
    psql("""
        INSERT INTO tasks (id, external_id, category, difficulty, definition)
        SELECT :'p1' || '-' || g, CASE WHEN g % 7 = 0 THEN NULL ELSE 'inst-' || (g % 1000) END, :'p1',
               (ARRAY['easy','medium','hard'])[1 + g % 3], '{}'::jsonb FROM generate_series(1, 100000) g;
        INSERT INTO trajectories (trajectory_id, task_id, worker_id, attempt, llm_model, scaffold, seed, prompt_messages, tools,
            started_at, completed_at, final_result, total_steps, total_tokens, total_reward, reward_breakdown, verification_passed,
            execution_time_seconds, final_patch, quality_score, diversity_score, total_cost_dollars, stored_at)
        SELECT 'tr-' || :'p1' || '-' || g, :'p1' || '-' || g, 'w', 1, 'model-' || (g % 3), 'minimal', g * 7919,
               jsonb_build_array(jsonb_build_object('role', 'user', 'content', 'task ' || g || ' ✓')), '[]'::jsonb,
               now() - interval '1 hour', now() - interval '1 hour' + g * interval '1 ms',
               jsonb_build_object('type', 'success', 'reward', (g % 101) / 100.0), 1, 10 + g, (g % 101) / 100.0,
               NULL, g % 2 = 0, g / 1000.0, CASE WHEN g % 5 = 0 THEN NULL ELSE 'patch ' || g END,
               0.5, 1.0, NULL, now() - interval '1 minute'
        FROM generate_series(1, 100000) g;
        INSERT INTO transitions (trajectory_id, step_number, transition)
        SELECT 'tr-' || :'p1' || '-' || g, 1, jsonb_build_object(
            'timestamp', '2026-01-01T00:00:00.000Z', 'step_number', 1,
            'state', jsonb_build_object('files', '{}'::jsonb, 'working_directory', '/w', 'environment_variables', '{}'::jsonb,
                                        'process_state', '{}'::jsonb),
            'action', jsonb_build_object('action_type', 'finish', 'content', 'done ' || g), 'observation',
            jsonb_build_object('content', '', 'truncated', false), 'reward', 1.0, 'done', true,
            'info', jsonb_build_object('duration_ms', g), 'messages',
            jsonb_build_array(jsonb_build_object('role', 'assistant', 'content', 'answer ' || g)))
        FROM generate_series(1, 100000) g;
        INSERT INTO task_status (task_id, status, status_rank, final_trajectory_id)
        SELECT :'p1' || '-' || g, 'succeeded', 4, 'tr-' || :'p1' || '-' || g FROM generate_series(1, 100000) g;
        """, category)
    export_id = "bulk-" + uuid.uuid4().hex
    produce("synth.exports", [(export_id, envelope("ExportRequested", {
        "export_id": export_id, "verified_only": False, "categories": [category], "max_shard_rows": 40000}))])
    row = finished_export(export_id, timeout=900)
    assert row["rows"] == 100000
    assert row["files"] == ["data/train-0000%d-of-00003.parquet" % i for i in range(3)]
    directory = dataset_dir(row)

    want = psql_json("""
        SELECT json_build_object('ids', json_agg(tr.trajectory_id ORDER BY tr.stored_at, tr.trajectory_id),
                                 'rewards', json_agg(tr.total_reward ORDER BY tr.stored_at, tr.trajectory_id),
                                 'patches', json_agg(tr.final_patch ORDER BY tr.stored_at, tr.trajectory_id),
                                 'instances', json_agg(t.external_id ORDER BY tr.stored_at, tr.trajectory_id),
                                 'tokens', json_agg(tr.total_tokens ORDER BY tr.stored_at, tr.trajectory_id))
        FROM trajectories tr JOIN tasks t ON t.id = tr.task_id WHERE t.category = :'p1'
        """, category)
    table = pq.read_table(os.path.join(directory, "data"))
    assert table.num_rows == 100000
    assert table.column("trajectory_id").to_pylist() == want["ids"]
    assert table.column("total_reward").to_pylist() == want["rewards"]
    assert table.column("final_patch").to_pylist() == want["patches"]
    assert table.column("instance_id").to_pylist() == want["instances"]
    assert table.column("total_tokens").to_pylist() == want["tokens"]
    assert [m[0]["content"] for m in table.column("messages").to_pylist()[:3]] == ["task %s ✓" % i.rsplit("-", 1)[1] for i in want["ids"][:3]]
    duck = duckdb.connect().execute(
        "SELECT count(*), sum(total_tokens), count(final_patch), count(instance_id) FROM read_parquet(?)",
        [os.path.join(directory, "data", "*.parquet")]).fetchone()
    assert duck == (100000, sum(want["tokens"]), sum(p is not None for p in want["patches"]),
                    sum(i is not None for i in want["instances"]))
    loaded = datasets.load_dataset(directory, split="train", cache_dir=os.path.join(directory, ".hf-cache"))
    assert loaded.num_rows == 100000
    assert loaded[99999]["trajectory_id"] == want["ids"][99999]
