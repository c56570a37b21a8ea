#!/usr/bin/python3
"""Unroll against PyTorch on the peer workloads W1-W7, side by side, in one sitting.

Two peers: PyTorch 2.x for the CPU (MKL, oneDNN; a virtual environment's python, --torch2) and
Debian's PyTorch 1.13 with OpenBLAS (/usr/bin/python3, --torch1). Each is compared at its best:
threads 1 and 2 are both run and the better kept, and before the sitting the OpenBLAS build of 1.13
is calibrated on W1 — every OPENBLAS_CORETYPE this CPU can run (OpenBLAS 0.3.21 misdetects some
CPUs, e.g. Emerald Rapids as Cooperlake, 3x slower than SkylakeX there) and, at 2 threads, both the
pthreads and the OpenMP build (Debian's libopenblas0-openmp, picked with LD_LIBRARY_PATH) — and the
fastest setting is kept for the sitting.

For each repetition, thread count and workload it runs Unroll (dev.unroll.bench.Workloads, fresh
JVM) and then each peer (../shared/peers/torch_bench.py, fresh process), each printing the median
of its own timed repetitions; the table gives the median over repetitions, Unroll's 2-thread
figure over its 1-thread one, and the ratio of Unroll's best thread count to each peer's best. The
CPU model, the JDK and both PyTorch builds head the table. Every run holds /tmp/unroll-cpu.lock (no
other build or benchmark runs at the same time).

    mvn -B -q -DskipTests package -pl unroll-bench -am
    python3 -m venv V && V/bin/pip install torch numpy      # PyTorch 2.x, offline from the local wheel store
    apt-get install -y python3-torch libopenblas0-openmp     # PyTorch 1.13
    python3 tools/compare_with_pytorch.py --torch2 V/bin/python --reps 3 --out docs/benchmarks.json
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
LOCK = os.environ.get('UNROLL_CPU_LOCK', '/tmp/unroll-cpu.lock')
OPENMP_BLAS = '/usr/lib/x86_64-linux-gnu/openblas-openmp'
JAVA = os.path.join(os.environ['JAVA_HOME'], 'bin', 'java') if os.environ.get('JAVA_HOME') else 'java'

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

# OpenBLAS core types worth trying, each with the /proc/cpuinfo flags it needs.
CORE_TYPES = [('Haswell', {'avx2', 'fma'}), ('Zen', {'avx2', 'fma'}), ('SkylakeX', {'avx512f', 'avx512bw', 'avx512vl'}),
              ('Cooperlake', {'avx512f', 'avx512_bf16'})]


def cpu_facts():
    model, flags = '?', set()
    for line in open('/proc/cpuinfo'):
        if line.startswith('model name') and model == '?':
            model = line.split(':', 1)[1].strip()
        elif line.startswith('flags') and not flags:
            flags = set(line.split(':', 1)[1].split())
    try:
        lscpu = subprocess.run(['lscpu'], capture_output=True, text=True).stdout
        fields = dict(l.split(':', 1) for l in lscpu.splitlines() if ':' in l)
        fam, mod = fields.get('CPU family', '').strip(), fields.get('Model', '').strip()
        model += ' (family %s model %s, %s vCPUs)' % (fam, mod, os.cpu_count())
    except OSError:
        pass
    return model, flags


def jdk():
    out = subprocess.run([JAVA, '-version'], capture_output=True, text=True).stderr.splitlines()
    return out[0] if out else '?'


def run_unroll(workload, threads):
    cmd = ['flock', LOCK, JAVA, '--add-modules', 'jdk.incubator.vector',
           '-cp', JAR, 'dev.unroll.bench.Workloads', workload, str(threads)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()
    key, value = out[-1].split('=')
    return float(value)


class Peer:
    """One PyTorch build: its python, and the environment of its best setting per thread count."""

    def __init__(self, name, python):
        self.name, self.python, self.envs, self.info = name, python, {}, None

    def env(self, threads, coretype=None, openmp=False):
        env = {k: v for k, v in os.environ.items() if k not in ('OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE', 'LD_LIBRARY_PATH')}
        env['OPENBLAS_NUM_THREADS'] = env['OMP_NUM_THREADS'] = env['MKL_NUM_THREADS'] = str(threads)
        if coretype:
            env['OPENBLAS_CORETYPE'] = coretype
        if openmp:
            env['LD_LIBRARY_PATH'] = OPENMP_BLAS
        return env

    def speed(self, only, threads, env):
        with tempfile.NamedTemporaryFile(suffix='.json') as f:
            subprocess.run(['flock', LOCK, self.python, PEER, 'speed', '--threads', str(threads), '--only', only,
                            '--out', f.name], env=env, capture_output=True, text=True, check=True)
            result = json.load(open(f.name))
        if self.info is None:
            self.info = result.get('env')
        return result

    def figure(self, result, name, key):
        for r in result['results']:
            if r['workload'] == name:
                return r[key]['median']
        raise KeyError(name)

    def calibrate(self, threads, flags, uses_openblas):
        """Picks the setting this build runs W1 fastest at, for each thread count."""
        for t in threads:
            settings = [{}]
            if uses_openblas:
                types = [None] + [c for c, need in CORE_TYPES if need <= flags]
                settings = [{'coretype': c, 'openmp': o} for c in types for o in ([False, True] if t > 1 else [False])
                            if not o or os.path.isdir(OPENMP_BLAS)]
            best = None
            for s in settings:
                env = self.env(t, **s)
                w1 = self.figure(self.speed('W1', t, env), 'W1_seqclass_rnn150', 'steps_per_s')
                print('calibrate %-12s %d thread(s) %-40s W1 %.4g steps/s' % (self.name, t, s or 'default', w1), flush=True)
                if best is None or w1 > best[0]:
                    best = (w1, s, env)
            self.envs[t] = (best[1], best[2])

    def run(self, workload, threads, cache):
        only, name, key, _ = WORKLOADS[workload]
        if (only, threads) not in cache:   # W4 measures W4a and W4b in one run
            cache[(only, threads)] = self.speed(only, threads, self.envs[threads][1])
        return self.figure(cache[(only, threads)], name, key)


def torch_version(python):
    try:
        out = subprocess.run([python, '-c', 'import torch; print(torch.__version__)'], capture_output=True, text=True, timeout=120)
        return out.stdout.strip() if out.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired):
        return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--reps', type=int, default=3)
    p.add_argument('--threads', default='1,2')
    p.add_argument('--only', default=','.join(WORKLOADS))
    p.add_argument('--torch2', default=os.environ.get('UNROLL_TORCH2_PYTHON', os.path.join(ROOT, '..', 'venv', 'bin', 'python')),
                   help='python of a PyTorch 2.x environment (default: $UNROLL_TORCH2_PYTHON or ../venv/bin/python)')
    p.add_argument('--torch1', default='/usr/bin/python3', help="python with Debian's PyTorch 1.13")
    p.add_argument('--out', default=None)
    args = p.parse_args()
    threads = [int(t) for t in args.threads.split(',')]
    ids = args.only.split(',')
    cpu, flags = cpu_facts()

    peers = []
    for name, python, openblas in (('pytorch-2', args.torch2, False), ('pytorch-1.13', args.torch1, True)):
        version = torch_version(python)
        if version is None:
            print('note: no PyTorch at %s; %s left out' % (python, name), flush=True)
            continue
        peer = Peer('%s (%s)' % (name, version), python)
        peer.calibrate(threads, flags, openblas)
        peers.append(peer)

    runs = {w: {t: {'unroll': [], **{q.name: [] for q in peers}} for t in threads} for w in ids}
    for rep in range(args.reps):
        for t in threads:
            caches = {q.name: {} for q in peers}
            for w in ids:
                u = run_unroll(w, t)
                runs[w][t]['unroll'].append(u)
                line = 'rep %d  %-8s %d thread(s)  unroll %10.4g' % (rep + 1, w, t, u)
                for q in peers:
                    v = q.run(w, t, caches[q.name])
                    runs[w][t][q.name].append(v)
                    line += '  %s %10.4g' % (q.name.split()[0], v)
                print(line, flush=True)

    table = []
    for w in ids:
        key, higher = WORKLOADS[w][2], WORKLOADS[w][3]
        best = max if higher else min
        med = {t: {s: statistics.median(v) for s, v in runs[w][t].items()} for t in threads}
        row = {'workload': w, 'figure': key, 'medians': med, 'ratios': {}}
        u_best = best(med[t]['unroll'] for t in threads)
        row['unroll_best'] = u_best
        for q in peers:
            q_best = best(med[t][q.name] for t in threads)
            row['ratios'][q.name] = u_best / q_best if higher else q_best / u_best
        if len(threads) > 1:
            a, b = med[threads[0]]['unroll'], med[threads[-1]]['unroll']
            row['unroll_scaling'] = b / a if higher else a / b
        table.append(row)

    print('\nCPU: %s; JDK: %s' % (cpu, jdk()))
    for q in peers:
        print('%s: %s; best settings: %s' % (q.name, q.python,
              ', '.join('%d thread(s) %s' % (t, q.envs[t][0] or 'default') for t in threads)))
    head = '| workload | figure | ' + ' | '.join('Unroll %dt' % t for t in threads)
    if len(threads) > 1:
        head += ' | Unroll %dt/%dt' % (threads[-1], threads[0])
    for q in peers:
        head += ' | ' + ' | '.join('%s %dt' % (q.name.split()[0], t) for t in threads)
    head += ''.join(' | vs %s' % q.name.split()[0] for q in peers) + ' |'
    print('\n' + head)
    print('|' + '---|' * (head.count('|') - 1))
    for row in table:
        cells = [row['workload'], row['figure']] + ['%.4g' % row['medians'][t]['unroll'] for t in threads]
        if len(threads) > 1:
            cells.append('%.2f' % row['unroll_scaling'])
        for q in peers:
            cells += ['%.4g' % row['medians'][t][q.name] for t in threads]
        cells += ['**%.2f×**' % row['ratios'][q.name] for q in peers]
        print('| ' + ' | '.join(cells) + ' |')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump({'cpu': cpu, 'jdk': jdk(), 'reps': args.reps,
                       'peers': {q.name: {'python': q.python, 'settings': {t: q.envs[t][0] for t in threads}, 'env': q.info}
                                 for q in peers},
                       'runs': runs, 'table': table}, f, indent=1, default=str)
        print('wrote', args.out)


if __name__ == '__main__':
    sys.exit(main())
