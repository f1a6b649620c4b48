// Forward-pass throughput through the inference pool: real PNG files in, probabilities out.
// Run: node --import tsx bench/forward.ts [--backend auto|wasm|cpu|tensorflow|tensorflow-gpu] [--models small-cnn,inceptionv3]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type * as tf from '@tensorflow/tfjs';
import type { BackendPreference, ModelSpec, PredictImage } from '../src/inference/messages.ts';
import { InferencePool } from '../src/inference/pool.ts';
import { createInceptionV3 } from '../src/ml/architectures/inceptionv3.ts';
import { createSmallCnn } from '../src/ml/architectures/small-cnn.ts';
import { selectBackend } from '../src/ml/backend.ts';
import { saveModel } from '../src/ml/model-io.ts';
import { writeGradientPngs } from '../test/ml/synthetic-images.ts';

interface BenchModel {
  inputShape: [number, number, number];
  /**
   * Images each worker classifies per configuration, at least one batch: enough to time, and few enough for
   * InceptionV3 on wasm (0.4-0.9 s per image).
   */
  imagesPerWorker: number;
  create: (inputShape: [number, number, number]) => tf.LayersModel;
}

const BENCH_MODELS = {
  'small-cnn': {
    inputShape: [64, 64, 1],
    imagesPerWorker: 192,
    create: (inputShape) => createSmallCnn({ inputShape, numClasses: 3, seed: 1 }),
  },
  inceptionv3: {
    inputShape: [299, 299, 3],
    imagesPerWorker: 8,
    create: (inputShape) => createInceptionV3({ inputShape, numClasses: 3, seed: 1 }),
  },
} satisfies Record<string, BenchModel>;

export type BenchModelName = keyof typeof BENCH_MODELS;

export interface ForwardBenchOptions {
  backend?: BackendPreference;
  models?: BenchModelName[];
  workerCounts?: number[];
  batchSizes?: number[];
  /** PNGs to classify, to compare with end-to-end runs on the same images; default 16 gradient PNGs of 400×300. */
  images?: Buffer[];
}

export interface ForwardBenchRow {
  model: BenchModelName;
  input: string;
  workers: number;
  batchSize: number;
  images: number;
  wallSeconds: number;
  imagesPerSecond: number;
  /** Wall time per image through the pool: reading and decoding the PNG, preprocessing, forward pass. */
  endToEndMsPerImage: number;
  /** The forward pass alone, as the workers report it (batch time / batch size), averaged over images. */
  forwardMsPerImage: number;
}

export interface ForwardBenchResult {
  backend: string;
  /** The 1-minute load average when the bench started: other processes on the machine skew the timings. */
  loadAverage: number;
  rows: ForwardBenchRow[];
}

/** Times the classification of `count` images, sent as batches of `batchSize` all at once so every worker is busy. */
async function timeBatches(
  pool: InferencePool,
  spec: ModelSpec,
  files: string[],
  count: number,
  batchSize: number,
): Promise<{ wallMs: number; forwardMs: number }> {
  const images: PredictImage[] = Array.from({ length: count }, (_, index) => ({
    imageId: index + 1,
    path: files[index % files.length]!,
  }));
  const batches = Array.from({ length: Math.ceil(count / batchSize) }, (_, index) =>
    images.slice(index * batchSize, (index + 1) * batchSize),
  );
  const started = performance.now();
  const outcomes = (await Promise.all(batches.map((batch) => pool.predict(spec, batch)))).flat();
  const wallMs = performance.now() - started;
  let forwardMs = 0;
  for (const outcome of outcomes) {
    if (!outcome.ok) throw new Error(`Image ${outcome.imageId} failed: ${outcome.error}`);
    forwardMs += outcome.inferenceMs;
  }
  return { wallMs, forwardMs };
}

/** Measures the pool's throughput for each model × worker count × batch size on the backend present. */
export async function benchForward({
  backend = 'auto',
  models = ['small-cnn', 'inceptionv3'],
  workerCounts = [1, 2],
  batchSizes = [1, 16],
  images,
}: ForwardBenchOptions = {}): Promise<ForwardBenchResult> {
  const loadAverage = os.loadavg()[0] ?? 0;
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'hydra-bench-forward-'));
  try {
    // The models are built and saved on this thread; the pool's workers load them like registered versions.
    await selectBackend(backend);
    const files = images
      ? await Promise.all(
          images.map(async (png, index) => {
            const file = path.join(workDir, `image-${index}.png`);
            await writeFile(file, png);
            return file;
          }),
        )
      : await writeGradientPngs(workDir, 16, 400, 300);
    const prepared: Array<{ name: BenchModelName; spec: ModelSpec; imagesPerWorker: number }> = [];
    for (const [index, name] of models.entries()) {
      const benchModel: BenchModel | undefined = BENCH_MODELS[name];
      if (!benchModel) {
        throw new Error(`Unknown model '${name}': choose from ${Object.keys(BENCH_MODELS).join(', ')}`);
      }
      const { inputShape, imagesPerWorker, create } = benchModel;
      const artifactDir = path.join(workDir, name);
      const network = create(inputShape);
      await saveModel(network, artifactDir);
      network.dispose();
      const spec: ModelSpec = {
        modelVersionId: index + 1,
        kind: 'classifier',
        artifactDir,
        inputShape,
        classes: ['Good', 'Bad', 'NoData'],
      };
      prepared.push({ name, spec, imagesPerWorker });
    }

    const rows: ForwardBenchRow[] = [];
    let backendName = backend as string;
    for (const workers of workerCounts) {
      const pool = await InferencePool.start({ size: workers, backend });
      backendName = pool.backend.name;
      try {
        for (const { name, spec, imagesPerWorker } of prepared) {
          for (const batchSize of batchSizes) {
            // One untimed batch per worker first: model loading and the wasm heap's growth to this batch size
            // happen once in a server's life, not per request.
            await timeBatches(pool, spec, files, workers * batchSize, batchSize);
            const images = Math.max(imagesPerWorker, batchSize) * workers;
            const { wallMs, forwardMs } = await timeBatches(pool, spec, files, images, batchSize);
            rows.push({
              model: name,
              input: spec.inputShape.join('×'),
              workers,
              batchSize,
              images,
              wallSeconds: wallMs / 1000,
              imagesPerSecond: (images * 1000) / wallMs,
              endToEndMsPerImage: wallMs / images,
              forwardMsPerImage: forwardMs / images,
            });
          }
          pool.unload(spec.modelVersionId);
        }
      } finally {
        await pool.close();
      }
    }
    return { backend: backendName, loadAverage, rows };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

export function formatForwardTable({ backend, loadAverage, rows }: ForwardBenchResult): string {
  const header = [
    'model',
    'input',
    'workers',
    'batch',
    'images',
    'wall s',
    'images/s',
    'e2e ms/img',
    'fwd ms/img',
  ];
  const cells = rows.map((row) => [
    row.model,
    row.input,
    String(row.workers),
    String(row.batchSize),
    String(row.images),
    row.wallSeconds.toFixed(2),
    row.imagesPerSecond.toFixed(1),
    row.endToEndMsPerImage.toFixed(1),
    row.forwardMsPerImage.toFixed(1),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => line[column]!.length)),
  );
  const format = (line: string[]): string =>
    line
      .map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  return [
    `Backend: ${backend}; ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ` +
      `load average ${loadAverage.toFixed(2)} at start`,
    'e2e ms/img: pool wall time per image (PNG read + decode + resize + forward), with every worker busy.',
    'fwd ms/img: forward pass alone, per image, as each worker times it (batch time / batch size).',
    '',
    format(header),
    format(widths.map((width) => '-'.repeat(width))),
    ...cells.map(format),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { backend: { type: 'string', default: 'auto' }, models: { type: 'string' } },
  });
  const result = await benchForward({
    backend: values.backend as BackendPreference,
    ...(values.models && { models: values.models.split(',') as BenchModelName[] }),
  });
  console.log(formatForwardTable(result));
}
