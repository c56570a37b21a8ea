#!/usr/bin/env python3
"""The Python snippets of docs/onnx.md, runnable: an Unroll export in ONNX Runtime for Python.

    ./unroll export --model out/forecast/model.safetensors --onnx forecaster.onnx --lengths
    ./unroll export --model out/forecast/model.safetensors --onnx streaming.onnx --states
    /work/venv/bin/python tools/onnx/onnxruntime_example.py forecaster.onnx streaming.onnx

Needs numpy and onnxruntime. Checks that streaming chunk by chunk gives the outputs of one pass.
"""
import sys

import numpy as np
import onnxruntime as ort


def whole_sequences(path):
    # --- docs/onnx.md, "From Python"
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    x = np.sin(0.3 * np.arange(20) + np.arange(4)[:, None]).astype(np.float32)[:, :, None]   # [4, 20, 1]
    lengths = np.array([20, 5, 12, 1], dtype=np.int32)
    (y,) = session.run(["output"], {"input": x, "lengths": lengths})                         # [4, 20, 1]
    # ---
    print("output", y.shape, "first instance, last step:", y[0, -1, 0])


def chunk_by_chunk(path):
    # --- docs/onnx.md, "Streaming"
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    x = np.sin(0.3 * np.arange(20) + np.arange(4)[:, None]).astype(np.float32)[:, :, None]   # [4, 20, 1]
    state_inputs = [i for i in session.get_inputs() if i.name != "input"]     # rnn.initial_h_l0 [D, batch, H], ...
    states = {i.name: np.zeros((i.shape[0], x.shape[0], i.shape[2]), np.float32) for i in state_inputs}
    outputs = []
    for chunk in np.split(x, [1, 6, 9], axis=1):                             # 1, 5, 3 and 11 steps
        results = session.run(None, {"input": chunk, **states})
        named = dict(zip([o.name for o in session.get_outputs()], results))
        outputs.append(named["output"])
        states = {name: named[name.replace(".initial_", ".final_")] for name in states}
    streamed = np.concatenate(outputs, axis=1)
    # ---
    full = session.run(["output"], {"input": x, **{k: np.zeros_like(v) for k, v in states.items()}})[0]
    print("streamed", streamed.shape, "max abs difference from one pass:", float(np.abs(streamed - full).max()))
    assert np.abs(streamed - full).max() <= 1e-5


if __name__ == "__main__":
    whole_sequences(sys.argv[1])
    chunk_by_chunk(sys.argv[2])
