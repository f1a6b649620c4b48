import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendInfo, BackendName, BackendPreference } from '../inference/messages.ts';
import { registerWasmTrainingKernels } from './kernels/index.ts';

/** Backends in the order `auto` tries them (DESIGN.md: native GPU, native CPU, wasm). */
const AUTO_ORDER: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm'];

/** The npm package that provides each native backend; both register under tfjs's name `tensorflow`. */
const NATIVE_PACKAGES: Partial<Record<BackendName, string>> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

async function activate(name: BackendName): Promise<void> {
  const nativePackage = NATIVE_PACKAGES[name];
  if (nativePackage !== undefined) {
    // A string variable, not a literal: these optional packages have no types where they are not installed.
    await import(nativePackage);
    await switchTo('tensorflow');
  } else if (name === 'wasm') {
    // An absolute folder, so the .wasm binaries are found whatever the process's cwd is.
    const distFolder = path.dirname(fileURLToPath(import.meta.resolve('@tensorflow/tfjs-backend-wasm')));
    setWasmPaths(distFolder + path.sep);
    await switchTo('wasm');
    registerWasmTrainingKernels();
  } else {
    await switchTo('cpu');
  }
}

async function switchTo(tfjsName: string): Promise<void> {
  if (!(await tf.setBackend(tfjsName))) {
    throw new Error(`tf.setBackend('${tfjsName}') failed to initialise the backend`);
  }
  await tf.ready();
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/**
 * Makes `preference` the active TensorFlow.js backend of this thread. `auto` takes the first of
 * tfjs-node-gpu, tfjs-node and wasm that loads; the pure-JS `cpu` backend is used only when named.
 */
export async function selectBackend(preference: BackendPreference): Promise<BackendInfo> {
  if (preference !== 'auto') {
    try {
      await activate(preference);
    } catch (error) {
      throw new Error(`Backend '${preference}' could not be loaded: ${reason(error)}`, { cause: error });
    }
    return { name: preference, skipped: [] };
  }
  const skipped: string[] = [];
  for (const candidate of AUTO_ORDER) {
    try {
      await activate(candidate);
      return { name: candidate, skipped };
    } catch (error) {
      skipped.push(`${candidate}: ${reason(error)}`);
    }
  }
  throw new Error(`No TensorFlow.js backend could be loaded (${skipped.join('; ')})`);
}
