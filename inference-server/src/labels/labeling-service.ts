import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../catalog/catalog.ts';
import type { LabelRow } from '../catalog/repositories/labels-repository.ts';
import type { LabelSource, Role } from '../enums.ts';
import { ForbiddenError, InvalidInputError } from '../errors.ts';
import type { AgreementTracker } from '../models/agreement.ts';

export interface LabelRequest {
  imageIds: number[];
  className: string;
  source: LabelSource;
  user: { name: string; role: Role };
}

/** Roles whose labels may be recorded as imported (from a labeled set, not judged here). */
const IMPORT_ROLES: readonly Role[] = ['expert', 'admin'];

/**
 * Labels as the rules allow them: imported labels only from experts and admins, and only classes the images'
 * plot types have (a plot type with no classes yet takes any valid name: its first labels define what it learns).
 * Each human label is also a vote on the model's verdict.
 */
export class LabelingService {
  constructor(
    private readonly catalog: Catalog,
    private readonly agreement: AgreementTracker,
    private readonly logger: FastifyBaseLogger,
  ) {}

  async label({ imageIds, className, source, user }: LabelRequest): Promise<LabelRow[]> {
    if (source === 'import' && !IMPORT_ROLES.includes(user.role)) {
      throw new ForbiddenError('imported labels need the expert or admin role');
    }
    const ids = [...new Set(imageIds)];
    await this.checkClass(ids, className);
    const rows = await this.catalog.labels.add(ids, className, source, user.name);
    await this.agreement.recordLabels(rows);
    this.logger.info({ images: rows.length, class: className, source, user: user.name }, 'labels added');
    return rows;
  }

  private async checkClass(imageIds: number[], className: string): Promise<void> {
    // Unknown ids are the labels repository's to refuse, inside its transaction.
    const images = await this.catalog.images.list(imageIds);
    const plotTypes = new Map(images.map((image) => [image.plot_type_id, image.plot_type]));
    for (const [plotTypeId, plotType] of plotTypes) {
      const classes = (await this.catalog.plotTypes.listClasses(plotTypeId)).map((c) => c.name);
      if (classes.length > 0 && !classes.includes(className)) {
        throw new InvalidInputError(
          `plot type ${plotType} has no class "${className}": its classes are ${classes.join(', ')} ` +
            '(an expert adds one with POST /api/v1/plot-types and its classes)',
        );
      }
    }
  }
}
