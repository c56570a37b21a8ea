#!/usr/bin/env bash
# Unroll against PyTorch on issue 12's text tasks, same machine, same sitting: the two sides alternate,
# each run under the machine's CPU lock (/tmp/unroll-cpu.lock), REPS repetitions each (repetition i seeds both
# sides with SEED_BASE + i, SEED_BASE 41 by default: medians over seeds, not copies of one run); logs and a summary
# (the last line of each run, and the median seconds per epoch after the first) go to OUT.
#
#   tools/text/compare.sh DATA_DIR OUT [REPS] [TASKS]     TASKS: words sentences lm (default: all three)
#
# DATA_DIR is what ../shared/data/fetch-text wrote. Needs the CLI built (./unroll builds it) and PyTorch
# (PYTHON, default /work/venv/bin/python: PyTorch 2.13 CPU). Threads: 2 on both sides.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=$1
out=$2
reps=${3:-2}
tasks=${4:-words sentences lm}
python=${PYTHON:-/work/venv/bin/python}
lock=${LOCK:-/tmp/unroll-cpu.lock}
mkdir -p "$out"
epochs_words=${EPOCHS_WORDS:-10}
epochs_sentences=${EPOCHS_SENTENCES:-5}
epochs_lm=${EPOCHS_LM:-2}
lm_units=${LM_UNITS:-256}
seed_base=${SEED_BASE:-41}

unroll_run() {
  local seed=$2
  case $1 in
    words) flock "$lock" "$root/unroll" classify --tsv "$data/words.train.tsv" --test "$data/words.test.tsv" \
             --epochs "$epochs_words" --threads 2 --seed "$seed" --out "$out/unroll-words" ;;
    sentences) flock "$lock" "$root/unroll" classify --tsv "$data/sentences.train.tsv" --test "$data/sentences.test.tsv" \
             --epochs "$epochs_sentences" --threads 2 --seed "$seed" --out "$out/unroll-sentences" ;;
    lm) flock "$lock" "$root/unroll" text train --text "$data/fortunes-en.train.txt" --test "$data/fortunes-en.test.txt" \
             --units "$lm_units" --epochs "$epochs_lm" --threads 2 --seed "$seed" --out "$out/unroll-lm" ;;
  esac
}

torch_run() {
  local seed=$2
  case $1 in
    words) flock "$lock" "$python" "$root/tools/text/torch_text.py" classify "$data/words.train.tsv" "$data/words.test.tsv" \
             --epochs "$epochs_words" --threads 2 --seed "$seed" ;;
    sentences) flock "$lock" "$python" "$root/tools/text/torch_text.py" classify "$data/sentences.train.tsv" \
             "$data/sentences.test.tsv" --epochs "$epochs_sentences" --threads 2 --seed "$seed" ;;
    lm) flock "$lock" "$python" "$root/tools/text/torch_text.py" lm "$data/fortunes-en.train.txt" "$data/fortunes-en.test.txt" \
             --hidden "$lm_units" --epochs "$epochs_lm" --threads 2 --seed "$seed" ;;
  esac
}

for task in $tasks; do
  for rep in $(seq 1 "$reps"); do
    unroll_run "$task" $((seed_base + rep)) > "$out/unroll-$task-$rep.log" 2>&1 || echo "failed: exit $?" >> "$out/unroll-$task-$rep.log"
    torch_run "$task" $((seed_base + rep)) > "$out/torch-$task-$rep.log" 2>&1 || echo "failed: exit $?" >> "$out/torch-$task-$rep.log"
  done
done

# Seconds per epoch: every epoch line's last "N s" figure but the first epoch's (warm-up), median over all runs.
summary() {
  local side=$1 task=$2
  cat "$out/$side-$task-"*.log | grep -E '^epoch ' | grep -vE '^epoch +1/' \
    | grep -oE '[0-9.]+ s( |$)' | awk '{print $1}' | sort -n \
    | awk '{a[NR]=$1} END {if (NR) print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2); else print "-"}'
}
{
  for task in $tasks; do
    for side in unroll torch; do
      echo "$side $task: median s/epoch (after the first) $(summary "$side" "$task"); last lines: $(for f in "$out/$side-$task-"*.log; do tail -1 "$f"; done | tr '\n' ' ')"
    done
  done
} | tee "$out/summary.txt"
