#!/usr/bin/env bash
# Long simulator run under -Xmx1g: memory must be bounded by the in-flight state, not by the run length. Runs the
# bundled cache-eviction scenario for HOURS simulated hours (about 78,000 requests per hour; 1,300 h is about 10^8
# requests) and prints requests, wall time, throughput, heap after GC and peak RSS.
#
#   bench/sim-memory.sh [HOURS] [none|summary]        default: 150 none   (about 10^7 requests)
#
# SKIP_BUILD=1 reuses verdict-bench/target/benchmarks.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
hours="${1:-150}"
sink="${2:-none}"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -q -B -o -DskipTests -pl verdict-core,verdict-sim,verdict-bench package >/dev/null
fi
cmd=(java -Xmx1g -cp verdict-bench/target/benchmarks.jar dev.verdict.bench.SimulateLong "$hours" "$sink")
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f 'wall %e s (whole process)  peak RSS %M KiB (/usr/bin/time)' "${cmd[@]}"
else
  "${cmd[@]}"
fi
