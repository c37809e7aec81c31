#!/usr/bin/env bash
# Starts and stops the six synth services against the local stack.
#   scripts/services.sh up       start any that are not running, wait until ready
#   scripts/services.sh down     SIGTERM each (graceful), then wait
#   scripts/services.sh status
#   scripts/services.sh env      the environment the services get, NUL-separated
#                                (for tests that start one more process of the set)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# name:port; SYNTH_PORT_BASE moves the whole set.
base=${SYNTH_PORT_BASE:-8400}
SERVICES=(api:$base llm-router:$((base + 1)) scheduler:$((base + 2)) executor:$((base + 3)) collector:$((base + 4)) exporter:$((base + 5)))
# The api requires a bearer key; install the local stack's one (id "local-admin").
export SYNTH_API_KEYS=${SYNTH_API_KEYS:-local-admin:$SYNTH_API_KEY}
export SYNTH_ROUTER_URL=${SYNTH_ROUTER_URL:-http://127.0.0.1:$((base + 1))/v1}
bin_dir="$SYNTH_BUILD_DIR/debug"
mkdir -p "$SYNTH_HOME/logs" "$SYNTH_HOME/pids"

running() { local pid; pid=$(cat "$SYNTH_HOME/pids/$1.pid" 2>/dev/null || true); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }
ready() { curl -fsS --max-time 2 "http://127.0.0.1:$1/ready" >/dev/null 2>&1; }

case "${1:-up}" in
  up)
    for entry in "${SERVICES[@]}"; do
      name=${entry%%:*} port=${entry##*:}
      running "$name" && continue
      [ -x "$bin_dir/synth-$name" ] || die "$bin_dir/synth-$name is not built (swift build)"
      SYNTH_HTTP_PORT=$port nohup "$bin_dir/synth-$name" >>"$SYNTH_HOME/logs/$name.log" 2>&1 &
      echo $! >"$SYNTH_HOME/pids/$name.pid"
    done
    for entry in "${SERVICES[@]}"; do
      name=${entry%%:*} port=${entry##*:}
      wait_for "synth-$name to be ready (log: $SYNTH_HOME/logs/$name.log)" 60 ready "$port" || {
        tail -5 "$SYNTH_HOME/logs/$name.log" >&2; exit 1; }
    done
    log "six services ready: ${SERVICES[*]}"
    ;;
  down)
    for entry in "${SERVICES[@]}"; do
      name=${entry%%:*}
      running "$name" && kill -TERM "$(cat "$SYNTH_HOME/pids/$name.pid")" 2>/dev/null || true
    done
    for entry in "${SERVICES[@]}"; do
      name=${entry%%:*}
      for _ in $(seq 150); do running "$name" || break; sleep 0.2; done
      running "$name" && { log "synth-$name did not stop in 30 s; killing"; kill -KILL "$(cat "$SYNTH_HOME/pids/$name.pid")"; }
      rm -f "$SYNTH_HOME/pids/$name.pid"
    done
    ;;
  status)
    for entry in "${SERVICES[@]}"; do
      name=${entry%%:*} port=${entry##*:}
      if ready "$port"; then printf '  %-11s ready  :%s\n' "$name" "$port"; elif running "$name"; then printf '  %-11s up (not ready) :%s\n' "$name" "$port"; else printf '  %-11s down\n' "$name"; fi
    done
    ;;
  env) env -0 ;;
  *) die "usage: $0 up|down|status|env" ;;
esac
