import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../catalog/catalog.ts';
import type { LabelBatch } from '../catalog/repositories/label-batches-repository.ts';
import type { LabelerFilters } from '../catalog/repositories/labeler-query.ts';
import type { LabelBatchRow, LabelRow, NewLabels } from '../catalog/repositories/labels-repository.ts';
import type { LabelAction, LabelSource, Role } from '../enums.ts';
import { ConflictError, ForbiddenError, InvalidInputError } from '../errors.ts';
import type { AgreementTracker } from '../models/agreement.ts';
import type { LiveEvents } from '../pipeline/live-events.ts';
import type { LabelChange } from '../schemas/index.ts';
import { labelChangeView } from '../views/api-views.ts';

export interface Labeler {
  name: string;
  role: Role;
}

export interface LabelRequest {
  imageIds: number[];
  className: string;
  source: LabelSource;
  user: Labeler;
  applyId?: string;
}

export interface LabelByFilterRequest {
  filters: LabelerFilters;
  className: string;
  expectedCount: number;
  user: Labeler;
  applyId?: string;
}

/** Image ids a live `label` event lists at most: a larger batch says its count, and a reader reloads. */
const LABEL_CHANGE_IMAGES = 1000;

/** The live `label` event of a batch, as every replica builds it from the catalog. */
export async function loadLabelChange(
  catalog: Catalog,
  batchId: number,
  action: LabelAction,
): Promise<LabelChange> {
  return labelChangeView(await catalog.labelBatches.withImages(batchId, LABEL_CHANGE_IMAGES), action);
}

/** Roles whose labels may be recorded as imported (from a labeled set, not judged here). */
const IMPORT_ROLES: readonly Role[] = ['expert', 'admin'];

/** The most images one label-by-filter takes: what the user confirms is a count, not a list. */
export const MAX_LABEL_BY_FILTER = 100_000;

/**
 * Labels as the rules allow them: imported labels only from experts and admins, one plot type per apply, and only
 * classes that plot type has (a plot type with no classes yet takes any valid name: its first labels define what
 * it learns). Each apply is a batch that its author (or an admin) can undo and redo. Each human label is also a
 * vote on the model's verdict.
 */
export class LabelingService {
  constructor(
    private readonly catalog: Catalog,
    private readonly agreement: AgreementTracker,
    private readonly events: LiveEvents,
    private readonly logger: FastifyBaseLogger,
  ) {}

  async label({
    imageIds,
    className,
    source,
    user,
    applyId,
  }: LabelRequest): Promise<{ batch: LabelBatchRow; labels: LabelRow[] }> {
    if (source === 'import' && !IMPORT_ROLES.includes(user.role)) {
      throw new ForbiddenError('imported labels need the expert or admin role');
    }
    const ids = [...new Set(imageIds)];
    await this.checkImages(ids, className);
    return this.apply({ imageIds: ids, className, source, user: user.name, applyId });
  }

  /** Labels every image the filters match, if there are still as many as the user confirmed. */
  async labelByFilter({
    filters,
    className,
    expectedCount,
    user,
    applyId,
  }: LabelByFilterRequest): Promise<LabelBatchRow> {
    if (filters.plotTypeId === undefined) {
      throw new InvalidInputError('label-by-filter needs query.plotTypeId: one apply labels one plot type');
    }
    const plotType = await this.catalog.plotTypes.get(filters.plotTypeId);
    await this.checkClass(plotType.id, plotType.name, className);
    const ids = await this.catalog.labels.matchingImageIds(filters, MAX_LABEL_BY_FILTER + 1);
    if (ids.length !== expectedCount) {
      throw new ConflictError(
        `the filter now matches ${ids.length > MAX_LABEL_BY_FILTER ? `more than ${MAX_LABEL_BY_FILTER}` : ids.length} ` +
          `images, not the ${expectedCount} confirmed: look at them again and confirm the new count`,
      );
    }
    return (await this.apply({ imageIds: ids, className, source: 'labeler', user: user.name, applyId }))
      .batch;
  }

  async undo(batchId: number, user: Labeler): Promise<LabelBatch> {
    const batch = await this.catalog.labelBatches.undo(batchId, (found) =>
      this.checkOwner(found, user, 'undo'),
    );
    this.logger.info({ batch: batchId, plotType: batch.plot_type, user: user.name }, 'label batch undone');
    await this.announce(batchId, 'undone');
    return batch;
  }

  async redo(batchId: number, user: Labeler): Promise<LabelBatch> {
    const batch = await this.catalog.labelBatches.redo(batchId, (found) =>
      this.checkOwner(found, user, 'redo'),
    );
    this.logger.info({ batch: batchId, plotType: batch.plot_type, user: user.name }, 'label batch redone');
    await this.announce(batchId, 'redone');
    return batch;
  }

  private async apply(labels: NewLabels) {
    const applied = await this.catalog.labels.add(labels);
    await this.agreement.recordLabels(applied.labels);
    const { className, source, user } = labels;
    this.logger.info(
      { images: applied.labels.length, class: className, source, user, batch: applied.batch.id },
      'labels added',
    );
    await this.announce(applied.batch.id, 'applied');
    return applied;
  }

  /** Tells open streams, on every replica, that the batch's labels changed; the labels stay stored if it fails. */
  private async announce(batchId: number, action: LabelAction): Promise<void> {
    await loadLabelChange(this.catalog, batchId, action).then(
      (change) => this.events.publish('label', change),
      (error: Error) => this.logger.warn({ err: error, batch: batchId }, 'could not announce a label change'),
    );
  }

  private checkOwner(batch: LabelBatch, user: Labeler, action: string): void {
    if (batch.user_name !== user.name && user.role !== 'admin') {
      throw new ForbiddenError(
        `label batch ${batch.id} is ${batch.user_name}'s: only they or an admin may ${action} it`,
      );
    }
  }

  /** The images are of one plot type, which has the class. */
  private async checkImages(imageIds: number[], className: string): Promise<void> {
    // Unknown ids are the labels repository's to refuse, inside its transaction.
    const images = await this.catalog.images.list(imageIds);
    const plotTypes = new Map(images.map((image) => [image.plot_type_id, image.plot_type]));
    if (plotTypes.size > 1) {
      throw new InvalidInputError(
        `the images are of ${plotTypes.size} plot types (${[...plotTypes.values()].join(', ')}): ` +
          'label one plot type per request',
      );
    }
    for (const [plotTypeId, plotType] of plotTypes) await this.checkClass(plotTypeId, plotType, className);
  }

  private async checkClass(plotTypeId: number, plotType: string, className: string): Promise<void> {
    const classes = (await this.catalog.plotTypes.listClasses(plotTypeId)).map((c) => c.name);
    if (classes.length > 0 && !classes.includes(className)) {
      throw new InvalidInputError(
        `plot type ${plotType} has no class "${className}": its classes are ${classes.join(', ')} ` +
          '(an expert adds one with POST /api/v1/plot-types and its classes)',
      );
    }
  }
}
