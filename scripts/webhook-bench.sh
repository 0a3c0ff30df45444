#!/usr/bin/env bash
# Measures webhook delivery through the release `gridlink` binary to a local receiver on 127.0.0.1:
# change-to-receipt latency (p50/p99), sustained and burst events per second, and that every outbox
# event arrived at least once. See Sources/GridlinkBenchmarks/WebhookBenchmark.swift for the phases.
# Usage: scripts/webhook-bench.sh [--baseline PATH_TO_OLDER_GRIDLINK] [more gridlink-bench webhooks options]
set -euo pipefail
cd "$(dirname "$0")/.."
for product in gridlink gridlink-bench; do
    if ! log=$(swift build -c release --product "$product" 2>&1); then echo "$log"; exit 1; fi
done
echo "machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m); $(date -u +%Y-%m-%d)"
.build/release/gridlink-bench webhooks --binary .build/release/gridlink "$@"
