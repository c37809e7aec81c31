# syntax=docker/dockerfile:1
# One image holds all six services (and the dev broker); compose picks the
# executable per service. Multi-stage: the toolchain and -dev packages stay in
# the build stage, the runtime image carries only the shared libraries.

FROM swift:6.3-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends pkg-config librdkafka-dev libhiredis-dev libpq-dev \
      libcurl4-openssl-dev libzstd-dev libsnappy-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Manifest first so dependency resolution is cached across source changes.
COPY Package.swift ./
RUN swift package resolve
COPY libs libs
COPY services services
COPY tools tools
COPY Tests Tests
RUN swift build -c release --static-swift-stdlib \
 && mkdir -p /out \
 && find .build/release -maxdepth 1 -type f -perm -u+x -name 'synth-*' -exec cp {} /out/ \;

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends librdkafka1 libhiredis0.14 libpq5 libcurl4 libzstd1 libsnappy1v5 \
      ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/synth --create-home synth
COPY --from=build /out/ /usr/local/bin/
USER synth
WORKDIR /var/lib/synth
ENV SYNTH_HTTP_HOST=0.0.0.0 SYNTH_HOME=/var/lib/synth
# Secrets (database password, API keys) come from the environment or *_FILE
# mounts at run time; nothing secret is baked in.
