#!/usr/bin/env bash
# Scale benchmark: verdict analyze vs DuckDB's bare GROUP BY over the same Parquet log, both as whole
# JVM processes (start-up included), verdict held to -Xmx512m. Prints wall time and peak RSS of each.
#
#   bench/scale.sh [ROWS ...]        default: 100000000
#
# Data goes to bench/data/ (git-ignored); results to bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=("${@:-100000000}")
./mvnw -q -B -DskipTests package >/dev/null
mkdir -p bench/data bench/results
measure() { # label, command...
  local label="$1"; shift
  local rc=0
  /usr/bin/time -f '%e %M' -o /tmp/verdict-bench-time "$@" >/dev/null 2>/tmp/verdict-bench-err || rc=$?
  read -r secs kib < <(tail -1 /tmp/verdict-bench-time)
  printf '%-28s %9s s %8s MiB peak RSS  (exit %s)\n' "$label" "$secs" "$((kib / 1024))" "$rc"
}
for n in "${rows[@]}"; do
  log="bench/data/requests-$n.parquet"
  [ -f "$log" ] || java -cp verdict-bench/target/benchmarks.jar dev.verdict.bench.GenerateLog "$n" "$log"
  sed "s|@DATA@|$(pwd)/$log|" bench/spec.yaml > "bench/data/spec-$n.yaml"
  echo "== $n rows ($(du -h "$log" | cut -f1))"
  for i in 1 2; do
    measure "duckdb bare GROUP BY" java -cp verdict-bench/target/benchmarks.jar dev.verdict.bench.BareGroupBy "$log"
    measure "verdict analyze -Xmx512m" java -Xmx512m -jar verdict-cli/target/verdict.jar analyze "bench/data/spec-$n.yaml" --out "bench/results/out-$n"
  done
done
