import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** What a kernel function receives, with the backend known to be wasm. */
export interface WasmKernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: BackendWasm;
  attrs: tf.NamedAttrMap;
}

/**
 * Runs the wasm backend's own kernels inside a kernel of ours (as tfjs's composite kernels do) and frees every
 * intermediate they return once the body is done; only the body's result stays.
 */
export function composeWasmKernels(
  backend: BackendWasm,
  body: (
    run: (kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap) => tf.TensorInfo,
  ) => tf.TensorInfo,
): tf.TensorInfo {
  const intermediates: tf.TensorInfo[] = [];
  const run = (kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo => {
    const kernel = tf.getKernel(kernelName, 'wasm');
    if (kernel === undefined) throw new Error(`The wasm backend has no ${kernelName} kernel`);
    const output = kernel.kernelFunc({ inputs, backend, attrs }) as tf.TensorInfo;
    intermediates.push(output);
    return output;
  };
  let result: tf.TensorInfo | undefined;
  try {
    result = body(run);
    return result;
  } finally {
    // By reference, not dataId: a reshape shares its input's dataId and holds a reference count of its own.
    for (const intermediate of intermediates) {
      if (intermediate !== result) backend.disposeData(intermediate.dataId);
    }
  }
}
