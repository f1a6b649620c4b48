import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../catalog/catalog.ts';
import type { ClassDefinition, PlotTypeRow } from '../catalog/repositories/plot-types-repository.ts';
import type {
  Activation,
  InputShape,
  ModelVersionRow,
  NewSplitPrediction,
} from '../catalog/repositories/models-repository.ts';
import type { ModelKind } from '../enums.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.ts';
import type { ModelSpec } from '../inference/messages.ts';
import type { InferencePool } from '../inference/pool.ts';
import type { ReplicaBus, ReplicaMessageOf } from '../replicas/replica-bus.ts';
import type { ModelMetrics } from '../schemas/models.ts';
import type { VerdictRule } from '../pipeline/verdict.ts';
import { writeModelArtifacts, type ModelFile } from './model-artifacts.ts';
import { gateRefusal, type Promotion } from './promotion-gate.ts';
import { notUseful } from './trivial-answer.ts';
import { VersionReview } from './version-review.ts';
import { checkClassNames, checkInputShape, checkModelFits } from './version-checks.ts';

/** Colours and severities for well-known class names; others get a neutral colour and `warn`. */
const KNOWN_CLASSES: Record<string, { colour: string; severity: 'ok' | 'warn' | 'alarm' }> = {
  Good: { colour: '#73BF69', severity: 'ok' },
  Bad: { colour: '#F2495C', severity: 'alarm' },
  NoData: { colour: '#8AB8FF', severity: 'warn' },
  LowStats: { colour: '#FADE2A', severity: 'warn' },
  Cosmic: { colour: '#B877D9', severity: 'warn' },
};

/** The classes with their colours and severities, as a registered version defines them for its plot type. */
export function classDefinitions(classes: readonly string[]): ClassDefinition[] {
  return classes.map((name) => ({
    name,
    ...(KNOWN_CLASSES[name] ?? { colour: '#9FA7B3', severity: 'warn' }),
  }));
}

/** Who changes the library, and why: recorded with every activation. */
export interface Actor {
  actor: string;
  reason: string;
}

interface VersionInput {
  plotType: PlotTypeRow;
  classes: string[];
  name?: string;
  architecture?: string;
  kind?: ModelKind;
  thresholds?: Record<string, number>;
  /** Make the new version active, recorded as done by `activatedBy`. */
  activate?: boolean;
  activatedBy: Actor;
}

export interface ImportModelInput extends VersionInput {
  files: ModelFile[];
}

export interface TrainedModelInput extends VersionInput {
  artifactDir: string;
  inputShape: InputShape;
  metrics: ModelMetrics;
  splitPredictions: NewSplitPrediction[];
}

export interface VersionEdit {
  thresholds?: Record<string, number>;
  status?: 'ready' | 'retired';
}

/** What the batcher needs to run a version and judge its outputs. */
export type RunnableModel = ModelSpec & VerdictRule & { name: string; version: number };

export interface ModelLibraryOptions {
  catalog: Catalog;
  pool: InferencePool;
  /** The other replicas on the catalog: they free a replaced version too. */
  replicas: ReplicaBus;
  logger: FastifyBaseLogger;
  /** The data folder: artifact paths are stored relative to it, so a moved data folder keeps working. */
  dataDir: string;
  modelsDir: string;
  /** HYDRA_PROMOTION_MARGIN: the promotion gate's margin. */
  promotionMargin: number;
}

/**
 * The model registry's rules in one place: import and register versions, activate, roll back, edit thresholds,
 * retire and restore. Every activation is recorded, and the workers are told when a version is replaced.
 */
export class ModelLibrary {
  /** Split predictions, comparisons and the promotion gate of the versions. */
  readonly review: VersionReview;

  constructor(private readonly options: ModelLibraryOptions) {
    this.review = new VersionReview(options.catalog, options.promotionMargin);
  }

  /**
   * Imports an uploaded TF.js layers model as a new version, once a worker has loaded it and it fits its classes.
   * A model that fails a check leaves no folder behind.
   */
  async importModel(input: ImportModelInput): Promise<ModelVersionRow> {
    checkThresholds(input.classes, input.thresholds);
    checkClassNames(input.classes);
    const { name: modelName = 'default' } = input;
    const artifactDir = path.join(this.options.modelsDir, `${input.plotType.id}-${randomUUID()}`);
    let version: ModelVersionRow;
    try {
      await writeModelArtifacts(input.files, artifactDir);
      const shape = await this.options.pool.inspect(artifactDir).catch((error: Error) => {
        // The worker names the files by their path on this server: the uploader knows them by name.
        const reason = error.message.replaceAll(`${artifactDir}${path.sep}`, '');
        throw new InvalidInputError(`model "${modelName}" cannot be loaded: ${reason}`);
      });
      checkModelFits(modelName, input.kind ?? 'classifier', shape, input.classes);
      version = await this.createVersion({ ...input, artifactDir, inputShape: shape.inputShape });
    } catch (error) {
      // Until its version row exists, the folder is nobody's.
      await fs.rm(artifactDir, { recursive: true, force: true });
      throw error;
    }
    return input.activate ? this.activate(input.plotType.id, version.id, input.activatedBy) : version;
  }

  /**
   * Registers the model a training job saved, with its metrics and split predictions. A version no better than
   * always answering the most frequent class (on the test or the validation split) is kept, so that its curves and
   * confusion matrices show what went wrong, but it is not useful: `notUseful` says why, and it is never activated.
   * Asked to activate a useful one, the library does so only when the promotion gate lets it through unconfirmed
   * (it is not worse than the active version), and otherwise says why not.
   */
  async registerTrained(
    input: TrainedModelInput,
  ): Promise<{ version: ModelVersionRow; notUseful?: string; notActivated?: string }> {
    checkThresholds(input.classes, input.thresholds);
    const version = await this.createVersion({ ...input, name: input.name ?? 'trained' });
    const uselessBecause = notUseful(input.metrics);
    if (uselessBecause) return { version, notUseful: `it learned nothing: ${uselessBecause}` };
    if (!input.activate) return { version };
    const gate = await this.review.gate(input.plotType.id, version.id);
    if (!gateRefusal(gate, {})) {
      return { version: await this.makeActive(input.plotType.id, version.id, input.activatedBy) };
    }
    const notActivated = `the promotion gate says it is worse: ${gate.reasons.join('; ')}`;
    this.options.logger.warn(
      { plotType: input.plotType.name, model: version.model_name, version: version.version, notActivated },
      'trained version not activated',
    );
    return { version, notActivated };
  }

  /** Registers the version with its classes; activating it is the caller's next step. */
  private async createVersion(
    input: VersionInput & {
      artifactDir: string;
      inputShape: InputShape;
      metrics?: ModelMetrics;
      splitPredictions?: NewSplitPrediction[];
    },
  ): Promise<ModelVersionRow> {
    const { catalog, dataDir } = this.options;
    const { inputShape, name = 'default' } = input;
    checkInputShape(name, inputShape);
    const version = await catalog.models.createVersion({
      plotTypeId: input.plotType.id,
      name,
      architecture: input.architecture ?? 'custom',
      kind: input.kind ?? 'classifier',
      inputShape,
      classes: input.classes,
      thresholds: input.thresholds ?? {},
      artifactPath: path.relative(dataDir, input.artifactDir),
      metrics: input.metrics,
      splitPredictions: input.splitPredictions,
    });
    await catalog.plotTypes.defineClasses(input.plotType.id, classDefinitions(input.classes));
    return version;
  }

  /**
   * Promotes the version through the promotion gate: a version that learned nothing is refused (422), and one worse
   * than the active version needs `confirmWorse` and a reason (409), which the activation history keeps.
   */
  async activate(
    plotTypeId: number,
    versionId: number,
    by: Actor,
    promotion: Promotion = {},
  ): Promise<ModelVersionRow> {
    const gate = await this.review.gate(plotTypeId, versionId);
    const refusal = gateRefusal(gate, promotion);
    if (refusal) throw refusal;
    const reason = promotion.reason?.trim() || by.reason;
    return this.makeActive(plotTypeId, versionId, { actor: by.actor, reason });
  }

  /** Makes the version active; the replaced one is freed in every worker. */
  private async makeActive(plotTypeId: number, versionId: number, by: Actor): Promise<ModelVersionRow> {
    const { catalog, pool, logger } = this.options;
    const version = await catalog.models.getVersion(versionId);
    if (version.kind !== 'classifier') {
      const what = version.kind === 'autoencoder' ? 'an autoencoder' : 'a Siamese encoder';
      throw new InvalidInputError(
        `version ${version.version} is ${what}: it scores images beside the verdict, activated by ` +
          `training it (POST /api/v1/plot-types/${plotTypeId}/${version.kind}), never as the classifier`,
      );
    }
    if (version.status === 'retired') {
      throw new ConflictError(`version ${version.version} is retired: set its status to ready first`);
    }
    const replaced = await catalog.models.activate({ plotTypeId, versionId, ...by });
    if (replaced !== null) {
      pool.unload(replaced);
      this.options.replicas.send({ type: 'activation', plotTypeId, versionId, replacedId: replaced });
    }
    logger.info(
      { plotTypeId, model: version.model_name, version: version.version, replaced, ...by },
      'model version activated',
    );
    return catalog.models.getVersion(versionId);
  }

  /**
   * Another replica activated a version: the replaced one is freed in this replica's workers too. Batches claimed
   * from now on read the new version from the catalog, and the first of them loads it.
   */
  async activatedElsewhere(
    { plotTypeId, versionId, replacedId }: ReplicaMessageOf<'activation'>,
    replica: string,
  ): Promise<void> {
    const { catalog, pool, logger } = this.options;
    pool.unload(replacedId);
    const [plotType, version, replaced] = await Promise.all([
      catalog.plotTypes.get(plotTypeId),
      catalog.models.getVersion(versionId),
      catalog.models.getVersion(replacedId),
    ]);
    logger.info(
      { plotType: plotType.name, model: version.model_name, version: version.version, replica },
      `${plotType.name}: version ${version.version} of model ${version.model_name} was activated on replica ` +
        `${replica}; version ${replaced.version} of model ${replaced.model_name} is unloaded here`,
    );
  }

  /** Makes the version that was active before the current one active again. */
  async rollback(plotTypeId: number, by: Actor): Promise<ModelVersionRow> {
    await this.options.catalog.plotTypes.get(plotTypeId);
    const previous = await this.options.catalog.models.previouslyActiveVersion(plotTypeId);
    if (!previous) throw new ConflictError('there is no earlier active version to roll back to');
    return this.makeActive(plotTypeId, previous.id, by);
  }

  /** Edits class thresholds (merged into the current ones), or retires or restores the version. */
  async edit(plotTypeId: number, versionId: number, edit: VersionEdit): Promise<ModelVersionRow> {
    const version = await this.versionOf(plotTypeId, versionId);
    checkThresholds(version.classes, edit.thresholds);
    if (edit.status === 'retired' && version.status === 'active') {
      throw new ConflictError(
        'the active version cannot be retired: activate another one or roll back first',
      );
    }
    const updated = await this.options.catalog.models.updateVersion(versionId, {
      thresholds: edit.thresholds && { ...version.thresholds, ...edit.thresholds },
      status: edit.status,
    });
    this.options.logger.info(
      { plotTypeId, model: version.model_name, version: version.version, edit },
      'model version edited',
    );
    return updated;
  }

  async versions(plotTypeId: number): Promise<ModelVersionRow[]> {
    await this.options.catalog.plotTypes.get(plotTypeId);
    return this.options.catalog.models.listVersions(plotTypeId);
  }

  /** Every change of the plot type's active version, newest first. */
  async history(plotTypeId: number): Promise<Activation[]> {
    await this.options.catalog.plotTypes.get(plotTypeId);
    return this.options.catalog.models.activations(plotTypeId);
  }

  /** What a worker needs to run the version, with its current thresholds (experts may edit them). */
  async runnable(modelVersionId: number): Promise<RunnableModel> {
    const version = await this.options.catalog.models.getVersion(modelVersionId);
    return {
      modelVersionId,
      kind: version.kind,
      artifactDir: path.resolve(this.options.dataDir, version.artifact_path),
      inputShape: version.input_shape,
      classes: version.classes,
      thresholds: version.thresholds,
      name: version.model_name,
      version: version.version,
    };
  }

  private async versionOf(plotTypeId: number, versionId: number): Promise<ModelVersionRow> {
    const version = await this.options.catalog.models.getVersion(versionId);
    if (version.plot_type_id !== plotTypeId) {
      throw new NotFoundError(`model version ${versionId} is not one of plot type ${plotTypeId}`);
    }
    return version;
  }
}

function checkThresholds(classes: string[], thresholds: Record<string, number> = {}) {
  const unknown = Object.keys(thresholds).filter((name) => !classes.includes(name));
  if (unknown.length) throw new InvalidInputError(`thresholds name unknown classes: ${unknown.join(', ')}`);
}
