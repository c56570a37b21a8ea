#!/usr/bin/env python3
"""ONNX files exported by PyTorch, with PyTorch's outputs, for Unroll's import tests.

Each case is a small nn.Module — an LSTM, GRU or RNN (batch_first or not, 1 or 2 layers, one
direction or both) with an nn.Linear head on every step or on the final state — exported with
torch.onnx.export (the TorchScript exporter, dynamo=False, opset 17, batch and time dimensions
dynamic) to <case>.onnx, and run by PyTorch on two fixed inputs of different batch and time
sizes; <case>.safetensors holds the inputs x1, x2 and PyTorch's outputs y1, y2, in the module's
own layout (time first when batch_first=False). The tests import the .onnx files and compare.

    /usr/bin/python3 tools/onnx/pytorch_fixtures.py unroll-onnx/src/test/resources/fixtures/pytorch-1.13
    /work/venv/bin/python tools/onnx/pytorch_fixtures.py unroll-onnx/src/test/resources/fixtures/pytorch-2.13

The two generations of the exporter (Debian's PyTorch 1.13, and 2.x from the wheel store) emit
different glue around the recurrent nodes; both sets are committed and tested. Each .safetensors
records the torch version in its metadata.
"""
import json
import os
import sys
import warnings

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures'))
import safetensors_io  # noqa: E402

INPUT = 3


class PerStep(nn.Module):
    """A recurrent layer, then a linear layer on every step's output."""

    def __init__(self, cell, hidden, layers, bidirectional, batch_first, **kw):
        super().__init__()
        self.rnn = getattr(nn, cell)(INPUT, hidden, num_layers=layers, bidirectional=bidirectional, batch_first=batch_first, **kw)
        self.fc = nn.Linear(hidden * (2 if bidirectional else 1), 2)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.fc(out)


class FinalState(nn.Module):
    """A sequence classifier: a linear layer on the last layer's final h (both directions concatenated)."""

    def __init__(self, cell, hidden, layers, bidirectional, batch_first, **kw):
        super().__init__()
        self.bidirectional = bidirectional
        self.rnn = getattr(nn, cell)(INPUT, hidden, num_layers=layers, bidirectional=bidirectional, batch_first=batch_first, **kw)
        self.fc = nn.Linear(hidden * (2 if bidirectional else 1), 3)

    def forward(self, x):
        _, h = self.rnn(x)
        if isinstance(h, tuple):  # LSTM: (h_n, c_n)
            h = h[0]
        return self.fc(torch.cat([h[-2], h[-1]], 1) if self.bidirectional else h[-1])


CASES = [
    # name, module, batch_first
    ('lstm_batch_first', PerStep('LSTM', 5, 1, False, True), True),
    ('lstm_time_first_2layers_bidirectional', PerStep('LSTM', 4, 2, True, False), False),
    ('gru_batch_first_bidirectional', PerStep('GRU', 5, 1, True, True), True),
    ('gru_time_first_2layers', PerStep('GRU', 4, 2, False, False), False),
    ('rnn_relu_batch_first_2layers', PerStep('RNN', 4, 2, False, True, nonlinearity='relu'), True),
    ('lstm_classifier_2layers_bidirectional', FinalState('LSTM', 4, 2, True, True), True),
    ('gru_classifier_2layers', FinalState('GRU', 5, 2, False, True), True),
    ('gru_classifier_time_first_bidirectional', FinalState('GRU', 4, 1, True, False), False),
]


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)
    for name, module, batch_first in CASES:
        module.eval()
        shapes = [(3, 6), (1, 2)]  # (batch, time): the second proves the dimensions are dynamic
        xs = [torch.randn(*((b, t) if batch_first else (t, b)), INPUT) for b, t in shapes]
        with torch.no_grad():
            ys = [module(x) for x in xs]
        batch, time = (0, 1) if batch_first else (1, 0)
        output_axes = {0: 'batch'} if isinstance(module, FinalState) else ({0: 'batch', 1: 'time'} if batch_first else {0: 'time', 1: 'batch'})
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            kwargs = {'dynamo': False} if int(torch.__version__.split('.')[0]) >= 2 else {}
            torch.onnx.export(module, (xs[0],), os.path.join(out_dir, name + '.onnx'), opset_version=17,
                              input_names=['x'], output_names=['y'],
                              dynamic_axes={'x': {batch: 'batch', time: 'time'}, 'y': output_axes}, **kwargs)
        safetensors_io.save(os.path.join(out_dir, name + '.safetensors'),
                            {'x1': xs[0], 'y1': ys[0], 'x2': xs[1], 'y2': ys[1]},
                            {'torch': torch.__version__, 'batch_first': json.dumps(batch_first)})
        print('%-42s %s -> %s' % (name, list(xs[0].shape), list(ys[0].shape)))


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'unroll-onnx/src/test/resources/fixtures/pytorch')
