#!/usr/bin/env bash
# Unroll -> PyTorch for text models: PyTorchTextTest writes Unroll's Embedding -> LSTM -> Linear checkpoint
# with a batch of ids and its logits (unroll-core/target/text-interop/); PyTorch loads the checkpoint into
# nn.Embedding -> nn.LSTM -> nn.Linear (load_state_dict, strict) and must give the same logits (1e-5).
# (PyTorch -> Unroll is the unit test itself, on fixtures from tools/fixtures/text_models.py export.)
# Needs PyTorch: PYTHON (default /work/venv/bin/python) or /usr/bin/python3 with python3-torch.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
python=${PYTHON:-/work/venv/bin/python}
cd "$root"
mvn -B -q -pl unroll-core -am test -Dtest=PyTorchTextTest -Dsurefire.failIfNoSpecifiedTests=false
"$python" tools/fixtures/text_models.py verify unroll-core/target/text-interop/unroll_lm.safetensors \
  unroll-core/target/text-interop/unroll_lm.io.safetensors
