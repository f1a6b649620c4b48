import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { composeWasmKernels } from './wasm-kernel-scope.ts';

/**
 * The input gradient of a stride-1 convolution as a convolution (XNNPACK): of dy, padded to the "full" extent, by
 * the filter flipped in space with its in and out channels swapped. tfjs-backend-wasm's own kernel is a plain loop,
 * 10-20 times slower, and was most of a training step; it still serves strides above 1.
 */
function conv2DBackpropInputFor(builtIn: tf.KernelConfig): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
      attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      tf.backend_util.convertConv2DDataFormat(dataFormat),
    );
    if (info.strideHeight !== 1 || info.strideWidth !== 1 || info.dataFormat !== 'channelsLast') {
      return builtIn.kernelFunc(args);
    }
    const { top, bottom, left, right } = info.padInfo;
    return composeWasmKernels(backend as BackendWasm, (run) => {
      const flipped = run(tf.Reverse, { x: filter }, { dims: [0, 1] });
      const swapped = run(tf.Transpose, { x: flipped }, { perm: [0, 1, 3, 2] });
      return run(
        tf.Conv2D,
        { x: dy, filter: swapped },
        {
          strides: 1,
          pad: [
            [0, 0],
            [info.filterHeight - 1 - top, info.filterHeight - 1 - bottom],
            [info.filterWidth - 1 - left, info.filterWidth - 1 - right],
            [0, 0],
          ],
          dataFormat: 'NHWC',
          dilations: 1,
        },
      );
    });
  };
}

/** Replaces the wasm backend's Conv2DBackpropInput with the faster one; the built-in kernel stays its fallback. */
export function conv2DBackpropInputConfig(builtIn: tf.KernelConfig): tf.KernelConfig {
  return { ...builtIn, kernelFunc: conv2DBackpropInputFor(builtIn) };
}
