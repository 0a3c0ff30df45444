#!/usr/bin/env bash
# Measures sandbox simulation throughput and memory per device (release build, one core).
# Usage: scripts/bench-sandbox.sh [devices] [ticks]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product gridlink-bench >/dev/null
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m); $(date -u +%Y-%m-%d)"
taskset -c 0 .build/release/gridlink-bench "${1:-100000}" "${2:-60}"
