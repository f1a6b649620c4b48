import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { LabelFilter, LabelSort, LabelSource } from '../../enums.ts';
import type { Database } from '../database.ts';

export interface LabelerFilters {
  plotTypeId?: number;
  filter: LabelFilter;
  /** The current label's class (implies labeled). */
  labeledAs?: string;
  /** Who gave the current label. */
  labeledBy?: string;
  /** Only images whose latest verdict's confidence is below it. */
  maxConfidence?: number;
  runFrom?: number;
  runTo?: number;
  from?: number;
  to?: number;
}

export interface LabelerQuery extends LabelerFilters {
  sort: LabelSort;
  limit: number;
  offset: number;
}

/** An image as the labeler shows it: its current label and the scores of its latest verdict. */
export interface LabelerImageRow {
  image_id: number;
  plot_type_id: number;
  plot_type: string;
  run_number: number | null;
  captured_at: number;
  status: string;
  label_id: number | null;
  label_class: string | null;
  label_source: LabelSource | null;
  label_user: string | null;
  label_created_at: number | null;
  label_batch_id: number | null;
  verdict: string | null;
  confidence: number | null;
  margin: number | null;
  entropy: number | null;
  mistakenness: number | null;
}

type ImageQuery = SelectQueryBuilder<Database, 'image', object>;
type SortColumn =
  'image.run_number' | 'image.confidence' | 'image.margin' | 'image.entropy' | 'image.mistakenness';

/**
 * Each order: its column (none: newest first by id), its direction, and the column an image must have to be ranked
 * (margin and entropy exist exactly when the confidence does; testing the confidence lets the count of a label
 * state use the index on plot type, label class and confidence). Each order has an index (plot type, column, id).
 */
const ORDERS: Record<LabelSort, { column?: SortColumn; direction: 'asc' | 'desc'; requires?: SortColumn }> = {
  newest: { direction: 'desc' },
  run: { column: 'image.run_number', direction: 'asc', requires: 'image.run_number' },
  'least-confident': { column: 'image.confidence', direction: 'asc', requires: 'image.confidence' },
  'smallest-margin': { column: 'image.margin', direction: 'asc', requires: 'image.confidence' },
  'highest-entropy': { column: 'image.entropy', direction: 'desc', requires: 'image.confidence' },
  'most-mistaken': { column: 'image.mistakenness', direction: 'desc', requires: 'image.mistakenness' },
};

/** The filters, on the image row's own columns (the copies of migration 0008), so that an index serves them. */
export function whereLabeler(query: ImageQuery, filters: LabelerFilters & { sort?: LabelSort }): ImageQuery {
  let rows = query;
  const { requires } = ORDERS[filters.sort ?? 'newest'];
  if (requires) rows = rows.where(requires, 'is not', null);
  if (filters.plotTypeId !== undefined) rows = rows.where('image.plot_type_id', '=', filters.plotTypeId);
  if (filters.runFrom !== undefined) rows = rows.where('image.run_number', '>=', filters.runFrom);
  if (filters.runTo !== undefined) rows = rows.where('image.run_number', '<=', filters.runTo);
  if (filters.from !== undefined) rows = rows.where('image.captured_at', '>=', filters.from);
  if (filters.to !== undefined) rows = rows.where('image.captured_at', '<=', filters.to);
  if (filters.maxConfidence !== undefined) rows = rows.where('image.confidence', '<', filters.maxConfidence);
  if (filters.labeledAs !== undefined) rows = rows.where('image.label_class', '=', filters.labeledAs);
  if (filters.filter === 'labeled') rows = rows.where('image.label_class', 'is not', null);
  if (filters.filter === 'unlabeled') rows = rows.where('image.label_class', 'is', null);
  if (filters.filter === 'disagreement') rows = rows.where('image.mistakenness', 'is not', null);
  if (filters.labeledBy !== undefined) {
    const user = filters.labeledBy;
    rows = rows.where((eb) =>
      eb.exists(
        eb
          .selectFrom('label')
          .select('label.id')
          .whereRef('label.image_id', '=', 'image.id')
          .where('label.superseded_at', 'is', null)
          .where('label.user_name', '=', user),
      ),
    );
  }
  return rows;
}

/** One page of the labeler's queue, in its order, and how many images match in all. */
export async function labelerPage(
  db: Kysely<Database>,
  query: LabelerQuery,
): Promise<{ rows: LabelerImageRow[]; total: number }> {
  const { column, direction } = ORDERS[query.sort];
  let matching = whereLabeler(db.selectFrom('image'), query);
  if (column) matching = matching.orderBy(column, direction);
  const ordered = matching.orderBy('image.id', direction);
  const rows = ordered
    .innerJoin('plot_type', 'plot_type.id', 'image.plot_type_id')
    .leftJoin('label', (join) =>
      join.onRef('label.image_id', '=', 'image.id').on('label.superseded_at', 'is', null),
    )
    .select([
      'image.id as image_id',
      'image.plot_type_id',
      'plot_type.name as plot_type',
      'image.run_number',
      'image.captured_at',
      'image.status',
      'label.id as label_id',
      'label.class_name as label_class',
      'label.source as label_source',
      'label.user_name as label_user',
      'label.created_at as label_created_at',
      'label.batch_id as label_batch_id',
      'image.verdict',
      'image.confidence',
      'image.margin',
      'image.entropy',
      'image.mistakenness',
    ])
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  const counted = whereLabeler(db.selectFrom('image'), query)
    .select((eb) => eb.fn.countAll<number | string>().as('total'))
    .executeTakeFirstOrThrow();
  // On PostgreSQL the two run at once, on two connections of the pool.
  const [page, count] = await Promise.all([rows, counted]);
  return { rows: page, total: Number(count.total) };
}
