# Shared settings for the project's scripts: where the local stack lives and
# which ports it uses. Sourced, never run. Every value can be overridden from
# the environment, so two stacks can live side by side on one machine.
SYNTH_ROOT=${SYNTH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
SYNTH_HOME=${SYNTH_HOME:-$SYNTH_ROOT/.synth}
SYNTH_REDIS_PORT=${SYNTH_REDIS_PORT:-16379}
SYNTH_PG_PORT=${SYNTH_PG_PORT:-15432}
# PostgreSQL refuses to run as root and must be able to reach its data
# directory, which a clone under /root may not allow: keep it under /var/tmp.
SYNTH_PGDATA=${SYNTH_PGDATA:-/var/tmp/synth-postgres-$SYNTH_PG_PORT}
SYNTH_DOCKER_SOCKET=${SYNTH_DOCKER_SOCKET:-/var/run/docker.sock}
SYNTH_BASE_IMAGE=${SYNTH_BASE_IMAGE:-synth-python:bookworm}
SYNTH_KAFKA_BOOTSTRAP_FILE=${SYNTH_KAFKA_BOOTSTRAP_FILE:-$SYNTH_HOME/kafka.bootstrap}
SYNTH_BUILD_DIR=${SYNTH_BUILD_DIR:-$SYNTH_ROOT/.build}
# Several stacks can share one Redis and one PostgreSQL server: each takes its
# own Redis database (0-31; the tests of stack N use 32+N and 48+N),
# PostgreSQL database, SYNTH_HOME (own dev broker) and SYNTH_PORT_BASE.
SYNTH_REDIS_DB=${SYNTH_REDIS_DB:-0}
# The api's bearer key for the local stack; services.sh installs it (SYNTH_API_KEYS).
SYNTH_API_KEY=${SYNTH_API_KEY:-synth-local-dev-key}
SYNTH_PG_DB=${SYNTH_PG_DB:-synth}
SYNTH_DATABASE_URL=${SYNTH_DATABASE_URL:-postgresql://synth@127.0.0.1:$SYNTH_PG_PORT/$SYNTH_PG_DB}
SYNTH_REDIS_URL=${SYNTH_REDIS_URL:-redis://127.0.0.1:$SYNTH_REDIS_PORT/$SYNTH_REDIS_DB}
export SYNTH_API_KEY SYNTH_REDIS_DB SYNTH_PG_DB SYNTH_ROOT SYNTH_HOME SYNTH_REDIS_PORT SYNTH_PG_PORT SYNTH_PGDATA SYNTH_DOCKER_SOCKET \
       SYNTH_BASE_IMAGE SYNTH_KAFKA_BOOTSTRAP_FILE SYNTH_DATABASE_URL SYNTH_REDIS_URL

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}

log() { printf '[synth] %s\n' "$*" >&2; }
die() { printf '[synth] error: %s\n' "$*" >&2; exit 1; }

# wait_for DESCRIPTION SECONDS COMMAND...: polls until COMMAND succeeds.
wait_for() {
  local what=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { log "timed out after ${seconds}s waiting for $what"; return 1; }
    sleep 0.2
  done
}
