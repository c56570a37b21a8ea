#!/usr/bin/env python3
"""PyTorch's side of Unroll's text comparisons (issue 12): the same models, data and schedules.

    classify TRAIN.tsv TEST.tsv   char GRU classifier: Embedding(V, 32, padding_idx=0) -> GRU(32, 128) final
                                  state (packed by length) -> Linear(128, labels); Adam 0.001, batches of 64
                                  bucketed by length as Unroll's TokenSequences (pools of 50 batches sorted by
                                  length); prints a line per epoch and the last line test_accuracy=...
    lm TRAIN.txt TEST.txt         byte LSTM language model: Embedding(256, E) -> LSTM(E, H) -> Linear(H, 256);
                                  the text as one stream cut into B parallel streams, windows of T steps, state
                                  carried (detached) between windows, Adam, gradient norm clipped at 5; test bits
                                  per byte over B streams in windows of T, state carried; last line
                                  test_bits_per_byte=...

Options: --epochs N --threads N --seed N (and --embedding --hidden --batch --window --lr for lm).
Run under the machine's CPU lock, alternating with Unroll's runs: see tools/text/compare.sh.
"""
import argparse
import math
import random
import sys
import time

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence

PAD, UNK = 0, 1


def read_tsv(path):
    texts, labels = [], []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n').rstrip('\r')
            if not line.strip():
                continue
            parts = line.split('\t')
            texts.append(parts[0])
            labels.append(parts[1].strip())
    return texts, labels


def char_vocabulary(texts):
    counts = {}
    for t in texts:
        for ch in t:
            counts[ch] = counts.get(ch, 0) + 1
    tokens = sorted(counts, key=lambda c: (-counts[c], c))
    return {c: i + 4 for i, c in enumerate(tokens)}


def buckets(lengths, batch, rng):
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool = batch * 50
    out = []
    for p in range(0, len(order), pool):
        members = sorted(order[p:p + pool], key=lambda i: lengths[i])
        out.extend(members[b:b + batch] for b in range(0, len(members), batch))
    rng.shuffle(out)
    return out


class Classifier(nn.Module):
    def __init__(self, vocab, classes, emb=32, hidden=128):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb, padding_idx=PAD)
        self.rnn = nn.GRU(emb, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, classes)

    def forward(self, x, lengths):
        packed = pack_padded_sequence(self.embedding(x), lengths, batch_first=True, enforce_sorted=False)
        _, h = self.rnn(packed)
        return self.fc(h[-1])


def pad_batch(seqs, idx):
    lengths = [len(seqs[i]) for i in idx]
    x = torch.zeros(len(idx), max(lengths), dtype=torch.long)
    for b, i in enumerate(idx):
        x[b, :lengths[b]] = torch.tensor(seqs[i])
    return x, torch.tensor(lengths)


def classify(args):
    train_t, train_l = read_tsv(args.train)
    test_t, test_l = read_tsv(args.test)
    vocab = char_vocabulary(train_t)
    labels = sorted(set(train_l))
    enc = lambda t: [vocab.get(c, UNK) for c in t][:400] or [UNK]
    tr = [enc(t) for t in train_t]
    te = [enc(t) for t in test_t]
    ytr = torch.tensor([labels.index(l) for l in train_l])
    yte = torch.tensor([labels.index(l) for l in test_l])
    model = Classifier(len(vocab) + 4, len(labels), args.embedding or 32, args.hidden or 128)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr or 0.001)
    loss_fn = nn.CrossEntropyLoss()
    rng = random.Random(args.seed)
    batch = args.batch or 64
    test_batches = [sorted(range(len(te)), key=lambda i: len(te[i]))[b:b + 256] for b in range(0, len(te), 256)]
    accuracy = float('nan')
    for epoch in range(1, args.epochs + 1):
        model.train()
        start = time.perf_counter()
        total, right = 0.0, 0
        for idx in buckets([len(s) for s in tr], batch, rng):
            x, lengths = pad_batch(tr, idx)
            y = ytr[idx]
            opt.zero_grad()
            logits = model(x, lengths)
            loss = loss_fn(logits, y)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
            right += (logits.argmax(1) == y).sum().item()
        seconds = time.perf_counter() - start
        model.eval()
        hits = 0
        with torch.no_grad():
            for idx in test_batches:
                x, lengths = pad_batch(te, idx)
                hits += (model(x, lengths).argmax(1) == yte[idx]).sum().item()
        accuracy = hits / len(te)
        print(f'epoch {epoch}/{args.epochs}  loss {total / len(tr):.4f}  train_accuracy {right / len(tr):.4f}  '
              f'test_accuracy {accuracy:.4f}  {seconds:.3f} s', flush=True)
    print(f'test_accuracy={accuracy}')


class LanguageModel(nn.Module):
    def __init__(self, emb, hidden):
        super().__init__()
        self.embedding = nn.Embedding(256, emb)
        self.rnn = nn.LSTM(emb, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, 256)

    def forward(self, x, state):
        y, state = self.rnn(self.embedding(x), state)
        return self.fc(y), state


def streams(data, b):
    per = (len(data) - 1) // b
    x = torch.tensor(list(data[:per * b]), dtype=torch.long).view(b, per)
    y = torch.tensor(list(data[1:per * b + 1]), dtype=torch.long).view(b, per)
    return x, y


def bits_per_byte(model, data, b, window):
    x, y = streams(data, b)
    total, count, state = 0.0, 0, None
    model.eval()
    with torch.no_grad():
        for t in range(0, x.shape[1], window):
            logits, state = model(x[:, t:t + window], state)
            total += nn.functional.cross_entropy(logits.reshape(-1, 256), y[:, t:t + window].reshape(-1), reduction='sum').item()
            count += y[:, t:t + window].numel()
    return total / count / math.log(2)


def lm(args):
    train = open(args.train, 'rb').read()
    test = open(args.test, 'rb').read()
    model = LanguageModel(args.embedding or 32, args.hidden or 256)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr or 0.002)
    b, window = args.batch or 32, args.window or 100
    x, y = streams(train, b)
    bpb = float('nan')
    for epoch in range(1, args.epochs + 1):
        model.train()
        start = time.perf_counter()
        state, total, count = None, 0.0, 0
        for t in range(0, x.shape[1], window):
            if state is not None:
                state = tuple(s.detach() for s in state)
            logits, state = model(x[:, t:t + window], state)
            loss = nn.functional.cross_entropy(logits.reshape(-1, 256), y[:, t:t + window].reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            total += loss.item() * y[:, t:t + window].numel()
            count += y[:, t:t + window].numel()
        seconds = time.perf_counter() - start
        bpb = bits_per_byte(model, test, 16, 256)
        print(f'epoch {epoch}/{args.epochs}  train_bits_per_byte {total / count / math.log(2):.4f}  '
              f'test_bits_per_byte {bpb:.4f}  {seconds:.3f} s  {count / seconds:.0f} bytes/s', flush=True)
    print(f'test_bits_per_byte={bpb}')


def main():
    p = argparse.ArgumentParser()
    p.add_argument('mode', choices=['classify', 'lm'])
    p.add_argument('train')
    p.add_argument('test')
    p.add_argument('--epochs', type=int, default=10)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--seed', type=int, default=42)
    p.add_argument('--embedding', type=int)
    p.add_argument('--hidden', type=int)
    p.add_argument('--batch', type=int)
    p.add_argument('--window', type=int)
    p.add_argument('--lr', type=float)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads', file=sys.stderr)
    (classify if args.mode == 'classify' else lm)(args)


if __name__ == '__main__':
    main()
