#!/usr/bin/env bash
# Builds the base image the example tasks run in, without any registry: a
# minimal Debian rootfs made by debootstrap from the machine's own apt source,
# imported into Docker through the Engine API. Built once, then cached.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

api() { curl -fsS --unix-socket "$SYNTH_DOCKER_SOCKET" "$@"; }
repo=${SYNTH_BASE_IMAGE%:*} tag=${SYNTH_BASE_IMAGE##*:}
if api "http://docker/v1.41/images/$SYNTH_BASE_IMAGE/json" >/dev/null 2>&1; then
  exit 0
fi

# Use the mirror apt is already configured with (deb822 or one-line format).
mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$mirror" ] || die "no Debian mirror found in apt's sources"
suite=$(. /etc/os-release && echo "$VERSION_CODENAME")

work=$(mktemp -d /var/tmp/synth-rootfs.XXXXXX)
trap 'rm -rf "$work"' EXIT
log "building $SYNTH_BASE_IMAGE: debootstrap $suite (python3, pytest) — about a minute, once"
debootstrap --variant=minbase --include=python3,python3-pytest,ca-certificates "$suite" "$work/rootfs" "$mirror" \
  >"$SYNTH_HOME/logs/debootstrap.log" 2>&1 || die "debootstrap failed: see $SYNTH_HOME/logs/debootstrap.log"
rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
mkdir -p "$work/rootfs/workspace"
tar -C "$work/rootfs" -cf "$work/rootfs.tar" .
api -X POST -H 'Content-Type: application/x-tar' --data-binary @"$work/rootfs.tar" \
  "http://docker/v1.41/images/create?fromSrc=-&repo=$repo&tag=$tag&changes=WORKDIR%20%2Fworkspace&changes=CMD%20%5B%22sleep%22%2C%22infinity%22%5D" >/dev/null
api "http://docker/v1.41/images/$SYNTH_BASE_IMAGE/json" >/dev/null || die "image import failed"
log "built $SYNTH_BASE_IMAGE"
