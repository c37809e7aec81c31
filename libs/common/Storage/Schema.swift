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
    ]
}
