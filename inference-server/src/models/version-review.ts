import type { Catalog } from '../catalog/catalog.ts';
import type {
  ModelVersionRow,
  SplitPrediction,
  SplitPredictionFilter,
} from '../catalog/repositories/models-repository.ts';
import type { SplitName } from '../enums.ts';
import { InvalidInputError } from '../errors.ts';
import type { PromotionGate } from '../schemas/library.ts';
import { promotionGate } from './promotion-gate.ts';
import { evaluateShared, sharedTestImages, type SharedTestImage } from './shared-test-images.ts';

/** Two versions on the test images they share. */
export interface Comparison {
  a: ModelVersionRow;
  b: ModelVersionRow;
  shared: SharedTestImage[];
  evaluations: { a: ReturnType<typeof evaluateShared>; b: ReturnType<typeof evaluateShared> } | null;
  /** Shared images on which the two predict different classes. */
  disagreements: SharedTestImage[];
}

/**
 * What the Library shows of trained versions beyond their metrics: a split's images with their probabilities (one
 * confusion-matrix cell at a time), two versions side by side, and the promotion gate of a version.
 */
export class VersionReview {
  constructor(
    private readonly catalog: Catalog,
    private readonly promotionMargin: number,
  ) {}

  /** The version's images of a split; a class filter it does not have is a 400 naming its classes. */
  async splitPredictions(
    plotTypeId: number,
    versionId: number,
    split: SplitName,
    filter: SplitPredictionFilter,
  ): Promise<{ version: ModelVersionRow; items: SplitPrediction[] }> {
    const version = await this.versionOf(plotTypeId, versionId);
    for (const name of [filter.trueClass, filter.predictedClass]) {
      if (name !== undefined && !version.classes.includes(name)) {
        throw new InvalidInputError(
          `version ${version.version} has no class ${JSON.stringify(name)}: its classes are ${version.classes.join(', ')}`,
        );
      }
    }
    return { version, items: await this.catalog.models.splitPredictions(version, split, filter) };
  }

  async compare(plotTypeId: number, aId: number, bId: number): Promise<Comparison> {
    if (aId === bId) throw new InvalidInputError(`compare two different versions, not ${aId} with itself`);
    const [a, b] = [await this.versionOf(plotTypeId, aId), await this.versionOf(plotTypeId, bId)];
    const shared = await this.shared(a, b);
    return {
      a,
      b,
      shared,
      evaluations:
        shared.length === 0 ? null : { a: evaluateShared(shared, 'a', a), b: evaluateShared(shared, 'b', b) },
      disagreements: shared.filter((image) => image.a.predictedClass !== image.b.predictedClass),
    };
  }

  /** Whether the version may replace the plot type's active one, and why. */
  async gate(plotTypeId: number, versionId: number): Promise<PromotionGate> {
    const candidate = await this.versionOf(plotTypeId, versionId);
    const { active_model_version_id: activeId } = await this.catalog.plotTypes.get(plotTypeId);
    const active = activeId === null ? null : await this.catalog.models.getVersion(activeId);
    const classes = await this.catalog.plotTypes.listClasses(plotTypeId);
    return promotionGate({
      candidate,
      active,
      shared: active ? await this.shared(candidate, active) : [],
      alarmClasses: classes.filter((c) => c.severity === 'alarm').map((c) => c.name),
      margin: this.promotionMargin,
    });
  }

  private async shared(a: ModelVersionRow, b: ModelVersionRow): Promise<SharedTestImage[]> {
    const { models } = this.catalog;
    return sharedTestImages(
      { version: a, test: await models.splitPredictions(a, 'test') },
      { version: b, test: await models.splitPredictions(b, 'test') },
    );
  }

  /** A version of the plot type: an unknown plot type or version is a 404, another plot type's version a 400. */
  private async versionOf(plotTypeId: number, versionId: number): Promise<ModelVersionRow> {
    const plotType = await this.catalog.plotTypes.get(plotTypeId);
    const version = await this.catalog.models.getVersion(versionId);
    if (version.plot_type_id !== plotTypeId) {
      throw new InvalidInputError(
        `model version ${versionId} belongs to another plot type than ${plotType.name} (id ${plotTypeId})`,
      );
    }
    return version;
  }
}
