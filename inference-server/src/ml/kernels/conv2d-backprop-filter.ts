import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { composeWasmKernels } from './wasm-kernel-scope.ts';

/**
 * The filter gradient of a 2-D convolution, which tfjs-backend-wasm lacks (so `model.fit` of a conv net fails
 * there). dW[i, j, c, o] = Σ over n, y, x of xPadded[n, y·s + i, x·s + j, c] · dy[n, y, x, o] is itself a
 * convolution: of xPadded with channels and batch swapped ([c, h, w, n]) by dy as the filter ([y, x, n, o]), with
 * dilation = stride. It runs on the backend's own PadV2, Transpose, Conv2D (XNNPACK) and Slice kernels.
 */
function conv2DBackpropFilter({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  if (info.dataFormat !== 'channelsLast') {
    throw new Error(`Conv2DBackpropFilter on wasm supports channelsLast only, not ${info.dataFormat}`);
  }
  const { top, bottom, left, right } = info.padInfo;
  return composeWasmKernels(backend as BackendWasm, (run) => {
    const padded =
      top + bottom + left + right === 0
        ? x
        : run(
            tf.PadV2,
            { x },
            {
              paddings: [
                [0, 0],
                [top, bottom],
                [left, right],
                [0, 0],
              ],
              constantValue: 0,
            },
          );
    const channelsAsBatch = run(tf.Transpose, { x: padded }, { perm: [3, 1, 2, 0] });
    const dyAsFilter = run(tf.Transpose, { x: dy }, { perm: [1, 2, 0, 3] });
    const correlated = run(
      tf.Conv2D,
      { x: channelsAsBatch, filter: dyAsFilter },
      { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: [info.strideHeight, info.strideWidth] },
    );
    // Strides that do not divide the padded input leave rows and columns past the filter's extent: drop them.
    const [, correlatedHeight, correlatedWidth] = correlated.shape;
    const cropped =
      correlatedHeight === info.filterHeight && correlatedWidth === info.filterWidth
        ? correlated
        : run(
            tf.Slice,
            { x: correlated },
            {
              begin: [0, 0, 0, 0],
              size: [info.inChannels, info.filterHeight, info.filterWidth, info.outChannels],
            },
          );
    return run(tf.Transpose, { x: cropped }, { perm: [1, 2, 0, 3] });
  });
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter,
};
