#!/usr/bin/env python3
"""Runs the official ONNX checker (full check, with shape inference) over exported .onnx files,
and runs each in ONNX Runtime for Python with a small input to prove it loads and runs there too.

    mvn -B -q -pl unroll-onnx -am test          # the tests leave their exports in unroll-onnx/target/onnx-samples
    /work/venv/bin/python tools/onnx/check_exports.py unroll-onnx/target/onnx-samples/*.onnx

Needs the onnx and onnxruntime Python packages; prints one line per file and exits 1 if any fails.
"""
import sys

import numpy as np
import onnx
import onnxruntime as ort


def feeds(session, batch=3, steps=5):
    """Random inputs for every graph input: symbolic dims 'batch' and 'time' get the sizes above."""
    rng = np.random.default_rng(0)
    out = {}
    for i in session.get_inputs():
        shape = [batch if d == 'batch' else steps if d == 'time' else d for d in i.shape]
        if i.type == 'tensor(int32)':
            out[i.name] = rng.integers(1, steps + 1, size=shape).astype(np.int32)
        else:
            out[i.name] = rng.standard_normal(shape).astype(np.float32)
    return out


def main(paths):
    failures = 0
    for path in paths:
        try:
            model = onnx.load(path)
            onnx.checker.check_model(model, full_check=True)
            session = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
            outputs = session.run(None, feeds(session))
            shapes = ', '.join(str(list(o.shape)) for o in outputs)
            print('ok   %s  opset %d, IR %d, outputs %s' % (path, model.opset_import[0].version, model.ir_version, shapes))
        except Exception as e:  # report every file, then fail
            failures += 1
            print('FAIL %s: %s' % (path, str(e).splitlines()[0] if str(e) else type(e).__name__))
    print('%d files, %d failed' % (len(paths), failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
