#!/usr/bin/env python3
"""Writes OpenAPIDocument.swift, the api's OpenAPI 3.1 document, from the
description below (the one place it is written by hand). Run after changing
a route: python3 services/api/OpenAPI/generate.py"""
import json
from pathlib import Path

STATUSES = ["submitted", "queued", "assigned", "running", "succeeded", "partial", "failed", "timeout", "error", "cancelled"]
DIFFICULTIES = ["easy", "medium", "hard", "expert"]


def ref(name):
    return {"$ref": "#/components/schemas/" + name}


def nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}


def json_body(schema, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error(description):
    return json_body(ref("Error"), description)


def query(name, schema, description):
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def path(name, description, schema=None):
    return {"name": name, "in": "path", "required": True, "schema": schema or {"type": "string", "minLength": 1, "maxLength": 256, "pattern": "^[^/]+$"},
            "description": description}


LIMIT = query("limit", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50}, "Page size.")
CURSOR = query("cursor", {"type": "string"}, "The next_cursor of the previous page.")
IDEMPOTENCY = {"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string", "minLength": 1, "maxLength": 200},
               "description": "A retried request with the same key returns the original task(s) instead of new ones."}
AUTH_ERRORS = {"401": error("Missing, unknown or revoked API key.")}
TEXT = {"type": "string", "minLength": 1, "maxLength": 200}

schemas = {
    "Error": {
        "type": "object", "required": ["error"],
        "properties": {"error": {
            "type": "object", "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "Machine-readable, e.g. invalid_task, task_not_found, unauthorized."},
                "message": {"type": "string"},
                "field": {"type": "string", "description": "The field, parameter or header at fault."},
                "details": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}},
            }}},
    },
    "TestSpec": {
        "type": "object", "required": ["name", "command"],
        "properties": {"name": {"type": "string"}, "command": {"type": "string"},
                       "files": {"type": "object", "additionalProperties": {"type": "string"}},
                       "timeout_seconds": {"type": "integer"}},
    },
    "TaskInput": {
        "type": "object", "description": "A task definition (docs/TASKS.md has every field and its rules).",
        "required": ["instruction", "category", "difficulty", "docker_image", "verification_tests"],
        "properties": {
            "id": {"type": "string", "description": "Generated when absent; a known id returns the existing task."},
            "external_id": {"type": "string"},
            "instruction": {"type": "string"},
            "category": {"type": "string"},
            "difficulty": {"type": "string", "enum": DIFFICULTIES},
            "docker_image": {"type": "string"},
            "initial_files": {"type": "object", "additionalProperties": {"type": "string"}},
            "environment_vars": {"type": "object", "additionalProperties": {"type": "string"}},
            "verification_tests": {"type": "array", "items": ref("TestSpec")},
            "timeout_seconds": {"type": "integer"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "scaffold": {"type": "string"},
            "llm_model": {"type": "string"},
            "max_steps": {"type": "integer"},
            "created_at": {"type": "string", "description": "RFC 3339."},
        },
    },
    "Task": {
        "type": "object", "required": ["id", "status", "attempts", "category", "difficulty", "tags", "llm_model", "scaffold", "created_at"],
        "properties": {
            "id": {"type": "string"}, "external_id": {"type": "string"},
            "status": {"type": "string", "enum": STATUSES}, "reason": {"type": "string"},
            "attempts": {"type": "integer"}, "worker_id": {"type": "string"}, "trajectory_id": {"type": "string"},
            "result": {"description": "The final result, e.g. {\"type\": \"success\", \"reward\": 1}."},
            "category": {"type": "string"}, "difficulty": {"type": "string", "enum": DIFFICULTIES},
            "tags": {"type": "array", "items": {"type": "string"}}, "llm_model": {"type": "string"}, "scaffold": {"type": "string"},
            "template_name": {"type": "string"}, "template_version": {"type": "integer"},
            "created_at": {"type": "string"}, "updated_at": {"type": "string"},
        },
    },
    "TaskPage": {"type": "object", "required": ["items", "next_cursor"],
                 "properties": {"items": {"type": "array", "items": ref("Task")}, "next_cursor": nullable({"type": "string"})}},
    "BatchResult": {
        "type": "object", "required": ["accepted", "created", "rejected", "results"],
        "properties": {
            "accepted": {"type": "integer"}, "created": {"type": "integer"}, "rejected": {"type": "integer"},
            "results": {"type": "array", "items": {
                "type": "object", "required": ["index", "status"],
                "properties": {"index": {"type": "integer"}, "status": {"type": "string", "enum": ["created", "existing", "rejected"]},
                               "id": {"type": "string"},
                               "error": {"type": "object", "required": ["code", "message"],
                                         "properties": {"code": {"type": "string"}, "field": {"type": "string"}, "message": {"type": "string"}}}}}},
        },
    },
    "CancelReply": {"type": "object", "required": ["id", "status"],
                    "properties": {"id": {"type": "string"}, "status": {"type": "string", "enum": ["cancelling", "cancelled"]}}},
    "TrajectorySummary": {
        "type": "object", "required": ["trajectory_id", "task_id", "worker_id", "attempt", "llm_model", "scaffold", "seed"],
        "properties": {
            "trajectory_id": {"type": "string"}, "task_id": {"type": "string"}, "worker_id": {"type": "string"},
            "attempt": {"type": "integer"}, "llm_model": {"type": "string"}, "scaffold": {"type": "string"},
            "seed": {"type": "string", "description": "Unsigned 64-bit, as a string."},
            "started_at": {"type": "string"}, "completed_at": {"type": "string"}, "final_result": {},
            "total_steps": {"type": "integer"}, "total_tokens": {"type": "integer"}, "total_reward": {"type": "number"},
            "reward_breakdown": {}, "verification_passed": {"type": "boolean"}, "execution_time_seconds": {"type": "number"},
        },
    },
    "TrajectoryPage": {"type": "object", "required": ["items", "next_cursor"],
                       "properties": {"items": {"type": "array", "items": ref("TrajectorySummary")},
                                      "next_cursor": nullable({"type": "string"})}},
    "Trajectory": {"allOf": [ref("TrajectorySummary"), {
        "type": "object", "required": ["transitions"],
        "properties": {"prompt_messages": {}, "tools": {}, "final_patch": nullable({"type": "string"}),
                       "transitions": {"type": "array", "items": {"type": "object"}}}}]},
    "ExportRequest": {"type": "object", "properties": {"verified_only": {"type": "boolean"}, "min_reward": {"type": "number"}}},
    "Export": {"type": "object", "required": ["export_id", "status"],
               "properties": {"export_id": {"type": "string"}, "status": {"type": "string"}, "path": {"type": "string"},
                              "rows": {"type": "integer"}, "summary": {}, "error": {"type": "string"}}},
    "Worker": {
        "type": "object",
        "required": ["worker_id", "status", "capacity", "active_tasks", "leases", "last_seen", "stop_requested"],
        "properties": {"worker_id": {"type": "string"}, "status": {"type": "string", "enum": ["active", "draining", "stopped", "lost"]},
                       "capacity": {"type": "integer"}, "active_tasks": {"type": "integer"}, "leases": {"type": "integer"},
                       "last_seen": {"type": "string"}, "started_at": {"type": "string"}, "stop_requested": {"type": "boolean"}},
    },
    "WorkerList": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": ref("Worker")}}},
    "Stats": {
        "type": "object",
        "required": ["tasks_total", "by_status", "by_category", "trajectories_completed", "by_model", "window_hours", "bucket_minutes",
                     "throughput"],
        "properties": {
            "tasks_total": {"type": "integer"},
            "by_status": {"type": "object", "additionalProperties": {"type": "integer"}},
            "by_category": {"type": "object", "additionalProperties": {
                "type": "object", "required": ["total", "by_status"],
                "properties": {"total": {"type": "integer"}, "by_status": {"type": "object", "additionalProperties": {"type": "integer"}}}}},
            "trajectories_completed": {"type": "integer"},
            "pass_rate": {"type": "number", "description": "Over each task's final trajectory; absent when there is none."},
            "mean_reward": {"type": "number"},
            "by_model": {"type": "object", "additionalProperties": {
                "type": "object", "required": ["trajectories", "tokens"],
                "properties": {"trajectories": {"type": "integer"}, "tokens": {"type": "integer"},
                               "cost_dollars": {"type": "number", "description": "From the router's call records, when stored."}}}},
            "window_hours": {"type": "integer"}, "bucket_minutes": {"type": "integer"},
            "throughput": {"type": "array", "items": {"type": "object", "required": ["start", "completed", "submitted"],
                                                       "properties": {"start": {"type": "string"}, "completed": {"type": "integer"},
                                                                      "submitted": {"type": "integer"}}}},
            "queue": {"type": "object", "properties": {
                "ready": {"type": "integer"}, "delayed": {"type": "integer"}, "inflight": {"type": "integer"}, "dead": {"type": "integer"},
                "oldest_waiting_seconds": {"type": "number"},
                "ready_by_band": {"type": "object", "additionalProperties": {"type": "integer"}}}},
        },
    },
    "TemplateParameter": {
        "type": "object", "required": ["name", "type"],
        "properties": {"name": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]{0,63}$"},
                       "type": {"type": "string", "enum": ["string", "integer", "number", "boolean"]},
                       "required": {"type": "boolean"}, "default": {}, "description": {"type": "string"}},
    },
    "TemplateInput": {
        "type": "object", "required": ["name", "category", "template"],
        "properties": {"name": {"type": "string", "pattern": "^[a-z0-9][a-z0-9._-]{0,99}$"}, "category": TEXT,
                       "description": {"type": "string"}, "parameters": {"type": "array", "items": ref("TemplateParameter")},
                       "template": {"type": "object", "description": "A task definition whose strings may hold {{parameter}} placeholders."}},
    },
    "Template": {
        "type": "object", "required": ["name", "version", "category", "parameters", "template"],
        "properties": {"name": {"type": "string"}, "version": {"type": "integer"}, "category": {"type": "string"},
                       "description": {"type": "string"}, "parameters": {"type": "array", "items": ref("TemplateParameter")},
                       "template": {"type": "object"}, "created_at": {"type": "string"},
                       "versions": {"type": "array", "items": {"type": "integer"}}},
    },
    "TemplateList": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": ref("Template")}}},
    "InstantiateRequest": {"type": "object", "properties": {"version": {"type": "integer", "minimum": 1, "maximum": 1000000},
                                                             "parameters": {"type": "object"}}},
    "CategoryList": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {
        "type": "object", "required": ["name", "templates", "tasks", "finished"],
        "properties": {"name": {"type": "string"}, "templates": {"type": "integer"}, "tasks": {"type": "integer"},
                       "finished": {"type": "integer"}}}}}},
}

TASK_ID = path("id", "Task id.")
paths = {
    "/api/v1/health": {"get": {"operationId": "health", "summary": "Liveness (no key needed).", "security": [],
                               "responses": {"200": json_body({"type": "object", "required": ["status"],
                                                               "properties": {"status": {"type": "string"}}})}}},
    "/api/v1/openapi.json": {"get": {"operationId": "openapi", "summary": "This document.",
                                     "responses": {"200": json_body({"type": "object"}), **AUTH_ERRORS}}},
    "/api/v1/tasks": {
        "post": {"operationId": "submitTask", "summary": "Submit a task.", "parameters": [IDEMPOTENCY],
                 "requestBody": {"required": True, "content": {"application/json": {"schema": ref("TaskInput")}}},
                 "responses": {"201": json_body(ref("Task"), "Created."), "200": json_body(ref("Task"), "The original task (repeated id or key)."),
                               "400": error("Invalid task; error.field names the field."), "413": error("Body over 16 MiB."), **AUTH_ERRORS}},
        "get": {"operationId": "listTasks", "summary": "List tasks, newest first.",
                "parameters": [query("status", {"type": "string", "enum": STATUSES}, "Status."),
                               query("category", TEXT, "Category."),
                               query("difficulty", {"type": "string", "enum": DIFFICULTIES}, "Difficulty."),
                               query("tag", TEXT, "Has this tag."), query("template", TEXT, "Made from this template."),
                               query("created_after", {"type": "string", "format": "date-time"}, "Created at or after (RFC 3339)."),
                               query("created_before", {"type": "string", "format": "date-time"}, "Created before (RFC 3339)."),
                               CURSOR, LIMIT],
                "responses": {"200": json_body(ref("TaskPage")), "400": error("A bad parameter; error.field names it."), **AUTH_ERRORS}},
    },
    "/api/v1/tasks/batch": {"post": {
        "operationId": "submitTaskBatch", "summary": "Submit up to 10,000 tasks; each is accepted or rejected by its index.",
        "parameters": [IDEMPOTENCY],
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": {"type": "array", "items": ref("TaskInput"), "maxItems": 10000}},
            "application/x-ndjson": {"schema": {"type": "string", "description": "One task per line (JSON Lines)."}}}},
        "responses": {"200": json_body(ref("BatchResult"), "At least one task accepted."),
                      "400": json_body({"oneOf": [ref("BatchResult"), ref("Error")]}, "Malformed batch, or every item rejected."),
                      "413": error("Over 10,000 tasks or 256 MiB."), **AUTH_ERRORS}}},
    "/api/v1/tasks/{id}": {
        "get": {"operationId": "getTask", "summary": "A task and its status.", "parameters": [TASK_ID],
                "responses": {"200": json_body(ref("Task")), "400": error("Bad id."), "404": error("No such task."), **AUTH_ERRORS}},
        "delete": {"operationId": "cancelTask", "summary": "Cancel a queued or running task.", "parameters": [TASK_ID],
                   "responses": {"202": json_body(ref("CancelReply"), "Cancellation under way."),
                                 "200": json_body(ref("CancelReply"), "Already cancelled."), "400": error("Bad id."),
                                 "404": error("No such task."), "409": error("The task already finished."), **AUTH_ERRORS}},
    },
    "/api/v1/trajectories": {"get": {
        "operationId": "listTrajectories", "summary": "List trajectories, newest first.",
        "parameters": [query("task_id", TEXT, "Of this task."), query("llm_model", TEXT, "Model."), query("worker_id", TEXT, "Worker."),
                       query("verified", {"type": "boolean"}, "Verification passed."),
                       query("completed", {"type": "boolean"}, "Finished (or still running)."),
                       query("min_reward", {"type": "number"}, "Total reward at least."),
                       query("started_after", {"type": "string", "format": "date-time"}, "Started at or after."),
                       query("started_before", {"type": "string", "format": "date-time"}, "Started before."), CURSOR, LIMIT],
        "responses": {"200": json_body(ref("TrajectoryPage")), "400": error("A bad parameter."), **AUTH_ERRORS}}},
    "/api/v1/trajectories/{id}": {"get": {
        "operationId": "getTrajectory", "summary": "A trajectory with every transition.", "parameters": [path("id", "Trajectory id.")],
        "responses": {"200": json_body(ref("Trajectory")), "400": error("Bad id."), "404": error("No such trajectory."), **AUTH_ERRORS}}},
    "/api/v1/trajectories/export": {"post": {
        "operationId": "exportTrajectories", "summary": "Request a Parquet dataset export.",
        "requestBody": {"required": False, "content": {"application/json": {"schema": ref("ExportRequest")}}},
        "responses": {"202": json_body(ref("Export"), "Requested."), "400": error("Bad body."), "413": error("Body too large."), **AUTH_ERRORS}}},
    "/api/v1/exports/{id}": {"get": {
        "operationId": "getExport", "summary": "Where an export went.", "parameters": [path("id", "Export id.")],
        "responses": {"200": json_body(ref("Export")), "400": error("Bad id."), **AUTH_ERRORS}}},
    "/api/v1/workers": {"get": {
        "operationId": "listWorkers", "summary": "Workers seen in the last day.",
        "parameters": [query("status", {"type": "string", "enum": ["active", "draining", "stopped", "lost"]}, "Status.")],
        "responses": {"200": json_body(ref("WorkerList")), "400": error("A bad parameter."), **AUTH_ERRORS}}},
    "/api/v1/workers/{id}": {"get": {
        "operationId": "getWorker", "summary": "A worker's last heartbeat.", "parameters": [path("id", "Worker id.")],
        "responses": {"200": json_body(ref("Worker")), "400": error("Bad id."), "404": error("No such worker."), **AUTH_ERRORS}}},
    "/api/v1/workers/{id}/stop": {"post": {
        "operationId": "stopWorker", "summary": "Drain a worker: it finishes its episodes and takes no new task.",
        "parameters": [path("id", "Worker id.")],
        "responses": {"202": json_body(ref("Worker"), "Stop requested."), "400": error("Bad id."), "404": error("No such worker."),
                      **AUTH_ERRORS}}},
    "/api/v1/metrics": {"get": {
        "operationId": "metrics", "summary": "Prometheus metrics of the api.",
        "responses": {"200": {"description": "Prometheus text format.", "content": {"text/plain": {"schema": {"type": "string"}}}},
                      **AUTH_ERRORS}}},
    "/api/v1/stats": {"get": {
        "operationId": "stats", "summary": "Counts by status and category, pass rate, mean reward, usage by model, throughput.",
        "parameters": [query("window_hours", {"type": "integer", "minimum": 1, "maximum": 720, "default": 24}, "Throughput window."),
                       query("bucket_minutes", {"type": "integer", "minimum": 1, "maximum": 1440, "default": 60},
                             "Throughput bucket; at most 2000 buckets per window.")],
        "responses": {"200": json_body(ref("Stats")), "400": error("A bad parameter."), **AUTH_ERRORS}}},
    "/api/v1/templates": {
        "post": {"operationId": "createTemplate", "summary": "Create a template, or a new version of one.",
                 "requestBody": {"required": True, "content": {"application/json": {"schema": ref("TemplateInput")}}},
                 "responses": {"201": json_body(ref("Template"), "Created (version 1, or the next version)."),
                               "400": error("Invalid template."), "413": error("Body too large."), **AUTH_ERRORS}},
        "get": {"operationId": "listTemplates", "summary": "The latest version of every template.",
                "parameters": [query("category", TEXT, "Category.")],
                "responses": {"200": json_body(ref("TemplateList")), "400": error("A bad parameter."), **AUTH_ERRORS}},
    },
    "/api/v1/templates/{name}": {"get": {
        "operationId": "getTemplate", "summary": "A template's latest version and its version numbers.",
        "parameters": [path("name", "Template name.")],
        "responses": {"200": json_body(ref("Template")), "400": error("Bad name."), "404": error("No such template."), **AUTH_ERRORS}}},
    "/api/v1/templates/{name}/versions/{version}": {"get": {
        "operationId": "getTemplateVersion", "summary": "One version of a template.",
        "parameters": [path("name", "Template name."), path("version", "Version.", {"type": "integer", "minimum": 1, "maximum": 1000000})],
        "responses": {"200": json_body(ref("Template")), "400": error("Bad name or version."), "404": error("No such version."),
                      **AUTH_ERRORS}}},
    "/api/v1/templates/{name}/tasks": {"post": {
        "operationId": "submitTaskFromTemplate", "summary": "Make and submit a task from a template and parameters.",
        "parameters": [path("name", "Template name."), IDEMPOTENCY],
        "requestBody": {"required": False, "content": {"application/json": {"schema": ref("InstantiateRequest")}}},
        "responses": {"201": json_body(ref("Task"), "Created."), "200": json_body(ref("Task"), "The original task (repeated key)."),
                      "400": error("Bad parameters; error.field names the one at fault."), "404": error("No such template or version."),
                      "413": error("Body too large."), **AUTH_ERRORS}}},
    "/api/v1/categories": {"get": {
        "operationId": "listCategories", "summary": "Categories in use, with template, task and finished counts.",
        "responses": {"200": json_body(ref("CategoryList")), **AUTH_ERRORS}}},
}

document = {
    "openapi": "3.1.0",
    "info": {"title": "synth api", "version": "1.0.0",
             "description": "Submit coding tasks, follow them, and read the trajectories they produce. docs/API.md explains each call."},
    "servers": [{"url": "/"}],
    "security": [{"bearer": []}],
    "paths": paths,
    "components": {"schemas": schemas,
                   "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                                  "description": "An API key: SYNTH_API_KEYS or `synth-api create-key`."}}},
}


def dump(value, expand, indent=0):
    """JSON with one line per path, per schema and per top-level member: the document stays
    readable in the Swift source without thousands of near-identical lines."""
    if not isinstance(value, dict) or expand == 0:
        return json.dumps(value, ensure_ascii=False)
    pad = " " * (indent + 1)
    members = [pad + json.dumps(key) + ": " + dump(member, expand(key) if callable(expand) else expand - 1, indent + 1)
               for key, member in value.items()]
    return "{\n" + ",\n".join(members) + "\n" + " " * indent + "}"


# Paths one per line; components.schemas one schema per line; the rest of the top level compact.
text = dump(document, lambda key: {"paths": 1, "components": 2}.get(key, 0))
assert json.loads(text) == document
assert '"""' not in text
swift = ("// Generated by services/api/OpenAPI/generate.py from the description there: edit that, then rerun it.\n"
         "enum OpenAPIDocument {\n    static let json = #\"\"\"\n" + text + "\n\"\"\"#\n}\n")
Path(__file__).with_name("OpenAPIDocument.swift").write_text(swift)
