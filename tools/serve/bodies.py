#!/usr/bin/env python3
"""Request bodies for the load tests of `unroll serve` (tools/serve/loadtest.sh).

  bodies.py forecast OUT            the seed's series (y = t sin t / 3 + 2 sin 5t) from t = 10, 20 steps
                                    of 0.1: {"inputs": [[[y0], ..., [y19]]]}, a batch of one window
  bodies.py classify IDX_GZ OUT     image 0 of an MNIST-format image file as 28 steps of 28 pixels in
                                    [0, 1] (pixel / 255, as unroll classify reads them), a batch of one

Numbers are written in their shortest float32 form, as a client holding float32 values would.
Needs numpy only.
"""
import gzip
import math
import struct
import sys

import numpy as np


def shortest(v):
    f = np.float32(v)
    return "0" if f == 0 else np.format_float_positional(f, unique=True, trim='-')


def forecast(out):
    values = [t * math.sin(t) / 3 + 2 * math.sin(5 * t) for t in (10.0 + 0.1 * i for i in range(20))]
    steps = ",".join("[" + shortest(v) + "]" for v in values)
    with open(out, "w") as f:
        f.write('{"inputs": [[' + steps + ']]}')


def classify(idx, out):
    with gzip.open(idx, "rb") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        if magic != 2051:
            raise SystemExit(f"{idx}: not an IDX image file (magic {magic})")
        pixels = np.frombuffer(f.read(rows * cols), dtype=np.uint8).reshape(rows, cols)
    scaled = pixels.astype(np.float32) / np.float32(255)
    steps = ",".join("[" + ",".join(shortest(v) for v in row) + "]" for row in scaled)
    with open(out, "w") as f:
        f.write('{"inputs": [[' + steps + ']]}')


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "forecast":
        forecast(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "classify":
        classify(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(__doc__)
