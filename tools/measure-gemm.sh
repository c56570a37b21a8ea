#!/usr/bin/env bash
# Side-by-side square SGEMM throughput: Unroll's GemmThroughput against numpy (OpenBLAS), same
# sitting, alternating, a fresh process per point; prints every run and the median of each point.
# Usage (from the repository root, after `mvn -B -q package -DskipTests`):
#   tools/measure-gemm.sh [repeats]        JAVA_HOME selects the JDK (default: java on PATH)
# Each run takes the machine-wide lock /tmp/unroll-cpu.lock, so concurrent builds do not overlap.
set -euo pipefail
repeats=${1:-3}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jar=unroll-bench/target/benchmarks.jar
points=("1024 1" "1024 2" "150 1" "150 2")
declare -A results
for ((r = 1; r <= repeats; r++)); do
  for point in "${points[@]}"; do
    read -r size threads <<<"$point"
    unroll=$(flock /tmp/unroll-cpu.lock "$java" --add-modules jdk.incubator.vector -cp "$jar" \
      dev.unroll.bench.GemmThroughput "$size" "$threads" 2>/dev/null | sed -n 's/^gflops=//p')
    numpy=$(flock /tmp/unroll-cpu.lock env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$threads" \
      /usr/bin/python3 tools/numpy_sgemm.py "$size" | sed -n 's/^gflops=//p')
    echo "run $r size=$size threads=$threads unroll=$unroll numpy=$numpy"
    results["unroll $point"]+="$unroll "
    results["numpy $point"]+="$numpy "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
echo "median GFLOP/s (size threads: unroll numpy ratio)"
for point in "${points[@]}"; do
  u=$(echo "${results["unroll $point"]}" | median)
  n=$(echo "${results["numpy $point"]}" | median)
  echo "$point: $u $n $(awk -v u="$u" -v n="$n" 'BEGIN {printf "%.2f", u / n}')"
done
