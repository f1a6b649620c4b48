import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { ImageDecodeError } from './preprocess.ts';

/** A class-activation map: height × width cells, row-major, in [0, 1]. */
export interface GradCamMap {
  width: number;
  height: number;
  values: Float32Array;
}

/**
 * How Grad-CAM runs a model: the model itself up to `bodyOutputs` (the cut, its last 4-D activation, and any earlier
 * tensor the rest reads), then `head`, the layers after the cut, applied again on those tensors to reach the class
 * score.
 */
interface GradCamPlan {
  /** The body's outputs, by id and by name: the cut activation first, then the earlier tensors the head reads. */
  bodyOutputIds: number[];
  bodyOutputNames: string[];
  head: HeadStep[];
  outputId: number;
  numClasses: number;
}

/** One layer of the head, with the ids of the tensors it reads and writes, found once per model. */
interface HeadStep {
  layer: tf.layers.Layer;
  inputIds: number[];
  outputId: number;
  /** The final softmax Dense layer: applied without its softmax, its logit's gradient does not vanish when sure. */
  givesLogits: boolean;
}

const plans = new WeakMap<tf.LayersModel, GradCamPlan>();

function asList(tensors: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor[] {
  return Array.isArray(tensors) ? tensors : [tensors];
}

/** The layer's input and output tensors in the model; a layer called more than once cannot be re-applied alone. */
function connectionsOf(layer: tf.layers.Layer): { inputs: tf.SymbolicTensor[]; output: tf.SymbolicTensor } {
  const output = layer.output;
  if (Array.isArray(output)) {
    throw new Error(`Grad-CAM cannot follow layer ${layer.name}: it has ${output.length} outputs`);
  }
  return { inputs: asList(layer.input), output };
}

function isFourDimensional(layer: tf.layers.Layer): boolean {
  const shape = layer.outputShape;
  return layer.getClassName() !== 'InputLayer' && !Array.isArray(shape[0]) && shape.length === 4;
}

function planFor(model: tf.LayersModel): GradCamPlan {
  const cached = plans.get(model);
  if (cached) return cached;
  const [output, ...otherOutputs] = model.outputs;
  const outputShape = output?.shape;
  if (output === undefined || otherOutputs.length > 0 || outputShape?.length !== 2) {
    throw new Error(
      `Grad-CAM needs a classifier with one output of [batch, classes]; ${model.name} is not one`,
    );
  }
  const cutIndex = model.layers.findLastIndex(isFourDimensional);
  const cutLayer = model.layers[cutIndex];
  if (cutLayer === undefined) {
    throw new Error(`${model.name} has no layer with a 4-D (height × width × channels) output to explain`);
  }
  const cut = connectionsOf(cutLayer).output;
  const available = new Set([cut.id]);
  const earlier: tf.SymbolicTensor[] = [];
  const head = model.layers.slice(cutIndex + 1).map((layer): HeadStep => {
    const { inputs, output: layerOutput } = connectionsOf(layer);
    for (const input of inputs) {
      if (!available.has(input.id)) {
        earlier.push(input);
        available.add(input.id);
      }
    }
    available.add(layerOutput.id);
    const givesLogits =
      layerOutput.id === output.id &&
      layer.getClassName() === 'Dense' &&
      layer.getConfig().activation === 'softmax' &&
      inputs[0]?.shape.length === 2;
    return { layer, inputIds: inputs.map((input) => input.id), outputId: layerOutput.id, givesLogits };
  });
  const bodyOutputs = [cut, ...earlier];
  const plan: GradCamPlan = {
    bodyOutputIds: bodyOutputs.map((tensor) => tensor.id),
    bodyOutputNames: bodyOutputs.map((tensor) => tensor.name),
    head,
    outputId: output.id,
    numClasses: outputShape[1] as number,
  };
  plans.set(model, plan);
  return plan;
}

function applyStep({ layer, givesLogits }: HeadStep, inputs: tf.Tensor[]): tf.Tensor {
  const [input] = inputs;
  if (givesLogits) {
    const [kernel, bias] = layer.getWeights();
    const logits = tf.matMul(input as tf.Tensor2D, kernel as tf.Tensor2D);
    return bias === undefined ? logits : tf.add(logits, bias);
  }
  return layer.apply(input !== undefined && inputs.length === 1 ? input : inputs) as tf.Tensor;
}

/**
 * Grad-CAM for any conv classifier, Sequential or functional, in its HiResCAM form (Draelos & Carin, 2020): the
 * last 4-D activation times its gradient with respect to the class score, summed over channels, after a ReLU,
 * normalised to [0, 1], is the map. For a head that averages the activation (InceptionV3, many user models) this is
 * Selvaraju et al.'s Grad-CAM; for one that flattens it (VGG16, the small CNN's "where" branch) it stays faithful. `input` is one preprocessed image (height × width × channels, as
 * `preprocessImage` makes it). The class score is picked with a one-hot product: `gather` has no gradient on wasm.
 */
export function gradCam(model: tf.LayersModel, input: Float32Array, classIndex: number): GradCamMap {
  const plan = planFor(model);
  if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= plan.numClasses) {
    throw new RangeError(
      `Class index ${classIndex} is not one of the ${plan.numClasses} classes of ${model.name}`,
    );
  }
  const inputShape = model.inputs[0]?.shape.slice(1) as number[];
  const imageSize = inputShape.reduce((product, size) => product * size, 1);
  if (input.length !== imageSize) {
    throw new RangeError(
      `The image has ${input.length} values; [${inputShape.join(', ')}] needs ${imageSize}`,
    );
  }
  const [activation, gradient] = tf.tidy(() => {
    // The model itself, run only up to the cut; execute() skips predict()'s batching of the input.
    const bodyValues = asTensorList(
      model.execute(tf.tensor(input, [1, ...inputShape]), plan.bodyOutputNames),
    );
    const [cutValue] = bodyValues;
    if (cutValue === undefined) throw new Error(`The body of ${model.name} returned nothing`);
    const selector = tf.oneHot(tf.tensor1d([classIndex], 'int32'), plan.numClasses);
    const classScore = (cut: tf.Tensor): tf.Scalar => {
      // The cut is the variable of the gradient; the earlier tensors the head reads are constants.
      const values = new Map(
        plan.bodyOutputIds.map((id, index) => [id, index === 0 ? cut : bodyValues[index]!]),
      );
      plan.head.forEach((step) => {
        const inputValues = step.inputIds.map((id) => values.get(id) as tf.Tensor);
        values.set(step.outputId, applyStep(step, inputValues));
      });
      const score = values.get(plan.outputId);
      if (score === undefined)
        throw new Error(`The layers after the cut of ${model.name} do not reach its output`);
      return tf.sum(tf.mul(score, selector));
    };
    return [cutValue, tf.grad(classScore)(cutValue)];
  });
  try {
    const [, height, width, channels] = activation.shape as number[];
    return {
      width: width as number,
      height: height as number,
      values: hiResCamMap(
        activation.dataSync() as Float32Array,
        gradient.dataSync() as Float32Array,
        channels as number,
      ),
    };
  } finally {
    tf.dispose([activation, gradient]);
  }
}

/**
 * Each cell's activations weighted by their own gradient (HiResCAM), summed over channels, after a ReLU, normalised
 * to [0, 1]; not weighted by the channel's mean gradient: the two agree for a head that averages the map, and only
 * this one stays on the fault for a head that reads positions (the small CNN's "where" branch), where the mean
 * spreads the heat over the whole plot. A plain loop: the map is small, and as tensor ops its six kernel calls cost
 * more than the arithmetic.
 */
function hiResCamMap(activation: Float32Array, gradient: Float32Array, channels: number): Float32Array {
  const values = new Float32Array(activation.length / channels);
  let largest = 0;
  values.forEach((_, cell) => {
    let sum = 0;
    for (let index = cell * channels; index < (cell + 1) * channels; index++) {
      sum += (activation[index] as number) * (gradient[index] as number);
    }
    values[cell] = Math.max(0, sum);
    largest = Math.max(largest, sum);
  });
  const scale = Math.max(largest, 1e-12);
  return values.map((value) => value / scale);
}

function asTensorList(output: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  return Array.isArray(output) ? output : [output];
}

/** Where each output pixel samples a map axis of `cells` cells: the two nearest cell centres and the blend. */
function sampling(pixels: number, cells: number): { low: Int32Array; high: Int32Array; blend: Float32Array } {
  const low = new Int32Array(pixels);
  const high = new Int32Array(pixels);
  const blend = new Float32Array(pixels);
  for (let pixel = 0; pixel < pixels; pixel++) {
    const source = Math.min(cells - 1, Math.max(0, ((pixel + 0.5) * cells) / pixels - 0.5));
    low[pixel] = Math.floor(source);
    high[pixel] = Math.min(cells - 1, Math.floor(source) + 1);
    blend[pixel] = source - Math.floor(source);
  }
  return { low, high, blend };
}

/** Bilinear upsampling of a map to width × height pixels, cell centres on pixel centres, edges held. */
export function upsampleGradCam(map: GradCamMap, width: number, height: number): Float32Array {
  const result = new Float32Array(width * height);
  const rows = sampling(height, map.height);
  const columns = sampling(width, map.width);
  const { values } = map;
  for (let y = 0; y < height; y++) {
    const top = (rows.low[y] as number) * map.width;
    const bottom = (rows.high[y] as number) * map.width;
    const down = rows.blend[y] as number;
    for (let x = 0; x < width; x++) {
      const left = columns.low[x] as number;
      const right = columns.high[x] as number;
      const across = columns.blend[x] as number;
      const upper = (values[top + left] as number) * (1 - across) + (values[top + right] as number) * across;
      const lower =
        (values[bottom + left] as number) * (1 - across) + (values[bottom + right] as number) * across;
      result[y * width + x] = upper * (1 - down) + lower * down;
    }
  }
  return result;
}

/** The jet colormap (blue, cyan, yellow, red) at a value in [0, 1], as 0-255 RGB. */
export function jet(value: number): [number, number, number] {
  const channel = (centre: number): number =>
    Math.round(255 * Math.min(1, Math.max(0, 1.5 - Math.abs(4 * value - centre))));
  return [channel(3), channel(2), channel(1)];
}

/** jet() at 256 levels, RGB after RGB: an overlay has hundreds of thousands of pixels. */
const JET_LEVELS = Uint8Array.from(
  { length: 256 * 3 },
  (_, index) => jet(Math.floor(index / 3) / 255)[index % 3] as number,
);

export interface OverlayOptions {
  /** Opacity of the hottest cells; colder ones fade out, so the plot stays readable where the model did not look. */
  opacity?: number;
}

/** Draws a Grad-CAM map over the image it explains, upsampled to the image's size in jet colours, as a PNG. */
export async function renderGradCamOverlay(
  image: string | Buffer,
  map: GradCamMap,
  { opacity = 0.6 }: OverlayOptions = {},
): Promise<Buffer> {
  if (!(opacity >= 0 && opacity <= 1)) throw new RangeError(`Opacity must be in [0, 1], got ${opacity}`);
  const source = typeof image === 'string' ? image : `a ${image.length}-byte buffer`;
  try {
    const { width, height } = await sharp(image).metadata();
    const heat = upsampleGradCam(map, width, height);
    const overlay = Buffer.alloc(width * height * 4);
    heat.forEach((value, pixel) => {
      const level = Math.round(value * 255) * 3;
      overlay[pixel * 4] = JET_LEVELS[level] as number;
      overlay[pixel * 4 + 1] = JET_LEVELS[level + 1] as number;
      overlay[pixel * 4 + 2] = JET_LEVELS[level + 2] as number;
      overlay[pixel * 4 + 3] = Math.round(255 * opacity * value);
    });
    return await sharp(image)
      .composite([{ input: overlay, raw: { width, height, channels: 4 } }])
      .png()
      .toBuffer();
  } catch (error) {
    throw new ImageDecodeError(`Cannot draw Grad-CAM over image ${source}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
