#!/usr/bin/env bash
# Scale benchmark: verdict analyze (DuckDB, -Xmx512m; and Spark local[2], -Xmx2g, unless SPARK=0) against DuckDB's
# bare GROUP BY over the same Parquet log, all as whole JVM processes (start-up included), in one run. Prints wall
# time and peak RSS of each; run it with several sizes to see how time and memory scale.
#
#   bench/scale.sh [ROWS ...]        default: 100000000        SPARK=0 bench/scale.sh ...  skips Spark
#
# Data goes to bench/data/ (git-ignored); results to bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=("${@:-100000000}")
modules=verdict-cli,verdict-bench
[ "${SPARK:-1}" = 0 ] || modules="$modules,verdict-spark"
./mvnw -q -B -DskipTests -pl "$modules" -am package >/dev/null
mkdir -p bench/data bench/results
measure() { # label, command...
  local label="$1"; shift
  local rc=0
  /usr/bin/time -f '%e %M' -o /tmp/verdict-bench-time "$@" >/dev/null 2>/tmp/verdict-bench-err || rc=$?
  read -r secs kib < <(tail -1 /tmp/verdict-bench-time)
  printf '%-32s %9s s %8s MiB peak RSS  (exit %s)\n' "$label" "$secs" "$((kib / 1024))" "$rc"
}
for n in "${rows[@]}"; do
  log="bench/data/requests-$n.parquet"
  [ -f "$log" ] || java -cp verdict-bench/target/benchmarks.jar dev.verdict.bench.GenerateLog "$n" "$log"
  sed "s|@DATA@|$(pwd)/$log|" bench/spec.yaml > "bench/data/spec-$n.yaml"
  echo "== $n rows ($(du -h "$log" | cut -f1))"
  for i in 1 2; do
    measure "duckdb bare GROUP BY" java -cp verdict-bench/target/benchmarks.jar dev.verdict.bench.BareGroupBy "$log"
    measure "verdict analyze duckdb -Xmx512m" java -Xmx512m -jar verdict-cli/target/verdict.jar analyze \
      "bench/data/spec-$n.yaml" --out "bench/results/out-$n"
    if [ "${SPARK:-1}" != 0 ]; then
      VERDICT_JAVA_OPTS=-Xmx2g measure "verdict analyze spark local[2]" ./verdict analyze "bench/data/spec-$n.yaml" \
        --out "bench/results/out-spark-$n" --engine spark --master 'local[2]'
    fi
  done
done
