#!/usr/bin/env python3
"""Batch-1 inference latency of the served models in PyTorch, eager and TorchScript: the peer of
unroll-bench's PredictorLatencyBenchmark (run them in the same sitting, under the CPU lock).

  pytorch_latency.py FORECASTER CLASSIFIER [--threads N] [--seconds S]

FORECASTER is the seed's forecaster (./unroll forecast: RNN 100 ReLU + Linear, out/forecast/model.safetensors),
CLASSIFIER W1's classifier (./unroll classify: RNN 150 tanh over 28 steps of 28 pixels + Linear 10). The
weights are loaded from the Unroll checkpoints (same names and layout as PyTorch's state_dict).

  forecaster step   one time step of one series, the hidden state carried: out, h = rnn(x[1,1,1], h); y = fc(out)
  classifier        one image as 28 steps of 28 pixels: _, h = rnn(x[1,28,28]); scores = fc(h[-1])

Each is timed call by call (time.perf_counter_ns) for S seconds after as long a warm-up, under
torch.inference_mode(), on N intra-op threads (default 1, as a request thread runs in Unroll); the
p50 and p99 in microseconds are printed, eager and TorchScript (traced, frozen). Needs PyTorch 2.x
(/work/venv/bin/python) and numpy.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures'))
import safetensors_io  # noqa: E402


class Forecaster(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.rnn = nn.RNN(1, hidden, nonlinearity='relu', batch_first=True)
        self.fc = nn.Linear(hidden, 1)

    def forward(self, x, h):
        out, h = self.rnn(x, h)
        return self.fc(out), h


class Classifier(nn.Module):
    def __init__(self, features, hidden, classes):
        super().__init__()
        self.rnn = nn.RNN(features, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, classes)

    def forward(self, x):
        _, h = self.rnn(x)
        return self.fc(h[-1])


def load(module, path):
    tensors, _ = safetensors_io.load(path)
    module.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()})
    return module.eval()


def timed(call, seconds):
    """p50 and p99 of single calls, in µs, after a warm-up as long as the timing."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        call()
    samples = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t0 = time.perf_counter_ns()
        call()
        samples.append(time.perf_counter_ns() - t0)
    s = np.array(samples) / 1e3
    return np.percentile(s, 50), np.percentile(s, 99), len(samples)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('forecaster')
    ap.add_argument('classifier')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--seconds', type=float, default=5.0)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    print(f'PyTorch {torch.__version__}, {a.threads} thread(s), CPU capability {torch.backends.cpu.get_cpu_capability()}')

    tensors, _ = safetensors_io.load(a.forecaster)
    forecaster = load(Forecaster(tensors['rnn.weight_hh_l0'].shape[0]), a.forecaster)
    tensors, _ = safetensors_io.load(a.classifier)
    features = tensors['rnn.weight_ih_l0'].shape[1]
    classifier = load(Classifier(features, tensors['rnn.weight_hh_l0'].shape[0], tensors['fc.weight'].shape[0]), a.classifier)

    with torch.inference_mode():
        x = torch.zeros(1, 1, 1)
        h0 = torch.zeros(1, 1, forecaster.rnn.hidden_size)
        image = torch.rand(1, 28, features, generator=torch.Generator().manual_seed(3))
        scripted_forecaster = torch.jit.freeze(torch.jit.trace(forecaster, (x, h0)))
        scripted_classifier = torch.jit.freeze(torch.jit.trace(classifier, (image,)))
        for name, f, c in (('eager', forecaster, classifier), ('torchscript', scripted_forecaster, scripted_classifier)):
            state = {'h': h0, 't': 0}

            def step():
                state['t'] += 1
                x.fill_(float(np.sin(0.1 * state['t'])))
                _, state['h'] = f(x, state['h'])

            p50, p99, n = timed(step, a.seconds)
            print(f'{name:12s} forecaster step      p50 {p50:8.2f} us   p99 {p99:8.2f} us   ({n} calls)')
            p50, p99, n = timed(lambda: c(image), a.seconds)
            print(f'{name:12s} classifier sequence  p50 {p50:8.2f} us   p99 {p99:8.2f} us   ({n} calls)')


if __name__ == '__main__':
    main()
