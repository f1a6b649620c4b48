import * as tf from '@tensorflow/tfjs';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.ts';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.ts';
import { maxGradientConfig } from './max-gradient.ts';

let registered = false;

/**
 * Adds the wasm kernels that training needs: Conv2DBackpropFilter (missing from tfjs-backend-wasm) and a faster
 * Conv2DBackpropInput, and a Max gradient without wasm's slow broadcast comparison (global max pooling, in
 * training and Grad-CAM). Kernels and gradients are registered per thread, so each worker calls this once its
 * backend is wasm.
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
  tf.registerGradient(maxGradientConfig);
  registered = true;
}
