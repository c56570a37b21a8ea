#!/usr/bin/env bash
# Side-by-side square SGEMM throughput: Unroll's GemmThroughput against Debian's numpy (OpenBLAS)
# and, when a PyTorch 2.x environment is there, its torch.mm (MKL) and its pip numpy (the OpenBLAS
# its wheel bundles); same sitting, alternating, a fresh process per point; prints every run and
# the median of each point, and each peer's ratio to Unroll.
# Usage (from the repository root, after `mvn -B -q package -DskipTests`):
#   tools/measure-gemm.sh [repeats]        JAVA_HOME selects the JDK (default: java on PATH)
# The PyTorch 2.x python is $UNROLL_TORCH2_PYTHON, or ../venv/bin/python (as for
# tools/compare_with_pytorch.py). Each run takes the machine-wide lock /tmp/unroll-cpu.lock, so
# concurrent builds do not overlap.
set -euo pipefail
repeats=${1:-3}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jar=unroll-bench/target/benchmarks.jar
torch2=${UNROLL_TORCH2_PYTHON:-../venv/bin/python}
points=("1024 1" "1024 2" "150 1" "150 2")
peers=(debian-numpy)
if [ -x "$torch2" ] && "$torch2" -c 'import torch' 2>/dev/null; then
  peers+=(torch2-mm pip-numpy)
fi
peer() { # NAME SIZE THREADS
  local python=/usr/bin/python3 library=numpy
  case $1 in
    torch2-mm) python=$torch2 library=torch ;;
    pip-numpy) python=$torch2 ;;
  esac
  flock /tmp/unroll-cpu.lock env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$3" OMP_NUM_THREADS="$3" \
    "$python" tools/peer_sgemm.py "$2" "$3" "$library" | sed -n 's/^gflops=//p'
}
declare -A results
for ((r = 1; r <= repeats; r++)); do
  for point in "${points[@]}"; do
    read -r size threads <<<"$point"
    line="run $r size=$size threads=$threads"
    unroll=$(flock /tmp/unroll-cpu.lock "$java" --add-modules jdk.incubator.vector -cp "$jar" \
      dev.unroll.bench.GemmThroughput "$size" "$threads" 2>/dev/null | sed -n 's/^gflops=//p')
    results["unroll $point"]+="$unroll "
    line+=" unroll=$unroll"
    for p in "${peers[@]}"; do
      g=$(peer "$p" "$size" "$threads")
      results["$p $point"]+="$g "
      line+=" $p=$g"
    done
    echo "$line"
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
echo "median GFLOP/s (size threads: unroll, then each peer and unroll / peer)"
for point in "${points[@]}"; do
  u=$(echo "${results["unroll $point"]}" | median)
  line="$point: unroll $u"
  for p in "${peers[@]}"; do
    g=$(echo "${results["$p $point"]}" | median)
    line+="  $p $g ($(awk -v u="$u" -v g="$g" 'BEGIN {printf "%.2f", u / g}'))"
  done
  echo "$line"
done
