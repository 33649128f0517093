#!/usr/bin/env bash
# Coverage of the readouts' nominal 95% intervals against the ideal experiment's true effect, for the designs that
# contain interference, with 10-20 units (issue 5: coverage within [93%, 97%] over at least 500 replicates).
# Usage: bench/coverage-study.sh [REPLICATES] [DESIGNS]    e.g. bench/coverage-study.sh 500 switchback,cluster
# Runs ./verdict lab on bench/coverage-cache.yaml; writes out/coverage/lab.json and prints the lab's table.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
reps="${1:-500}"
designs="${2:-switchback,cluster}"
cd "$here"
time ./verdict lab bench/coverage-cache.yaml --designs "$designs" --replicates "$reps" --out out/coverage
