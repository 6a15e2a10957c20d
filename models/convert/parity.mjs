// Runs each original TF.js model (CPU backend) and its converted ONNX file on the same fixed inputs
// and fails when they disagree by more than the tolerances in models/README.md.
// The npm packages come from this folder's package.json (npm ci --ignore-scripts).
// Usage: node parity.mjs [ONNX_DIR]   (default: the models/ folder above this script)
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import ort from 'onnxruntime-node';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const onnxDir = process.argv[2] ?? path.join(here, '..');
const humanDir = path.join(here, 'node_modules', '@vladmandic', 'human-models', 'models');
const faceApiDir = path.join(here, 'node_modules', '@vladmandic', 'face-api');
await tf.setBackend('cpu');

const PROBABILITY_ABS_TOLERANCE = 1e-4;
const REGRESSOR_REL_TOLERANCE = 1e-4;

// A fixed linear congruential generator: the same inputs on every run and machine.
function makeRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

// Some noise images and some smooth ones (noise alone drives every classifier to one corner).
function fixedImages(count, h, w, c, lo, hi, seed) {
  const random = makeRandom(seed);
  const data = new Float32Array(count * h * w * c);
  for (let n = 0; n < count; n++) {
    const smooth = n % 2 === 1;
    const fx = 1 + random() * 4, fy = 1 + random() * 4, phase = random() * 6.28;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let ch = 0; ch < c; ch++) {
          const t = smooth
            ? 0.5 + 0.5 * Math.sin((fx * x) / w * 6.28 + (fy * y) / h * 6.28 + phase + ch)
            : random();
          data[((n * h + y) * w + x) * c + ch] = lo + (hi - lo) * t;
        }
      }
    }
  }
  return data;
}

function nhwcToNchw(data, n, h, w, c) {
  const out = new Float32Array(data.length);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let ch = 0; ch < c; ch++) {
          out[((b * c + ch) * h + y) * w + x] = data[((b * h + y) * w + x) * c + ch];
        }
      }
    }
  }
  return out;
}

async function loadGraphModel(dir, jsonName) {
  const spec = JSON.parse(fs.readFileSync(path.join(dir, jsonName), 'utf8'));
  const buffers = spec.weightsManifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p))));
  const weightData = new Uint8Array(Buffer.concat(buffers)).buffer;
  const weightSpecs = spec.weightsManifest.flatMap((g) => g.weights);
  return tf.loadGraphModel(tf.io.fromMemory({ modelTopology: spec.modelTopology, weightSpecs, weightData }));
}

function compare(label, actual, expected, mode) {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    // Relative to the value, but never to less than 1: raw regressors near 0 have no meaningful relative error.
    const measure = mode === 'abs' ? diff : diff / Math.max(Math.abs(expected[i]), 1);
    worst = Math.max(worst, measure);
  }
  const limit = mode === 'abs' ? PROBABILITY_ABS_TOLERANCE : REGRESSOR_REL_TOLERANCE;
  const ok = worst <= limit && actual.length === expected.length;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}: max ${mode} diff ${worst.toExponential(2)} (limit ${limit}) over ${expected.length} values`);
  return ok;
}

const sigmoid = (v) => 1 / (1 + Math.exp(-v));
let allOk = true;

// Emotion (mini-Xception): [N,64,64,1] in [-1, 1].
{
  const n = 6;
  const input = fixedImages(n, 64, 64, 1, -1, 1, 11);
  const model = await loadGraphModel(humanDir, 'emotion.json');
  const expected = await model.execute(tf.tensor4d(input, [n, 64, 64, 1])).data();
  const session = await ort.InferenceSession.create(path.join(onnxDir, 'emotion-xception.onnx'));
  const result = await session.run({ input: new ort.Tensor('float32', nhwcToNchw(input, n, 64, 64, 1), [n, 1, 64, 64]) });
  allOk = compare('emotion-xception probabilities', result.probabilities.data, expected, 'abs') && allOk;
}

// BlazeFace: [1,S,S,3] RGB / 127.5 - 0.5; four heads concatenated as the human library does.
for (const [name, size] of [['blazeface-front', 128], ['blazeface', 256]]) {
  const model = await loadGraphModel(humanDir, `${name}.json`);
  const session = await ort.InferenceSession.create(path.join(onnxDir, `${name}.onnx`));
  for (let k = 0; k < 2; k++) {
    const input = fixedImages(1, size, size, 3, -0.5, 1.5, 21 + k);
    const heads = model.execute(tf.tensor4d(input, [1, size, size, 3]));
    const sorted = [...heads].sort((a, b) => a.size - b.size); // 384x1, 512x1, 384x16, 512x16
    const scores = await tf.concat([sorted[1], sorted[0]], 1).data();
    const boxes = await tf.concat([sorted[3], sorted[2]], 1).data();
    const result = await session.run({ input: new ort.Tensor('float32', nhwcToNchw(input, 1, size, size, 3), [1, 3, size, size]) });
    allOk = compare(`${name} #${k} box regressors`, result.boxes.data, boxes, 'rel') && allOk;
    allOk = compare(`${name} #${k} raw score logits`, result.scores.data, scores, 'rel') && allOk;
    allOk = compare(`${name} #${k} face probabilities`, Array.from(result.scores.data, sigmoid), Array.from(scores, sigmoid), 'abs') && allOk;
  }
}

// face-api FaceExpressionNet, run through face-api's own code (including its preprocessing) on raw RGB pixels.
{
  // The node-wasm build requires the same @tensorflow/tfjs instance as above, so it runs on the CPU backend too.
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
  const ftf = faceapi.tf;
  await ftf.setBackend('cpu');
  const manifest = JSON.parse(fs.readFileSync(path.join(faceApiDir, 'model', 'face_expression_model-weights_manifest.json'), 'utf8'));
  const bin = fs.readFileSync(path.join(faceApiDir, 'model', 'face_expression_model.bin'));
  const weightMap = ftf.io.decodeWeights(new Uint8Array(bin).buffer, manifest[0].weights);
  faceapi.nets.faceExpressionNet.loadFromWeightMap(weightMap);
  const n = 4;
  const pixels = fixedImages(n, 112, 112, 3, 0, 255, 31);
  const expected = [];
  const expectedFeatures = [];
  for (let b = 0; b < n; b++) {
    const image = ftf.tensor3d(pixels.subarray(b * 112 * 112 * 3, (b + 1) * 112 * 112 * 3), [112, 112, 3]);
    const netInput = await faceapi.toNetInput(image);
    expected.push(...(await faceapi.nets.faceExpressionNet.forwardInput(netInput).data()));
    // face-api's feature extractor ends with the 7x7 average pool its classifier reads.
    const pooled = faceapi.nets.faceExpressionNet.faceFeatureExtractor.forwardInput(netInput);
    expectedFeatures.push(...(await pooled.as2D(1, -1).data()));
  }
  const mean = [122.782, 117.001, 104.298];
  const normalized = pixels.map((v, i) => (v - mean[i % 3]) / 255);
  const session = await ort.InferenceSession.create(path.join(onnxDir, 'face-expression.onnx'));
  const result = await session.run({ input: new ort.Tensor('float32', nhwcToNchw(normalized, n, 112, 112, 3), [n, 3, 112, 112]) });
  allOk = compare('face-expression probabilities', result.probabilities.data, expected, 'abs') && allOk;
  allOk = compare('face-expression pooled features', result.features.data, expectedFeatures, 'rel') && allOk;
}

console.log(allOk ? 'parity: all models within tolerance' : 'parity: FAILED');
process.exit(allOk ? 0 : 1);
