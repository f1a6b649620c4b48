import type { Kysely } from 'kysely';
import { atomically } from './atomically.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { ModelKind, ModelVersionStatus, SplitName } from '../../enums.ts';
import type { ModelMetrics } from '../../schemas/models.ts';
import type { ActivationRow, Database, ModelVersionRow as ModelVersionTableRow } from '../database.ts';
import { decodeJson, decodeJsonOrNull, encodeJson } from './json-columns.ts';
import { inBatches } from './statement-batches.ts';
import { argMax } from '../../ml/evaluate.ts';
import { assertValidName } from '../../schemas/names.ts';

export type InputShape = [height: number, width: number, channels: number];

/**
 * A model version with its model's name and architecture, its JSON columns decoded. An autoencoder's calibration is
 * read on its own (AnomalyRepository).
 */
export interface ModelVersionRow extends Omit<
  ModelVersionTableRow,
  | 'input_shape'
  | 'classes'
  | 'thresholds'
  | 'metrics'
  | 'anomaly_threshold'
  | 'anomaly_target_rate'
  | 'calibration_images'
> {
  plot_type_id: number;
  model_name: string;
  architecture: string;
  input_shape: InputShape;
  classes: string[];
  thresholds: Record<string, number>;
  metrics: ModelMetrics | null;
}

export interface NewModelVersion {
  plotTypeId: number;
  name: string;
  architecture: string;
  kind: ModelKind;
  inputShape: InputShape;
  classes: string[];
  thresholds: Record<string, number>;
  artifactPath: string;
  metrics?: ModelMetrics;
  /** A trained version's validation and test probabilities per image, stored with it. */
  splitPredictions?: NewSplitPrediction[];
}

export interface NewSplitPrediction {
  split: SplitName;
  imageId: number;
  trueClass: string;
  /** In the order of the version's classes. */
  probabilities: number[];
}

/** One image of a version's split, decoded, with the class the version predicts (the most probable). */
export interface SplitPrediction extends NewSplitPrediction {
  predictedClass: string;
  confidence: number;
}

/** One confusion-matrix cell, a row or a column of it: any of the two may be left out. */
export interface SplitPredictionFilter {
  trueClass?: string;
  predictedClass?: string;
}

/** One change of a plot type's active version. */
export interface Activation extends ActivationRow {
  from_version: number | null;
  to_version: number;
  to_model_name: string;
}

export interface ActivationChange {
  plotTypeId: number;
  versionId: number;
  actor: string;
  reason: string;
}

/** Models of a plot type, their numbered versions, which one is active, and the history of activations. */
export class ModelsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** A new version of the named model (created at its first version), numbered after the last. */
  async createVersion(input: NewModelVersion): Promise<ModelVersionRow> {
    assertValidName('model', input.name);
    for (const name of input.classes) assertValidName('class', name);
    const id = await atomically(this.db, async (trx) => {
      await trx
        .insertInto('model')
        .values({
          plot_type_id: input.plotTypeId,
          name: input.name,
          architecture: input.architecture,
          created_at: Date.now(),
        })
        .onConflict((oc) => oc.columns(['plot_type_id', 'name']).doNothing())
        .execute();
      const model = await trx
        .selectFrom('model')
        .select('id')
        .where('plot_type_id', '=', input.plotTypeId)
        .where('name', '=', input.name)
        .executeTakeFirstOrThrow();
      const last = await trx
        .selectFrom('model_version')
        .select((eb) => eb.fn.max('version').as('version'))
        .where('model_id', '=', model.id)
        .executeTakeFirst();
      const inserted = await trx
        .insertInto('model_version')
        .values({
          model_id: model.id,
          version: Number(last?.version ?? 0) + 1,
          status: 'ready',
          kind: input.kind,
          input_shape: encodeJson(input.inputShape),
          classes: encodeJson(input.classes),
          thresholds: encodeJson(input.thresholds),
          metrics: input.metrics === undefined ? null : encodeJson(input.metrics),
          artifact_path: input.artifactPath,
          backend: null,
          created_at: Date.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const batch of inBatches(input.splitPredictions ?? [])) {
        await trx
          .insertInto('split_prediction')
          .values(
            batch.map((prediction) => ({
              model_version_id: inserted.id,
              split: prediction.split,
              image_id: prediction.imageId,
              true_class: prediction.trueClass,
              probabilities: encodeJson(prediction.probabilities),
            })),
          )
          .execute();
      }
      return inserted.id;
    });
    return this.getVersion(id);
  }

  /** The version's images of one split, by image id, each with its predicted class; none for an imported version. */
  async splitPredictions(
    version: Pick<ModelVersionRow, 'id' | 'classes'>,
    split: SplitName,
    { trueClass, predictedClass }: SplitPredictionFilter = {},
  ): Promise<SplitPrediction[]> {
    let query = this.db
      .selectFrom('split_prediction')
      .select(['split', 'image_id', 'true_class', 'probabilities'])
      .where('model_version_id', '=', version.id)
      .where('split', '=', split);
    if (trueClass !== undefined) query = query.where('true_class', '=', trueClass);
    const rows = await query.orderBy('image_id').execute();
    return rows
      .map((row) => {
        const probabilities = decodeJson<number[]>(row.probabilities);
        const predicted = argMax(probabilities);
        return {
          split: row.split,
          imageId: row.image_id,
          trueClass: row.true_class,
          probabilities,
          predictedClass: version.classes[predicted]!,
          confidence: probabilities[predicted]!,
        };
      })
      .filter((row) => predictedClass === undefined || row.predictedClass === predictedClass);
  }

  private versions() {
    return this.db
      .selectFrom('model_version')
      .innerJoin('model', 'model.id', 'model_version.model_id')
      .selectAll('model_version')
      .select(['model.plot_type_id', 'model.name as model_name', 'model.architecture']);
  }

  private static decode(
    row: Awaited<ReturnType<ReturnType<ModelsRepository['versions']>['executeTakeFirstOrThrow']>>,
  ): ModelVersionRow {
    return {
      ...row,
      input_shape: decodeJson<InputShape>(row.input_shape),
      classes: decodeJson<string[]>(row.classes),
      thresholds: decodeJson<Record<string, number>>(row.thresholds),
      metrics: decodeJsonOrNull<ModelMetrics>(row.metrics),
    };
  }

  async getVersion(id: number): Promise<ModelVersionRow> {
    const row = await this.versions().where('model_version.id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(`model version ${id} does not exist`);
    return ModelsRepository.decode(row);
  }

  /** Newest first. */
  async listVersions(plotTypeId: number): Promise<ModelVersionRow[]> {
    const rows = await this.versions()
      .where('model.plot_type_id', '=', plotTypeId)
      .orderBy('model_version.id', 'desc')
      .execute();
    return rows.map(ModelsRepository.decode);
  }

  /** The version that was active before the current one, for a rollback. */
  async previouslyActiveVersion(plotTypeId: number): Promise<ModelVersionRow | undefined> {
    const row = await this.versions()
      .where('model.plot_type_id', '=', plotTypeId)
      .where('model_version.status', '=', 'ready')
      .where('model_version.activated_at', 'is not', null)
      .orderBy('model_version.activated_at', 'desc')
      .executeTakeFirst();
    return row && ModelsRepository.decode(row);
  }

  async updateVersion(
    versionId: number,
    changes: {
      thresholds?: Record<string, number>;
      status?: Exclude<ModelVersionStatus, 'active' | 'training'>;
    },
  ): Promise<ModelVersionRow> {
    await this.db
      .updateTable('model_version')
      .set({
        ...(changes.thresholds ? { thresholds: encodeJson(changes.thresholds) } : {}),
        ...(changes.status ? { status: changes.status } : {}),
      })
      .where('id', '=', versionId)
      .execute();
    return this.getVersion(versionId);
  }

  /**
   * Makes the version the plot type's active one, records the change, and returns the id of the version it
   * replaced (which goes back to ready), or null when nothing was replaced.
   */
  async activate(change: ActivationChange): Promise<number | null> {
    const { plotTypeId, versionId } = change;
    const version = await this.getVersion(versionId);
    if (version.plot_type_id !== plotTypeId) {
      throw new ConflictError(`model version ${versionId} does not belong to plot type ${plotTypeId}`);
    }
    return atomically(this.db, async (trx) => {
      const plotType = await trx
        .selectFrom('plot_type')
        .select('active_model_version_id')
        .where('id', '=', plotTypeId)
        .executeTakeFirstOrThrow();
      const previous = plotType.active_model_version_id;
      if (previous === versionId) return null;
      const now = Date.now();
      if (previous !== null) {
        await trx.updateTable('model_version').set({ status: 'ready' }).where('id', '=', previous).execute();
      }
      await trx
        .updateTable('model_version')
        .set({ status: 'active', activated_at: now })
        .where('id', '=', versionId)
        .execute();
      await trx
        .updateTable('plot_type')
        .set({ active_model_version_id: versionId })
        .where('id', '=', plotTypeId)
        .execute();
      await trx
        .insertInto('activation')
        .values({
          plot_type_id: plotTypeId,
          from_version_id: previous,
          to_version_id: versionId,
          actor: change.actor,
          reason: change.reason,
          created_at: now,
        })
        .execute();
      return previous;
    });
  }

  /** The plot type's activations, newest first, with version numbers instead of ids. */
  async activations(plotTypeId: number): Promise<Activation[]> {
    return this.db
      .selectFrom('activation')
      .innerJoin('model_version as to_version', 'to_version.id', 'activation.to_version_id')
      .innerJoin('model as to_model', 'to_model.id', 'to_version.model_id')
      .leftJoin('model_version as from_version', 'from_version.id', 'activation.from_version_id')
      .selectAll('activation')
      .select([
        'from_version.version as from_version',
        'to_version.version as to_version',
        'to_model.name as to_model_name',
      ])
      .where('activation.plot_type_id', '=', plotTypeId)
      .orderBy('activation.id', 'desc')
      .execute();
  }
}
