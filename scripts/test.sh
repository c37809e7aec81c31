#!/usr/bin/env bash
# Runs every test: unit and integration tests (swift test) against the real
# local stack, then the end-to-end suite through all six service processes.
# Installs what is missing and starts the stack first, so it works on a fresh
# machine; .ci/run calls exactly this.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$SYNTH_ROOT"

"$SYNTH_ROOT/scripts/install-deps.sh"
mkdir -p "$SYNTH_HOME/logs"
log "building services and tests"
swift build --build-tests >"$SYNTH_HOME/logs/build.log" 2>&1 || {
  grep -E 'error:' "$SYNTH_HOME/logs/build.log" | sort -u | head -30 >&2; die "build failed: $SYNTH_HOME/logs/build.log"; }
"$SYNTH_ROOT/scripts/stack.sh" up
# The end-to-end suite starts its own service processes; a dev set would
# share their consumer groups and queue.
"$SYNTH_ROOT/scripts/services.sh" down

status=0
log "swift test (unit and integration; full log: $SYNTH_HOME/logs/swift-test.log)"
SYNTH_BIN_DIR="$SYNTH_BUILD_DIR/debug" swift test --skip-build >"$SYNTH_HOME/logs/swift-test.log" 2>&1 || status=1
# Failures in full, passes as one summary line each.
grep -vE '^(✔|◇|↳|\[)' "$SYNTH_HOME/logs/swift-test.log" | grep -vE '^(Test Suite|Test Case).*(started|passed)' || true
grep -E '^✔ Test run with|^✘ Test run with|Executed [0-9]+ tests' "$SYNTH_HOME/logs/swift-test.log" | tail -3 || true

# Three pytest sessions, each with freshly started services: the kill -9
# tests must not inherit queue load from the fuzzing tests, and the hostile
# suite sets aggressive reaper timings for its own services only.
isolated=(Tests/e2e/test_chaos.py Tests/e2e/test_collector_assembly.py Tests/e2e/test_hostile.py)
log "end-to-end suite (pytest Tests/e2e)"
python3 -m pytest -q -p no:cacheprovider Tests/e2e $(printf -- '--ignore=%s ' "${isolated[@]}") || status=1
log "end-to-end: kill -9 and collector assembly"
python3 -m pytest -q -p no:cacheprovider Tests/e2e/test_chaos.py Tests/e2e/test_collector_assembly.py || status=1
log "end-to-end: hostile tasks"
python3 -m pytest -q -p no:cacheprovider Tests/e2e/test_hostile.py || status=1
exit $status
