#!/usr/bin/python3
"""Unroll against PyTorch on the peer workloads W1-W7, side by side, in one sitting.

For each repetition, thread count and workload it runs Unroll (dev.unroll.bench.Workloads, fresh
JVM) and then PyTorch (../shared/peers/torch_bench.py, fresh process), each printing the median
of its own timed repetitions; then it reports the median over repetitions of each, and the ratio
of Unroll's best thread count to PyTorch's best thread count.

PyTorch runs with OpenBLAS's machine overrides removed; at 2 threads it uses the OpenMP build of
OpenBLAS (Debian's libopenblas0-openmp, picked with LD_LIBRARY_PATH), which the peers README found
to be PyTorch's best 2-thread setting. Every run holds /tmp/unroll-cpu.lock (no other build or
benchmark runs at the same time).

    mvn -B -q -DskipTests package -pl unroll-bench -am
    /usr/bin/python3 tools/compare_with_pytorch.py --reps 3 --out docs/benchmarks.json
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEER = os.path.join(ROOT, '..', 'shared', 'peers', 'torch_bench.py')
JAR = os.environ.get('UNROLL_BENCH_JAR', os.path.join(ROOT, 'unroll-bench', 'target', 'benchmarks.jar'))
LOCK = '/tmp/unroll-cpu.lock'
OPENMP_BLAS = '/usr/lib/x86_64-linux-gnu/openblas-openmp'

# Unroll id -> (torch_bench --only id, torch_bench workload name, figure key, higher is better)
WORKLOADS = {
    'W1': ('W1', 'W1_seqclass_rnn150', 'steps_per_s', True),
    'W2': ('W2', 'W2_timeseries_relu100', 'steps_per_s', True),
    'W3': ('W3', 'W3_deep_tanh3x100', 'steps_per_s', True),
    'W4a': ('W4', 'W4a_gen_window_rerun', 'us_per_value', False),
    'W4b': ('W4', 'W4b_gen_hidden_carry', 'us_per_value', False),
    'W5': ('W5', 'W5_large_tanh512_T100', 'steps_per_s', True),
    'W6-lstm': ('W6LSTM', 'W6_LSTM150', 'steps_per_s', True),
    'W6-gru': ('W6GRU', 'W6_GRU150', 'steps_per_s', True),
    'W7': ('W7', 'W7_infer_rnn150_chunk1000', 'seq_per_s', True),
}


def run_unroll(workload, threads):
    cmd = ['flock', LOCK, 'java', '--add-modules', 'jdk.incubator.vector',
           '-cp', JAR, 'dev.unroll.bench.Workloads', workload, str(threads)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()
    key, value = out[-1].split('=')
    return float(value)


def run_torch(workload, threads, cache):
    only, name, key, _ = WORKLOADS[workload]
    if (only, threads) not in cache:   # W4 measures W4a and W4b in one run
        env = {k: v for k, v in os.environ.items() if k not in ('OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE')}
        env['OPENBLAS_NUM_THREADS'] = str(threads)
        if threads > 1:
            env['LD_LIBRARY_PATH'] = OPENMP_BLAS
        with tempfile.NamedTemporaryFile(suffix='.json') as f:
            subprocess.run(['flock', LOCK, '/usr/bin/python3', PEER, 'speed', '--threads', str(threads), '--only', only,
                            '--out', f.name], env=env, capture_output=True, text=True, check=True)
            cache[(only, threads)] = json.load(open(f.name))
    for r in cache[(only, threads)]['results']:
        if r['workload'] == name:
            return r[key]['median']
    raise KeyError(name)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--reps', type=int, default=3)
    p.add_argument('--threads', default='1,2')
    p.add_argument('--only', default=','.join(WORKLOADS))
    p.add_argument('--out', default=None)
    args = p.parse_args()
    threads = [int(t) for t in args.threads.split(',')]
    ids = args.only.split(',')
    runs = {w: {t: {'unroll': [], 'pytorch': []} for t in threads} for w in ids}
    for rep in range(args.reps):
        for t in threads:
            cache = {}
            for w in ids:
                u = run_unroll(w, t)
                q = run_torch(w, t, cache)
                runs[w][t]['unroll'].append(u)
                runs[w][t]['pytorch'].append(q)
                print('rep %d  %-8s %d thread(s)  unroll %10.4g  pytorch %10.4g' % (rep + 1, w, t, u, q), flush=True)
    table = []
    for w in ids:
        key, higher = WORKLOADS[w][2], WORKLOADS[w][3]
        best = max if higher else min
        med = {t: {s: statistics.median(runs[w][t][s]) for s in ('unroll', 'pytorch')} for t in threads}
        u_best = best(med[t]['unroll'] for t in threads)
        q_best = best(med[t]['pytorch'] for t in threads)
        ratio = u_best / q_best if higher else q_best / u_best
        table.append({'workload': w, 'figure': key, 'medians': med, 'unroll_best': u_best, 'pytorch_best': q_best,
                      'ratio': ratio})
    head = '| workload | figure | ' + ' | '.join('Unroll %dt | PyTorch %dt' % (t, t) for t in threads) + ' | Unroll best / PyTorch best |'
    print('\n' + head)
    print('|' + '---|' * (3 + 2 * len(threads)))
    for row in table:
        cells = ' | '.join('%.4g | %.4g' % (row['medians'][t]['unroll'], row['medians'][t]['pytorch']) for t in threads)
        print('| %s | %s | %s | **%.2fx** |' % (row['workload'], row['figure'], cells, row['ratio']))
    if args.out:
        with open(args.out, 'w') as f:
            json.dump({'reps': args.reps, 'runs': runs, 'table': table}, f, indent=1)
        print('wrote', args.out)


if __name__ == '__main__':
    sys.exit(main())
