import { sql, type Kysely, type Transaction } from 'kysely';
import { ConflictError, NotFoundError, UnknownReferenceError } from '../errors.ts';
import { connectCatalog, type SqlEngine } from './connection.ts';
import type {
  ApiTokenRow,
  ClassSeverity,
  Database,
  DeploymentRow,
  ImageRow,
  ImageStatus,
  ModelVersionRow,
  NewImage,
  NewPrediction,
  PlotTypeRow,
  PredictionRow,
  Role,
} from './database.ts';
import { LabelCatalog } from './labels.ts';
import { migrateToLatest } from './migrations/index.ts';
import { TrainingJobCatalog } from './training-jobs.ts';

export interface ClassDefinition {
  name: string;
  colour: string;
  severity: ClassSeverity;
}

/** A claimed image with the model version that should classify it now. */
export interface ClaimedImage extends ImageRow {
  active_model_version_id: number | null;
}

export interface PredictionFilter {
  deploymentId?: number;
  plotTypeId?: number;
  runNumber?: number;
  verdict?: string;
  from?: number;
  to?: number;
  limit: number;
  offset: number;
}

export interface PredictionWithImage extends PredictionRow {
  model_name: string;
  plot_type: string;
  deployment: string;
  run_number: number | null;
  captured_at: number;
  model_version: number;
}

export interface ImageWithContext extends ImageRow {
  deployment: string;
  plot_type: string;
  run_number: number | null;
}

export interface LatestPlot {
  plotType: PlotTypeRow;
  image: ImageWithContext | null;
  prediction: PredictionWithImage | null;
}

export interface VersionWithModel extends ModelVersionRow {
  plot_type_id: number;
  model_name: string;
  architecture: string;
}

/** The SQL catalog: every query the server runs, one code path for SQLite and PostgreSQL. */
export class Catalog {
  readonly labels: LabelCatalog;
  readonly trainingJobs: TrainingJobCatalog;

  private constructor(
    readonly db: Kysely<Database>,
    readonly engine: SqlEngine,
  ) {
    this.labels = new LabelCatalog(db);
    this.trainingJobs = new TrainingJobCatalog(db);
  }

  static open(url: string): Catalog {
    const { db, engine } = connectCatalog(url);
    return new Catalog(db, engine);
  }

  migrate(): Promise<string[]> {
    return migrateToLatest(this.db as Kysely<unknown>, this.engine);
  }

  close(): Promise<void> {
    return this.db.destroy();
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  // Deployments and plot types

  async findDeployment(name: string): Promise<DeploymentRow | undefined> {
    return this.db.selectFrom('deployment').selectAll().where('name', '=', name).executeTakeFirst();
  }

  /** The deployment a request names; an unknown name is the caller's mistake (422), not a missing route. */
  async requireDeployment(name: string): Promise<DeploymentRow> {
    const found = await this.findDeployment(name);
    if (!found) throw new UnknownReferenceError(`deployment "${name}" is not registered`);
    return found;
  }

  async listDeployments(): Promise<DeploymentRow[]> {
    return this.db.selectFrom('deployment').selectAll().orderBy('name').execute();
  }

  async ensureDeployment(name: string, title = name): Promise<DeploymentRow> {
    await this.db
      .insertInto('deployment')
      .values({ name, title, created_at: Date.now() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    return this.db.selectFrom('deployment').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
  }

  async findPlotType(deploymentId: number, name: string): Promise<PlotTypeRow | undefined> {
    return this.db
      .selectFrom('plot_type')
      .selectAll()
      .where('deployment_id', '=', deploymentId)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  async getPlotType(id: number): Promise<PlotTypeRow> {
    const row = await this.db.selectFrom('plot_type').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(`plot type ${id} does not exist`);
    return row;
  }

  async listPlotTypes(deploymentId: number): Promise<PlotTypeRow[]> {
    return this.db
      .selectFrom('plot_type')
      .selectAll()
      .where('deployment_id', '=', deploymentId)
      .orderBy('group_name')
      .orderBy('name')
      .execute();
  }

  async ensurePlotType(
    deploymentId: number,
    name: string,
    options: { group?: string; title?: string } = {},
  ): Promise<PlotTypeRow> {
    await this.db
      .insertInto('plot_type')
      .values({
        deployment_id: deploymentId,
        name,
        group_name: options.group ?? 'default',
        title: options.title ?? name,
        active_model_version_id: null,
        created_at: Date.now(),
      })
      .onConflict((oc) => oc.columns(['deployment_id', 'name']).doNothing())
      .execute();
    return (await this.findPlotType(deploymentId, name))!;
  }

  async listClasses(plotTypeId: number) {
    return this.db
      .selectFrom('class')
      .selectAll()
      .where('plot_type_id', '=', plotTypeId)
      .orderBy('position')
      .execute();
  }

  /** Makes the plot type's classes the given list, in order; existing colours and severities are updated. */
  async defineClasses(plotTypeId: number, classes: ClassDefinition[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const [position, c] of classes.entries()) {
        await trx
          .insertInto('class')
          .values({
            plot_type_id: plotTypeId,
            name: c.name,
            colour: c.colour,
            severity: c.severity,
            position,
          })
          .onConflict((oc) =>
            oc
              .columns(['plot_type_id', 'name'])
              .doUpdateSet({ colour: c.colour, severity: c.severity, position }),
          )
          .execute();
      }
    });
  }

  // Runs

  async ensureRun(deploymentId: number, number: number, startedAt: number): Promise<number> {
    await this.db
      .insertInto('run')
      .values({
        deployment_id: deploymentId,
        number,
        started_at: startedAt,
        ended_at: null,
        beam_state: null,
      })
      .onConflict((oc) => oc.columns(['deployment_id', 'number']).doNothing())
      .execute();
    const row = await this.db
      .selectFrom('run')
      .select('id')
      .where('deployment_id', '=', deploymentId)
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Runs of a deployment, newest first, with how many images each has. */
  async listRuns(deploymentId: number, limit: number, offset: number) {
    return this.db
      .selectFrom('run')
      .leftJoin('image', 'image.run_id', 'run.id')
      .select([
        'run.number',
        'run.started_at',
        'run.ended_at',
        'run.beam_state',
        (eb) => eb.fn.count<number>('image.id').as('images'),
        (eb) => eb.fn.max('image.captured_at').as('last_image_at'),
      ])
      .where('run.deployment_id', '=', deploymentId)
      .groupBy(['run.id', 'run.number', 'run.started_at', 'run.ended_at', 'run.beam_state'])
      .orderBy('run.number', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
  }

  // Images

  /** Inserts the image unless its dedup key exists; either way returns the stored row. */
  async insertImage(image: NewImage): Promise<{ image: ImageRow; created: boolean }> {
    const inserted = await this.db
      .insertInto('image')
      .values(image)
      .onConflict((oc) => oc.column('dedup_key').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { image: inserted, created: true };
    const existing = await this.db
      .selectFrom('image')
      .selectAll()
      .where('dedup_key', '=', image.dedup_key)
      .executeTakeFirstOrThrow();
    return { image: existing, created: false };
  }

  private imagesWithContext() {
    return this.db
      .selectFrom('image')
      .innerJoin('plot_type', 'plot_type.id', 'image.plot_type_id')
      .innerJoin('deployment', 'deployment.id', 'plot_type.deployment_id')
      .leftJoin('run', 'run.id', 'image.run_id')
      .selectAll('image')
      .select(['deployment.name as deployment', 'plot_type.name as plot_type', 'run.number as run_number']);
  }

  async getImage(id: number): Promise<ImageWithContext> {
    const row = await this.imagesWithContext().where('image.id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(`image ${id} does not exist`);
    return row;
  }

  async countImagesByStatus(): Promise<Record<ImageStatus, number>> {
    const rows = await this.db
      .selectFrom('image')
      .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy('status')
      .execute();
    const counts: Record<ImageStatus, number> = { pending: 0, classified: 0, failed: 0, no_model: 0 };
    for (const row of rows) counts[row.status] = Number(row.count);
    return counts;
  }

  /**
   * Claims up to `limit` pending images for `owner` until `now + leaseMs`. Claims of a crashed replica
   * expire, so another takes its images; on PostgreSQL, concurrent replicas skip each other's rows.
   */
  async claimPending(
    owner: string,
    limit: number,
    leaseMs: number,
    now = Date.now(),
  ): Promise<ClaimedImage[]> {
    const claimable = this.db
      .selectFrom('image')
      .select('id')
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .orderBy('id')
      .limit(limit);
    const ids = await this.db
      .updateTable('image')
      .set((eb) => ({ claimed_by: owner, claimed_until: now + leaseMs, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', this.engine === 'postgres' ? claimable.forUpdate().skipLocked() : claimable)
      .returning('id')
      .execute();
    if (ids.length === 0) return [];
    return this.db
      .selectFrom('image')
      .innerJoin('plot_type', 'plot_type.id', 'image.plot_type_id')
      .selectAll('image')
      .select('plot_type.active_model_version_id')
      .where(
        'image.id',
        'in',
        ids.map((r) => r.id),
      )
      .orderBy('image.id')
      .execute();
  }

  /**
   * Gives back this owner's claims, e.g. on a clean shutdown, so that no lease has to expire. A claim given
   * back unused was no attempt; one left by a crash (released at the next start) stays counted.
   */
  async releaseClaims(owner: string, { unused }: { unused: boolean }): Promise<void> {
    await this.db
      .updateTable('image')
      .set((eb) => ({
        claimed_by: null,
        claimed_until: null,
        attempts: unused ? eb('attempts', '-', 1) : eb.ref('attempts'),
      }))
      .where('claimed_by', '=', owner)
      .where('status', '=', 'pending')
      .execute();
  }

  async finishImages(ids: number[], status: Exclude<ImageStatus, 'pending'>, error: string | null = null) {
    if (ids.length === 0) return;
    await this.db
      .updateTable('image')
      .set({ status, error, claimed_by: null, claimed_until: null })
      .where('id', 'in', ids)
      .execute();
  }

  /** Stores the predictions and marks their images classified, atomically. */
  async recordPredictions(predictions: NewPrediction[]): Promise<PredictionRow[]> {
    if (predictions.length === 0) return [];
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx.insertInto('prediction').values(predictions).returningAll().execute();
      await this.markClassified(
        trx,
        predictions.map((p) => p.image_id),
      );
      return rows;
    });
  }

  private async markClassified(trx: Transaction<Database>, imageIds: number[]) {
    await trx
      .updateTable('image')
      .set({ status: 'classified', error: null, claimed_by: null, claimed_until: null })
      .where('id', 'in', imageIds)
      .execute();
  }

  // Predictions

  private predictionsWithImage() {
    return this.db
      .selectFrom('prediction')
      .innerJoin('image', 'image.id', 'prediction.image_id')
      .innerJoin('plot_type', 'plot_type.id', 'image.plot_type_id')
      .innerJoin('deployment', 'deployment.id', 'plot_type.deployment_id')
      .innerJoin('model_version', 'model_version.id', 'prediction.model_version_id')
      .innerJoin('model', 'model.id', 'model_version.model_id')
      .leftJoin('run', 'run.id', 'image.run_id')
      .selectAll('prediction')
      .select([
        'model.name as model_name',
        'plot_type.name as plot_type',
        'deployment.name as deployment',
        'run.number as run_number',
        'image.captured_at as captured_at',
        'model_version.version as model_version',
      ]);
  }

  async listPredictions(filter: PredictionFilter): Promise<PredictionWithImage[]> {
    let query = this.predictionsWithImage();
    if (filter.deploymentId !== undefined) query = query.where('deployment.id', '=', filter.deploymentId);
    if (filter.plotTypeId !== undefined) query = query.where('plot_type.id', '=', filter.plotTypeId);
    if (filter.runNumber !== undefined) query = query.where('run.number', '=', filter.runNumber);
    if (filter.verdict !== undefined) query = query.where('prediction.verdict', '=', filter.verdict);
    if (filter.from !== undefined) query = query.where('prediction.created_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('prediction.created_at', '<=', filter.to);
    return query
      .orderBy('prediction.created_at', 'desc')
      .orderBy('prediction.id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute();
  }

  async getPredictionsByIds(ids: number[]): Promise<PredictionWithImage[]> {
    if (ids.length === 0) return [];
    return this.predictionsWithImage().where('prediction.id', 'in', ids).orderBy('prediction.id').execute();
  }

  async latestPredictionForImage(imageId: number): Promise<PredictionWithImage | undefined> {
    return this.predictionsWithImage()
      .where('prediction.image_id', '=', imageId)
      .orderBy('prediction.id', 'desc')
      .executeTakeFirst();
  }

  /** The newest image of each plot type of a deployment, with its latest prediction: the plot grid. */
  async latestPlots(deploymentId: number): Promise<LatestPlot[]> {
    const plotTypes = await this.listPlotTypes(deploymentId);
    const latestIds = await this.db
      .selectFrom('image')
      .innerJoin('plot_type', 'plot_type.id', 'image.plot_type_id')
      .select(['image.plot_type_id', (eb) => eb.fn.max('image.id').as('image_id')])
      .where('plot_type.deployment_id', '=', deploymentId)
      .groupBy('image.plot_type_id')
      .execute();
    const imageIds = latestIds.map((r) => Number(r.image_id));
    const images = imageIds.length
      ? await this.imagesWithContext().where('image.id', 'in', imageIds).execute()
      : [];
    const predictions = imageIds.length
      ? await this.predictionsWithImage()
          .where('prediction.image_id', 'in', imageIds)
          .orderBy('prediction.id')
          .execute()
      : [];
    const imageByPlotType = new Map(images.map((image) => [image.plot_type_id, image]));
    const predictionByImage = new Map(predictions.map((p) => [p.image_id, p]));
    return plotTypes.map((plotType) => {
      const image = imageByPlotType.get(plotType.id) ?? null;
      return { plotType, image, prediction: (image && predictionByImage.get(image.id)) ?? null };
    });
  }

  // Models

  async createModelVersion(input: {
    plotTypeId: number;
    name: string;
    architecture: string;
    inputShape: number[];
    classes: string[];
    thresholds: Record<string, number>;
    artifactPath: string;
    metrics?: unknown;
  }): Promise<ModelVersionRow> {
    return this.db.transaction().execute(async (trx) => {
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
      return trx
        .insertInto('model_version')
        .values({
          model_id: model.id,
          version: Number(last?.version ?? 0) + 1,
          status: 'ready',
          input_shape: JSON.stringify(input.inputShape),
          classes: JSON.stringify(input.classes),
          thresholds: JSON.stringify(input.thresholds),
          metrics: input.metrics === undefined ? null : JSON.stringify(input.metrics),
          artifact_path: input.artifactPath,
          backend: null,
          created_at: Date.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  private versionsWithModel() {
    return this.db
      .selectFrom('model_version')
      .innerJoin('model', 'model.id', 'model_version.model_id')
      .selectAll('model_version')
      .select(['model.plot_type_id', 'model.name as model_name', 'model.architecture']);
  }

  async getModelVersion(id: number): Promise<VersionWithModel> {
    const row = await this.versionsWithModel().where('model_version.id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(`model version ${id} does not exist`);
    return row;
  }

  async listModelVersions(plotTypeId: number): Promise<VersionWithModel[]> {
    return this.versionsWithModel()
      .where('model.plot_type_id', '=', plotTypeId)
      .orderBy('model_version.id', 'desc')
      .execute();
  }

  /** The version that was active before the current one, for a rollback. */
  async previouslyActiveVersion(plotTypeId: number): Promise<VersionWithModel | undefined> {
    return this.versionsWithModel()
      .where('model.plot_type_id', '=', plotTypeId)
      .where('model_version.status', '=', 'ready')
      .where('model_version.activated_at', 'is not', null)
      .orderBy('model_version.activated_at', 'desc')
      .executeTakeFirst();
  }

  async updateModelVersion(
    versionId: number,
    changes: { thresholds?: Record<string, number>; status?: 'ready' | 'retired' },
  ): Promise<void> {
    await this.db
      .updateTable('model_version')
      .set({
        ...(changes.thresholds ? { thresholds: JSON.stringify(changes.thresholds) } : {}),
        ...(changes.status ? { status: changes.status } : {}),
      })
      .where('id', '=', versionId)
      .execute();
  }

  /**
   * Makes the version the plot type's active one and returns the id of the version it replaced; that one
   * goes back to ready.
   */
  async activateModelVersion(plotTypeId: number, versionId: number): Promise<number | null> {
    const version = await this.getModelVersion(versionId);
    if (version.plot_type_id !== plotTypeId) {
      throw new ConflictError(`model version ${versionId} does not belong to plot type ${plotTypeId}`);
    }
    return this.db.transaction().execute(async (trx) => {
      const plotType = await trx
        .selectFrom('plot_type')
        .select('active_model_version_id')
        .where('id', '=', plotTypeId)
        .executeTakeFirstOrThrow();
      if (plotType.active_model_version_id !== null && plotType.active_model_version_id !== versionId) {
        await trx
          .updateTable('model_version')
          .set({ status: 'ready' })
          .where('id', '=', plotType.active_model_version_id)
          .execute();
      }
      await trx
        .updateTable('model_version')
        .set({ status: 'active', activated_at: Date.now() })
        .where('id', '=', versionId)
        .execute();
      await trx
        .updateTable('plot_type')
        .set({ active_model_version_id: versionId })
        .where('id', '=', plotTypeId)
        .execute();
      return plotType.active_model_version_id === versionId ? null : plotType.active_model_version_id;
    });
  }

  // API tokens

  async createToken(name: string, role: Role, tokenHash: string): Promise<ApiTokenRow> {
    return this.db
      .insertInto('api_token')
      .values({ name, role, token_hash: tokenHash, created_at: Date.now(), last_used_at: null })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async findTokenByHash(tokenHash: string): Promise<ApiTokenRow | undefined> {
    return this.db.selectFrom('api_token').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  async countTokens(): Promise<number> {
    const row = await this.db
      .selectFrom('api_token')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async touchToken(id: number, now = Date.now()): Promise<void> {
    await this.db.updateTable('api_token').set({ last_used_at: now }).where('id', '=', id).execute();
  }
}
