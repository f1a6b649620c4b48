// Grad-CAM's cost against one forward pass (goal: at most 1.5×), one image, for the small CNN and InceptionV3, and
// the time to draw the heat map over an 800×600 plot.
// Run: node --import tsx bench/gradcam.ts [--backend wasm|auto|cpu|tensorflow|tensorflow-gpu]
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type * as tf from '@tensorflow/tfjs';
import type { BackendPreference } from '../src/inference/messages.ts';
import { createInceptionV3 } from '../src/ml/architectures/inceptionv3.ts';
import { createSmallCnn } from '../src/ml/architectures/small-cnn.ts';
import { selectBackend } from '../src/ml/backend.ts';
import { gradCam, renderGradCamOverlay } from '../src/ml/gradcam.ts';
import { predictBatch } from '../src/ml/predict.ts';
import { simulatePlot } from '../src/simulator/index.ts';
import { interleavedMediansMs } from './bench-kit.ts';

interface BenchModel {
  name: string;
  inputShape: [number, number, number];
  /** Timed runs of each: enough for a stable median, few enough for InceptionV3 on wasm (about 0.5 s a pass). */
  runs: number;
  create: () => tf.LayersModel;
}

const models: BenchModel[] = [
  {
    name: 'small-cnn',
    inputShape: [64, 64, 3],
    runs: 200,
    create: () => createSmallCnn({ inputShape: [64, 64, 3], numClasses: 2, seed: 1 }),
  },
  {
    name: 'small-cnn',
    inputShape: [224, 224, 3],
    runs: 60,
    create: () => createSmallCnn({ inputShape: [224, 224, 3], numClasses: 2, seed: 1 }),
  },
  {
    name: 'inceptionv3',
    inputShape: [299, 299, 3],
    runs: 6,
    create: () => createInceptionV3({ numClasses: 3, seed: 1 }),
  },
];

const { values: options } = parseArgs({ options: { backend: { type: 'string', default: 'wasm' } } });
const backend = await selectBackend(options.backend as BackendPreference);
const rows = models.map(({ name, inputShape, runs, create }) => {
  const model = create();
  const input = Float32Array.from(
    { length: inputShape.reduce((a, b) => a * b, 1) },
    (_, index) => (index % 251) / 250,
  );
  const [forwardMs = NaN, gradCamMs = NaN] = interleavedMediansMs(runs, [
    () => predictBatch(model, [input], inputShape),
    () => gradCam(model, input, 1),
  ]);
  model.dispose();
  return {
    model: name,
    input: inputShape.join('×'),
    runs,
    'forward ms': Number(forwardMs.toFixed(1)),
    'Grad-CAM ms': Number(gradCamMs.toFixed(1)),
    'Grad-CAM / forward': Number((gradCamMs / forwardMs).toFixed(2)),
  };
});

const plot = await simulatePlot({
  kind: 'CDC_occupancy',
  run: 1,
  seed: 1,
  fault: { mode: 'dead-region', strength: 'normal' },
});
const map = { width: 8, height: 8, values: Float32Array.from({ length: 64 }, (_, index) => index / 63) };
const overlayMs = [];
for (let run = 0; run < 10; run++) {
  const started = performance.now();
  await renderGradCamOverlay(plot.png, map);
  overlayMs.push(performance.now() - started);
}
overlayMs.sort((a, b) => a - b);

console.log(
  `Grad-CAM on ${backend.name}, one image; ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ` +
    `load average ${os.loadavg()[0]?.toFixed(2)}. Grad-CAM includes its own forward pass; goal: ≤ 1.5× forward.`,
);
console.table(rows);
console.log(
  `Overlay of an 8×8 map on an 800×600 PNG (upsample, jet, composite, encode): median ${overlayMs[5]?.toFixed(1)} ms`,
);
