#!/usr/bin/python3
"""Checkpoint interchange between Unroll and PyTorch (nn.RNN / nn.LSTM / nn.GRU + nn.Linear).

The PyTorch side of an Unroll Sequential(recurrent 'rnn', dense 'fc') is the module below, whose
state_dict keys (rnn.weight_ih_l0, ..., fc.weight, fc.bias) and shapes are exactly the tensor
names and shapes in an Unroll checkpoint.

  export DIR   PyTorch builds models, saves each state_dict as safetensors with Unroll's model
               configuration in the metadata, plus an input and PyTorch's output. Unroll's test
               suite loads these (fixtures) and must reproduce the outputs.
  verify DIR   loads the checkpoints Unroll wrote into DIR (see tools/interop/roundtrip.sh) into
               PyTorch, runs the saved input and compares with Unroll's saved output.

Run with Debian's PyTorch (apt-get install -y python3-torch).
"""
import glob
import json
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures'))
import safetensors_io  # noqa: E402


class Net(nn.Module):
    """PyTorch twin of Unroll's Sequential.of(Recurrent 'rnn', Dense 'fc')."""

    def __init__(self, rnn_cfg, fc_cfg):
        super().__init__()
        cell = rnn_cfg['cell']
        kw = dict(input_size=rnn_cfg['input_size'], hidden_size=rnn_cfg['hidden_size'], num_layers=rnn_cfg['num_layers'],
                  bidirectional=rnn_cfg['bidirectional'], batch_first=True)
        if cell == 'rnn':
            self.rnn = nn.RNN(nonlinearity=rnn_cfg['nonlinearity'], **kw)
        elif cell == 'lstm':
            self.rnn = nn.LSTM(**kw)
        else:
            self.rnn = nn.GRU(**kw)
        self.return_sequences = rnn_cfg['return_sequences']
        self.directions = 2 if rnn_cfg['bidirectional'] else 1
        self.fc = nn.Linear(fc_cfg['input_size'], fc_cfg['output_size'])
        self.fc_activation = fc_cfg['activation']

    def forward(self, x):
        out, h = self.rnn(x)
        if isinstance(h, tuple):
            h = h[0]
        if self.return_sequences:
            y = out
        else:   # the last layer's final h, directions concatenated (Unroll's lastHidden)
            y = torch.cat([h[-self.directions + d] for d in range(self.directions)], dim=1)
        y = self.fc(y)
        return {'identity': y, 'tanh': torch.tanh(y), 'sigmoid': torch.sigmoid(y), 'relu': torch.relu(y)}[self.fc_activation]


def unroll_config(cell, input_size, hidden, layers, bidirectional, nonlinearity, return_sequences, out):
    """The model configuration Unroll keeps in the checkpoint metadata (key 'unroll.model')."""
    d = 2 if bidirectional else 1
    return {'kind': 'sequential', 'config': {'layers': [
        {'name': 'rnn', 'kind': 'recurrent', 'config': {
            'cell': cell, 'input_size': input_size, 'hidden_size': hidden, 'num_layers': layers,
            'bidirectional': bidirectional, 'nonlinearity': nonlinearity, 'input_dropout': 0.0, 'output_dropout': 0.0,
            'dropout_between_layers_only': False, 'return_sequences': return_sequences}},
        {'name': 'fc', 'kind': 'dense', 'config': {'input_size': d * hidden, 'output_size': out, 'activation': 'identity'}}]}}


def build(config):
    layers = config['config']['layers']
    return Net(layers[0]['config'], layers[1]['config'])


CASES = [
    ('rnn_relu_forecaster', 'rnn', 1, 8, 1, False, 'relu', True, 1),
    ('lstm_classifier', 'lstm', 4, 6, 2, False, 'tanh', False, 3),
    ('gru_bidirectional', 'gru', 3, 5, 1, True, 'tanh', True, 2),
]


def export(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for i, (name, cell, inp, hidden, layers, bidir, nonlin, seqs, out) in enumerate(CASES):
        torch.manual_seed(50 + i)
        config = unroll_config(cell, inp, hidden, layers, bidir, nonlin, seqs, out)
        net = build(config).eval()
        tensors = dict(net.state_dict())
        path = os.path.join(out_dir, name + '.safetensors')
        safetensors_io.save(path, tensors, {'unroll.format': '1', 'unroll.model': json.dumps(config)})
        x = torch.randn(3, 7, inp)
        with torch.no_grad():
            y = net(x)
        safetensors_io.save(os.path.join(out_dir, name + '.io.safetensors'), {'x': x, 'y': y},
                            {'torch_version': torch.__version__, 'generator': 'tools/interop/pytorch_interop.py export'})
        print('wrote', path)


def verify(in_dir):
    files = sorted(f for f in glob.glob(os.path.join(in_dir, '*.safetensors')) if not f.endswith('.io.safetensors'))
    if not files:
        sys.exit('no checkpoints in ' + in_dir)
    worst = 0.0
    for path in files:
        tensors, meta = safetensors_io.load(path)
        net = build(json.loads(meta['unroll.model'])).eval()
        net.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()}, strict=True)
        io, _ = safetensors_io.load(path[:-len('.safetensors')] + '.io.safetensors')
        with torch.no_grad():
            y = net(torch.from_numpy(io['x']))
        diff = (y - torch.from_numpy(io['y'])).abs().max().item()
        worst = max(worst, diff)
        print('%-40s max |PyTorch - Unroll| = %.2e' % (os.path.basename(path), diff))
    if worst > 1e-5:
        sys.exit('MISMATCH: %.2e > 1e-5' % worst)
    print('all %d checkpoints load into PyTorch and give the same outputs (max difference %.2e)' % (len(files), worst))


if __name__ == '__main__':
    {'export': export, 'verify': verify}[sys.argv[1]](sys.argv[2])
