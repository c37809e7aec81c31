#!/usr/bin/env bash
# The main job: installs what is missing, starts the local stack and the six
# services, runs the example tasks through them (oracle model), and writes a
# Parquet dataset, printing its path and a summary.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$SYNTH_ROOT"

"$SYNTH_ROOT/scripts/install-deps.sh"
log "building (swift build; the first build takes a few minutes)"
mkdir -p "$SYNTH_HOME/logs"
swift build >"$SYNTH_HOME/logs/build.log" 2>&1 || { grep -E 'error:' "$SYNTH_HOME/logs/build.log" | sort -u | head -20 >&2; die "build failed: $SYNTH_HOME/logs/build.log"; }
"$SYNTH_ROOT/scripts/stack.sh" up
"$SYNTH_ROOT/scripts/services.sh" up
python3 "$SYNTH_ROOT/scripts/run_examples.py" "$@"
log "services are still running (scripts/services.sh status); stop them with: scripts/services.sh down && scripts/stack.sh down"
