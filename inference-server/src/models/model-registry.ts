import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Catalog, VersionWithModel } from '../catalog/catalog.ts';
import type { PlotTypeRow } from '../catalog/database.ts';
import { InvalidInputError } from '../errors.ts';
import type { ModelSpec } from '../inference/messages.ts';
import { inputShapeOf, writeModelArtifacts, type ModelFile } from './model-artifacts.ts';

/** Colours and severities for well-known class names; others get a neutral colour and `warn`. */
const KNOWN_CLASSES: Record<string, { colour: string; severity: 'ok' | 'warn' | 'alarm' }> = {
  Good: { colour: '#73BF69', severity: 'ok' },
  Bad: { colour: '#F2495C', severity: 'alarm' },
  NoData: { colour: '#8AB8FF', severity: 'warn' },
  LowStats: { colour: '#FADE2A', severity: 'warn' },
  Cosmic: { colour: '#B877D9', severity: 'warn' },
};

export interface RegisterModelInput {
  plotType: PlotTypeRow;
  files: ModelFile[];
  classes: string[];
  name?: string;
  architecture?: string;
  thresholds?: Record<string, number>;
  inputShape?: [number, number, number];
  activate?: boolean;
}

/** Model versions: their files under the data folder, their catalog rows, and what a worker needs to run them. */
export class ModelRegistry {
  constructor(
    private readonly catalog: Catalog,
    private readonly modelsDir: string,
  ) {}

  /** Imports an uploaded TF.js layers model. */
  async register(input: RegisterModelInput): Promise<VersionWithModel> {
    const artifactDir = path.join(this.modelsDir, `${input.plotType.id}-${randomUUID()}`);
    this.checkThresholds(input.classes, input.thresholds);
    const modelJson = await writeModelArtifacts(input.files, artifactDir);
    const inputShape = input.inputShape ?? inputShapeOf(modelJson);
    if (!inputShape) throw new InvalidInputError('the input shape is not in model.json: give it explicitly');
    return this.createVersion({ ...input, artifactDir, inputShape });
  }

  /** Registers a model a training job saved in `artifactDir`, with its metrics. */
  async registerTrained(
    input: Omit<RegisterModelInput, 'files'> & {
      artifactDir: string;
      inputShape: [number, number, number];
      metrics: unknown;
    },
  ) {
    return this.createVersion({ ...input, name: input.name ?? 'trained' });
  }

  private checkThresholds(classes: string[], thresholds: Record<string, number> = {}) {
    const unknown = Object.keys(thresholds).filter((name) => !classes.includes(name));
    if (unknown.length) throw new InvalidInputError(`thresholds name unknown classes: ${unknown.join(', ')}`);
  }

  private async createVersion(
    input: Omit<RegisterModelInput, 'files'> & {
      artifactDir: string;
      inputShape: [number, number, number];
      metrics?: unknown;
    },
  ): Promise<VersionWithModel> {
    const { inputShape } = input;
    if (![1, 3].includes(inputShape[2])) {
      throw new InvalidInputError(
        `the model takes ${inputShape[2]} channels; 1 (grayscale) or 3 (RGB) are supported`,
      );
    }
    const version = await this.catalog.createModelVersion({
      plotTypeId: input.plotType.id,
      name: input.name ?? 'default',
      architecture: input.architecture ?? 'custom',
      inputShape,
      classes: input.classes,
      thresholds: input.thresholds ?? {},
      artifactPath: input.artifactDir,
      metrics: input.metrics,
    });
    await this.catalog.defineClasses(
      input.plotType.id,
      input.classes.map((name) => ({
        name,
        ...(KNOWN_CLASSES[name] ?? { colour: '#9FA7B3', severity: 'warn' }),
      })),
    );
    if (input.activate) await this.catalog.activateModelVersion(input.plotType.id, version.id);
    return this.catalog.getModelVersion(version.id);
  }

  /** What a worker needs to run the version, with its current thresholds (experts may edit them). */
  async spec(
    modelVersionId: number,
  ): Promise<ModelSpec & { name: string; thresholds: Record<string, number> }> {
    const version = await this.catalog.getModelVersion(modelVersionId);
    return {
      modelVersionId,
      kind: 'classifier',
      artifactDir: path.resolve(version.artifact_path),
      inputShape: JSON.parse(version.input_shape) as [number, number, number],
      classes: JSON.parse(version.classes) as string[],
      name: version.model_name,
      thresholds: JSON.parse(version.thresholds) as Record<string, number>,
    };
  }
}
