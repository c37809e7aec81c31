#!/usr/bin/env bash
# Installs what the project needs from Debian's packages and PyPI, only when
# something is missing, so running it again is cheap.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

APT_PACKAGES=(pkg-config librdkafka-dev libhiredis-dev libpq-dev libcurl4-openssl-dev libssl-dev libzstd-dev libsnappy-dev
              redis-server postgresql docker.io debootstrap busybox-static kcat git chromium chromium-driver
              gcc valgrind)  # gcc: bench/llm-router/loadgen.c; valgrind: bench/queue/script_cost.py
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# module[:pip-package] when the two names differ.
# moto.server needs the [server] extra (flask); boto3 reads back what the S3 store wrote.
PY_PACKAGES=(pyarrow duckdb requests pytest openai schemathesis jsonschema yaml:pyyaml selenium datasets
             "moto.server:moto[server]" boto3 huggingface_hub)
py_missing=()
for entry in "${PY_PACKAGES[@]}"; do
  module=${entry%%:*} package=${entry#*:}
  python3 -c "import $module" 2>/dev/null || py_missing+=("$package")
done
if [ ${#py_missing[@]} -gt 0 ]; then
  log "installing Python test tools: ${py_missing[*]}"
  python3 -m pip install -q "${py_missing[@]}"
fi
