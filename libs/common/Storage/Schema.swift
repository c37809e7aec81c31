import SynthPostgres

/// The whole Postgres schema, versioned per owning component. Every service
/// applies it at start-up (idempotent, under an advisory lock), so a reader
/// never starts before the tables it reads exist; each table is still written
/// only by its owner (ARCHITECTURE.md).
public enum Schema {
    public static let migrations: [PostgresMigration] = [
        PostgresMigration(component: "api", version: 1, name: "tasks and outbox", sql: """
            CREATE TABLE tasks (
                id text PRIMARY KEY,
                external_id text,
                category text NOT NULL,
                difficulty text NOT NULL,
                definition jsonb NOT NULL,
                idempotency_key text UNIQUE,
                created_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX tasks_created_at ON tasks (created_at);
            CREATE TABLE outbox (
                id bigserial PRIMARY KEY,
                topic text NOT NULL,
                key text NOT NULL,
                payload bytea NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            );
            """),
        PostgresMigration(component: "collector", version: 1, name: "trajectories, transitions, task status", sql: """
            CREATE TABLE task_status (
                task_id text PRIMARY KEY,
                status text NOT NULL,
                status_rank int NOT NULL,
                reason text,
                attempts int NOT NULL DEFAULT 0,
                worker_id text,
                final_trajectory_id text,
                result jsonb,
                updated_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX task_status_status ON task_status (status);
            CREATE TABLE trajectories (
                trajectory_id text PRIMARY KEY,
                task_id text NOT NULL,
                worker_id text NOT NULL,
                attempt int NOT NULL,
                llm_model text NOT NULL,
                scaffold text NOT NULL,
                seed bigint NOT NULL,
                prompt_messages jsonb NOT NULL,
                tools jsonb NOT NULL,
                started_at timestamptz NOT NULL,
                completed_at timestamptz,
                final_result jsonb,
                total_steps int,
                total_tokens bigint,
                total_reward double precision,
                reward_breakdown jsonb,
                verification_passed boolean,
                execution_time_seconds double precision,
                final_patch text
            );
            CREATE INDEX trajectories_task ON trajectories (task_id);
            CREATE INDEX trajectories_completed ON trajectories (completed_at);
            CREATE TABLE transitions (
                trajectory_id text NOT NULL,
                step_number int NOT NULL,
                transition jsonb NOT NULL,
                PRIMARY KEY (trajectory_id, step_number)
            );
            CREATE TABLE processed_events (
                event_id text PRIMARY KEY,
                processed_at timestamptz NOT NULL DEFAULT now()
            );
            """),
        PostgresMigration(component: "exporter", version: 1, name: "exports", sql: """
            CREATE TABLE exports (
                export_id text PRIMARY KEY,
                status text NOT NULL,
                path text,
                rows int,
                summary jsonb,
                error text,
                requested_at timestamptz NOT NULL DEFAULT now(),
                finished_at timestamptz
            );
            """),
        PostgresMigration(component: "api", version: 2, name: "task list indexes, task registry, api keys", sql: """
            ALTER TABLE tasks ADD COLUMN template_name text, ADD COLUMN template_version int,
                ADD COLUMN tags text[] NOT NULL DEFAULT '{}';
            UPDATE tasks SET tags = ARRAY(SELECT jsonb_array_elements_text(COALESCE(definition->'tags', '[]'::jsonb)));
            CREATE INDEX tasks_created_id ON tasks (created_at DESC, id DESC);
            CREATE INDEX tasks_category_created ON tasks (category, created_at DESC);
            CREATE INDEX tasks_tags ON tasks USING gin (tags);
            CREATE INDEX tasks_template ON tasks (template_name, template_version);
            CREATE TABLE task_templates (
                name text NOT NULL,
                version int NOT NULL,
                category text NOT NULL,
                description text,
                parameters jsonb NOT NULL,
                template jsonb NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (name, version)
            );
            CREATE TABLE api_keys (
                id text PRIMARY KEY,
                name text NOT NULL,
                key_hash text NOT NULL UNIQUE,
                created_at timestamptz NOT NULL DEFAULT now(),
                last_used_at timestamptz,
                revoked_at timestamptz
            );
            """),
        PostgresMigration(component: "collector", version: 2, name: "out-of-order assembly, llm-call join, scores", sql: """
            -- A TaskCompleted can arrive before its TaskStarted: the row is created by whichever comes first.
            ALTER TABLE trajectories ALTER COLUMN worker_id DROP NOT NULL, ALTER COLUMN attempt DROP NOT NULL,
                ALTER COLUMN llm_model DROP NOT NULL, ALTER COLUMN scaffold DROP NOT NULL, ALTER COLUMN seed DROP NOT NULL,
                ALTER COLUMN prompt_messages DROP NOT NULL, ALTER COLUMN tools DROP NOT NULL, ALTER COLUMN started_at DROP NOT NULL;
            ALTER TABLE trajectories ADD COLUMN quality_score double precision, ADD COLUMN diversity_score double precision,
                ADD COLUMN total_cost_dollars double precision, ADD COLUMN action_shingles text[],
                ADD COLUMN diversity_group text, ADD COLUMN stored_at timestamptz,
                ADD COLUMN stored_event_sent boolean NOT NULL DEFAULT false, ADD COLUMN artifacts jsonb;
            CREATE INDEX trajectories_stored ON trajectories (stored_at, trajectory_id);
            CREATE INDEX trajectories_diversity_group ON trajectories (diversity_group) WHERE stored_at IS NOT NULL;
            ALTER TABLE transitions ADD COLUMN llm_call_id text;
            CREATE TABLE llm_calls (
                call_id text PRIMARY KEY,
                trajectory_id text,
                task_id text,
                occurred_at timestamptz NOT NULL,
                model text NOT NULL,
                provider text NOT NULL,
                status int NOT NULL,
                prompt_tokens int NOT NULL,
                completion_tokens int NOT NULL,
                cost_dollars double precision NOT NULL,
                latency_ms double precision NOT NULL,
                finish_reason text,
                tool_call_ids text[] NOT NULL DEFAULT '{}',
                content text,
                prompt_token_ids jsonb,
                completion_token_ids jsonb,
                logprobs jsonb
            );
            CREATE INDEX llm_calls_trajectory ON llm_calls (trajectory_id, occurred_at);
            """),
        PostgresMigration(component: "exporter", version: 2, name: "export filters, watermarks, shards", sql: """
            ALTER TABLE exports ADD COLUMN request jsonb, ADD COLUMN schedule_name text,
                ADD COLUMN watermark_stored_at timestamptz, ADD COLUMN watermark_trajectory_id text,
                ADD COLUMN files jsonb, ADD COLUMN location text, ADD COLUMN hub_url text;
            CREATE INDEX exports_schedule ON exports (schedule_name, finished_at) WHERE status = 'succeeded';
            """),
        // Batch ingest writes every index of tasks for every row: keep the
        // ones a read needs. Kept: the primary key (lookups, joins, ON
        // CONFLICT); tasks_created_id (the list's order and cursor, and every
        // created_at range, stats' window included); tasks_category_created
        // (?category=); tasks_tags (?tag=, now asked with @>, which GIN
        // serves). IF [NOT] EXISTS everywhere: safe to re-run by hand.
        PostgresMigration(component: "api", version: 3, name: "cheaper task indexes", sql: """
            -- tasks_created_id (created_at DESC, id DESC) serves the same ranges, scanned either way.
            DROP INDEX IF EXISTS tasks_created_at;
            -- Only tasks made from a template have a template_name (?template=): index just those.
            CREATE INDEX IF NOT EXISTS tasks_template_used ON tasks (template_name, template_version) WHERE template_name IS NOT NULL;
            DROP INDEX IF EXISTS tasks_template;
            -- Still unique (a retried submission finds its original), but only over the keys given.
            CREATE UNIQUE INDEX IF NOT EXISTS tasks_idempotency_key_given ON tasks (idempotency_key) WHERE idempotency_key IS NOT NULL;
            ALTER TABLE tasks DROP CONSTRAINT IF EXISTS tasks_idempotency_key_key;
            """),
        // A transition is stored as the collector wrote it (its canonical JSON, checked by json's
        // input) instead of parsed into jsonb: no reader looks inside it in SQL (the api and the
        // collector's assembly read the text, the exporter aggregates whole values), and jsonb's
        // parse was about 40% of Postgres's CPU per step event (docs/BENCHMARKS.md, "Collector
        // ingest"). Existing rows are rewritten as jsonb prints them, which is still JSON.
        PostgresMigration(component: "collector", version: 3, name: "transitions kept as written", sql: """
            ALTER TABLE transitions ALTER COLUMN transition TYPE json USING transition::json;
            """),
    ]
}
