#!/usr/bin/env bash
# Unroll -> PyTorch: Unroll writes checkpoints of RNN, LSTM and GRU models with a sample input and
# its output; PyTorch loads each into nn.RNN/LSTM/GRU + nn.Linear and must give the same output.
# (PyTorch -> Unroll is a unit test: PyTorchCheckpointTest, on fixtures from 'pytorch_interop.py export'.)
# Needs: apt-get install -y python3-torch
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-$(mktemp -d)}
cd "$root"
mvn -B -q -DskipTests install -pl unroll-examples -am
cpfile=$(mktemp)
mvn -B -q -pl unroll-examples dependency:build-classpath -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=runtime
java -cp "unroll-examples/target/classes:$(cat "$cpfile")" dev.unroll.examples.CheckpointInterop "$dir"
rm -f "$cpfile"
/usr/bin/python3 tools/interop/pytorch_interop.py verify "$dir"
