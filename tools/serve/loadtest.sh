#!/usr/bin/env bash
# Load test of `unroll serve` from a second process on loopback, with wrk:
#
#   tools/serve/loadtest.sh MODEL BODY [SECONDS] [CONNECTIONS] [SCRIPT] [ENDPOINT]
#
# Starts the server on MODEL (a fresh JVM, port $PORT or 18080), sends 10 s of the same load to warm
# it up, then runs `wrk -t$WRK_THREADS -c CONNECTIONS -d SECONDS --latency` with the Lua SCRIPT
# (post.lua: every request is BODY; mixed.lua: every 10th is malformed) against ENDPOINT (/predict),
# sampling the server's resident memory every 5 s. Prints wrk's report, the RSS samples, and the
# server's request counters and its own latency histogram (arrival to answer) from /metrics; then stops the server with SIGTERM and prints its last
# lines. Defaults: 60 s, 64 connections, post.lua, 1 wrk thread; JAVA_OPTS go to the server's JVM.
# Wrap it in the shared CPU lock: flock /tmp/unroll-cpu.lock tools/serve/loadtest.sh ...
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
model=$1
body=$2
seconds=${3:-60}
connections=${4:-64}
script=${5:-post.lua}
endpoint=${6:-/predict}
port=${PORT:-18080}
wrk_threads=${WRK_THREADS:-1}
java_cmd=${JAVA_HOME:+$JAVA_HOME/bin/}java

"$root/unroll" --version >/dev/null   # builds unroll-cli/target/unroll.jar if needed
log=$(mktemp)
# shellcheck disable=SC2086
"$java_cmd" --add-modules jdk.incubator.vector ${JAVA_OPTS:-} -jar "$root/unroll-cli/target/unroll.jar" \
  serve --model "$model" --port "$port" ${SERVE_OPTS:-} > "$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do
  grep -q '^serving on' "$log" && break
  sleep 0.1
done
grep '^model:\|^loaded\|^serving' "$log"
url="http://127.0.0.1:$port$endpoint"

echo "warm-up: 10 s"
BODY=$body wrk -t"$wrk_threads" -c"$connections" -d10s -s "$here/$script" "$url" > /dev/null

rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
samples=()
( for _ in $(seq $((seconds / 5))); do sleep 5; echo "$(rss)"; done ) > "$log.rss" &
sampler=$!
echo "load: $connections connections, $seconds s, $script on $endpoint, wrk threads $wrk_threads"
BODY=$body wrk -t"$wrk_threads" -c"$connections" -d"${seconds}s" --latency --timeout 10s -s "$here/$script" "$url"
wait $sampler || true
mapfile -t samples < "$log.rss"
rm -f "$log.rss"
echo "server RSS every 5 s (MB): $(for s in "${samples[@]}"; do printf '%d ' $((s / 1024)); done)"
echo "server counters:"
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^unroll_(requests|errors|loop_batches|loop_batched_sequences)_total|^unroll_request_duration_seconds_bucket\{endpoint="'"$endpoint"'"' || true
kill -TERM $pid
wait $pid || true
tail -2 "$log"
