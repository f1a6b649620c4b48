import * as tf from '@tensorflow/tfjs';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.ts';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.ts';

let registered = false;

/**
 * Adds the wasm kernels that training needs: Conv2DBackpropFilter (missing from tfjs-backend-wasm) and a faster
 * Conv2DBackpropInput. Kernels are registered per thread, so each worker calls this once its backend is wasm.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  if (tf.getKernel(tf.Conv2DBackpropFilter, 'wasm') === undefined) {
    tf.registerKernel(conv2DBackpropFilterConfig);
  }
  const builtInBackpropInput = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');
  if (builtInBackpropInput !== undefined) {
    tf.unregisterKernel(tf.Conv2DBackpropInput, 'wasm');
    tf.registerKernel(conv2DBackpropInputConfig(builtInBackpropInput));
  }
  registered = true;
}
