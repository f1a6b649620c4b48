import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Catalog } from '../catalog/catalog.ts';
import type { CurrentLabel } from '../catalog/repositories/labels-repository.ts';
import type { InputShape, NewSplitPrediction } from '../catalog/repositories/models-repository.ts';
import type {
  SplitImageIds,
  TrainingJobRow,
  TrainingParameters,
} from '../catalog/repositories/training-jobs-repository.ts';
import { SPLIT_NAMES, type ArchitectureName, type BackendName } from '../enums.ts';
import { InvalidInputError } from '../errors.ts';
import type { CompletedTraining, TrainingSplit } from '../inference/messages.ts';
import { checkTrainingSet, TrainingSetError } from '../ml/training-set.ts';
import { trivialAnswer } from '../models/trivial-answer.ts';
import type { ModelMetrics, TrainRequest } from '../schemas/index.ts';
import { stratifiedShare, stratifiedSplit } from './stratified-split.ts';

// What a training request becomes before it is queued: its classes, architecture, input and a checked split.

/** What a request that names no architecture trains: the small CNN on a CPU, InceptionV3 on a GPU. */
export function defaultArchitecture(backend: BackendName): ArchitectureName {
  return backend === 'tensorflow-gpu' ? 'inceptionv3' : 'small-cnn';
}

/** Default input of a new model: the small CNN's small images train fast; the others take their native size. */
const DEFAULT_INPUT: Record<ArchitectureName, InputShape> = {
  'small-cnn': [64, 64, 3],
  inceptionv3: [299, 299, 3],
  vgg16: [224, 224, 3],
};
const SPLIT = { validation: 0.15, test: 0.15 };
const MIN_LABELED = 10;

export interface TrainingPlan {
  parameters: TrainingParameters;
  split: SplitImageIds;
  images: number;
}

/** Plans a job from the plot type's current labels; labels that cannot train a model are a clear 400. */
export async function planTraining(
  catalog: Catalog,
  plotTypeId: number,
  request: TrainRequest,
  context: { backend: BackendName; weightsDir: string },
): Promise<TrainingPlan> {
  const plotType = await catalog.plotTypes.get(plotTypeId);
  const labeled = await catalog.labels.currentLabels(plotTypeId);
  const definedOrder = (await catalog.plotTypes.listClasses(plotTypeId)).map((c) => c.name);
  const present = [...new Set(labeled.map((l) => l.class_name))];
  const classes = [
    ...definedOrder.filter((name) => present.includes(name)),
    ...present.filter((name) => !definedOrder.includes(name)).sort(),
  ];
  if (labeled.length < MIN_LABELED) {
    throw new InvalidInputError(
      `plot type ${plotType.name} has ${labeled.length} labeled images; training needs at least ${MIN_LABELED} ` +
        '(label more with POST /api/v1/labels)',
    );
  }
  if (classes.length < 2) {
    throw new InvalidInputError(
      `every labeled image of plot type ${plotType.name} is ${classes[0]}: a classifier needs at least two classes`,
    );
  }
  if (request.baseWeights !== undefined) await findBaseWeights(context.weightsDir, request.baseWeights);
  const architecture = request.architecture ?? defaultArchitecture(context.backend);
  const inputShape = (request.inputShape as InputShape | undefined) ?? DEFAULT_INPUT[architecture];
  const full = stratifiedSplit(labeled, (l) => l.class_name, request.seed, SPLIT);
  const split =
    request.trainFraction === undefined
      ? full
      : { ...full, train: stratifiedShare(full.train, (l) => l.class_name, request.trainFraction) };
  try {
    checkTrainingSet(
      classes,
      trainingSplit(split, classes, (l) => l.path),
    );
  } catch (error) {
    if (error instanceof TrainingSetError)
      throw new InvalidInputError(`these labels cannot train a model: ${error.message}`);
    throw error;
  }
  const ids = (part: CurrentLabel[]) => part.map((l) => l.image_id);
  return {
    parameters: { ...request, architecture, inputShape, classes },
    split: { train: ids(split.train), validation: ids(split.validation), test: ids(split.test) },
    images: labeled.length,
  };
}

/** Each part of a split as the training worker takes it: files with their class index. */
export function trainingSplit(
  split: LabeledSplit,
  classes: string[],
  file: (label: CurrentLabel) => string,
): TrainingSplit {
  const part = (images: CurrentLabel[]) =>
    images.map((l) => ({ path: file(l), label: classes.indexOf(l.class_name) }));
  return { train: part(split.train), validation: part(split.validation), test: part(split.test) };
}

export type LabeledSplit = Record<keyof SplitImageIds, CurrentLabel[]>;

/**
 * The job's recorded split, from the labels as they are now (an image relabeled since keeps its new class; one
 * unlabeled since drops out).
 */
export async function recordedSplit(catalog: Catalog, job: TrainingJobRow): Promise<LabeledSplit> {
  const labeled = new Map((await catalog.labels.currentLabels(job.plot_type_id)).map((l) => [l.image_id, l]));
  const images = (ids: number[]) => ids.flatMap((id) => labeled.get(id) ?? []);
  const { train, validation, test } = job.split!;
  return { train: images(train), validation: images(validation), test: images(test) };
}

/** The validation and test probabilities of a finished training, per image of the split it trained on. */
export function splitPredictions(split: LabeledSplit, result: CompletedTraining): NewSplitPrediction[] {
  return SPLIT_NAMES.flatMap((name) =>
    split[name].map((label, index) => ({
      split: name,
      imageId: label.image_id,
      trueClass: label.class_name,
      probabilities: result.probabilities[name][index]!,
    })),
  );
}

/** The folder of the named base weights; a clear 400 that lists what there is when it has no model.json. */
export async function findBaseWeights(weightsDir: string, name: string): Promise<string> {
  const dir = path.join(weightsDir, name);
  try {
    await access(path.join(dir, 'model.json'));
    return dir;
  } catch {
    const available = await readdir(weightsDir).catch(() => [] as string[]);
    throw new InvalidInputError(
      `no base weights '${name}': the data folder has no weights/${name}/model.json (available in weights/: ` +
        `${available.length > 0 ? available.join(', ') : 'none'})`,
    );
  }
}

/** What the Library shows of a finished training. */
export function trainedMetrics(job: TrainingJobRow, result: CompletedTraining): ModelMetrics {
  const split = job.split!;
  return {
    history: result.history,
    evaluation: result.evaluation.test,
    validation: result.evaluation.validation,
    trivialAnswer: trivialAnswer(result.evaluation.test),
    splitSizes: { train: split.train.length, validation: split.validation.length, test: split.test.length },
    timings: result.timings,
    steps: result.steps,
    epochsRun: result.epochsRun,
    bestEpoch: result.bestEpoch,
    stoppedEarly: result.stoppedEarly,
    backend: result.backend.name,
    seed: job.parameters.seed,
    trainingJobId: job.id,
  };
}
