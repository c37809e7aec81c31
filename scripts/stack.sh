#!/usr/bin/env bash
# The local stack on 127.0.0.1: Redis (AOF on), PostgreSQL, dockerd and the
# Kafka dev broker, plus the base image the example tasks run in.
#   scripts/stack.sh up       install what is missing and start everything (idempotent)
#   scripts/stack.sh down     stop what `up` started
#   scripts/stack.sh status   one line per component
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mkdir -p "$SYNTH_HOME/logs" "$SYNTH_HOME/redis"

redis_up() { redis-cli -h 127.0.0.1 -p "$SYNTH_REDIS_PORT" ping 2>/dev/null | grep -q PONG; }
pg_up() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$SYNTH_PG_PORT"; }
docker_up() { curl -fsS --max-time 2 --unix-socket "$SYNTH_DOCKER_SOCKET" http://docker/_ping >/dev/null 2>&1; }
broker_pid() { cat "$SYNTH_HOME/dev-broker.pid" 2>/dev/null || true; }
broker_up() { local pid; pid=$(broker_pid); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ -s "$SYNTH_KAFKA_BOOTSTRAP_FILE" ]; }

# zset-max-listpack-entries 0: the queue's sorted sets are skip lists from the
# first member. A small sorted set is otherwise a listpack, and every insert
# walks it, parsing each member's score from text; the ready set empties and
# refills all the time, so it would live in that form (ARCHITECTURE.md "The queue").
start_redis() {
  if redis_up; then
    redis-cli -h 127.0.0.1 -p "$SYNTH_REDIS_PORT" CONFIG SET zset-max-listpack-entries 0 >/dev/null
    return 0
  fi
  log "starting Redis on 127.0.0.1:$SYNTH_REDIS_PORT (AOF on)"
  redis-server --bind 127.0.0.1 --port "$SYNTH_REDIS_PORT" --dir "$SYNTH_HOME/redis" \
    --appendonly yes --appendfsync everysec --save "" --databases 64 --zset-max-listpack-entries 0 --daemonize yes \
    --pidfile "$SYNTH_HOME/redis.pid" --logfile "$SYNTH_HOME/logs/redis.log"
  wait_for Redis 20 redis_up
}

start_postgres() {
  pg_up && return 0
  if [ ! -s "$SYNTH_PGDATA/PG_VERSION" ]; then
    log "initialising PostgreSQL data directory $SYNTH_PGDATA"
    mkdir -p "$SYNTH_PGDATA" && chown postgres:postgres "$SYNTH_PGDATA" && chmod 700 "$SYNTH_PGDATA"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$SYNTH_PGDATA" -U synth --auth=trust -E UTF8 >/dev/null
  fi
  log "starting PostgreSQL on 127.0.0.1:$SYNTH_PG_PORT"
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$SYNTH_PGDATA" -l "$SYNTH_PGDATA/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$SYNTH_PG_PORT -c unix_socket_directories=$SYNTH_PGDATA -c max_connections=200 -c fsync=on" \
    start >/dev/null
  wait_for PostgreSQL 30 pg_up
}

ensure_database() {
  psql -h 127.0.0.1 -p "$SYNTH_PG_PORT" -U synth -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$SYNTH_PG_DB'" | grep -q 1 ||
    psql -h 127.0.0.1 -p "$SYNTH_PG_PORT" -U synth -d postgres -qc "CREATE DATABASE \"$SYNTH_PG_DB\"" >/dev/null
}

start_docker() {
  docker_up && return 0
  log "starting dockerd"
  # Its own session: dockerd is shared by every stack on the machine, so a
  # killed test run's process group must not take it down (Redis and
  # PostgreSQL daemonize themselves).
  setsid nohup dockerd --host "unix://$SYNTH_DOCKER_SOCKET" >"$SYNTH_HOME/logs/dockerd.log" 2>&1 &
  echo $! >"$SYNTH_HOME/dockerd.pid"
  wait_for dockerd 60 docker_up
}

start_broker() {
  broker_up && return 0
  local bin="$SYNTH_BUILD_DIR/debug/synth-dev-broker"
  [ -x "$bin" ] || (cd "$SYNTH_ROOT" && swift build --product synth-dev-broker >/dev/null) || die "could not build synth-dev-broker"
  log "starting the Kafka dev broker (librdkafka mock cluster)"
  rm -f "$SYNTH_KAFKA_BOOTSTRAP_FILE"
  nohup "$bin" --bootstrap-file "$SYNTH_KAFKA_BOOTSTRAP_FILE" >"$SYNTH_HOME/logs/dev-broker.log" 2>&1 &
  echo $! >"$SYNTH_HOME/dev-broker.pid"
  wait_for "the dev broker" 30 test -s "$SYNTH_KAFKA_BOOTSTRAP_FILE"
}

stop_pidfile() {
  local name=$1 file=$2 pid
  pid=$(cat "$file" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    log "stopping $name"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

case "${1:-up}" in
  up)
    "$SYNTH_ROOT/scripts/install-deps.sh"
    start_redis
    start_postgres
    ensure_database
    start_docker
    "$SYNTH_ROOT/scripts/base-image.sh"
    start_broker
    "$0" status
    ;;
  down)
    stop_pidfile "the dev broker" "$SYNTH_HOME/dev-broker.pid"
    redis_up && { log "stopping Redis"; redis-cli -h 127.0.0.1 -p "$SYNTH_REDIS_PORT" shutdown >/dev/null 2>&1 || true; }
    pg_up && { log "stopping PostgreSQL"; runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$SYNTH_PGDATA" -m fast stop >/dev/null || true; }
    # dockerd is stopped only if this script started it: it may be the machine's own.
    stop_pidfile dockerd "$SYNTH_HOME/dockerd.pid"
    ;;
  status)
    st() { if "$2"; then printf '  %-10s up    %s\n' "$1" "$3"; else printf '  %-10s down\n' "$1"; fi; }
    st redis redis_up "127.0.0.1:$SYNTH_REDIS_PORT"
    st postgres pg_up "127.0.0.1:$SYNTH_PG_PORT"
    st dockerd docker_up "$SYNTH_DOCKER_SOCKET"
    st kafka broker_up "$(cat "$SYNTH_KAFKA_BOOTSTRAP_FILE" 2>/dev/null)"
    ;;
  *) die "usage: $0 up|down|status" ;;
esac
