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
  uniqueness: number | null;
}

type ImageQuery = SelectQueryBuilder<Database, 'image', object>;
type SortColumn =
  | 'image.run_number'
  | 'image.confidence'
  | 'image.margin'
  | 'image.entropy'
  | 'image.mistakenness'
  | 'image.uniqueness';

/**
 * Each order: its column (none: newest first by id) and direction. An order ranks only the images that have its
 * column (margin and entropy exist exactly when the confidence does), so that its index (plot type, column, id)
 * alone yields a page, however deep: the ids a page skips are read from the index, not from the rows.
 */
const ORDERS: Record<LabelSort, { column?: SortColumn; direction: 'asc' | 'desc' }> = {
  newest: { direction: 'desc' },
  run: { column: 'image.run_number', direction: 'asc' },
  'least-confident': { column: 'image.confidence', direction: 'asc' },
  'smallest-margin': { column: 'image.margin', direction: 'asc' },
  'highest-entropy': { column: 'image.entropy', direction: 'desc' },
  'most-mistaken': { column: 'image.mistakenness', direction: 'desc' },
  'most-unique': { column: 'image.uniqueness', direction: 'desc' },
};

/** The filters, on the image row's own columns (the copies of migration 0008), so that an index serves them. */
export function whereLabeler(query: ImageQuery, filters: LabelerFilters & { sort?: LabelSort }): ImageQuery {
  let rows = query;
  const { column } = ORDERS[filters.sort ?? 'newest'];
  if (column) rows = rows.where(column, 'is not', null);
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

/**
 * One page of the labeler's queue, in its order. The page's ids come first, from the order's index alone; the joins
 * then run for the page's rows only, not for every row the offset skips (a page deep in 100,000 images costs what the
 * first one does, bar the skipped index entries). The page is ordered by its own columns: ordered by the image's,
 * SQLite would rather walk every image in that order than sort the page.
 */
export async function labelerPage(db: Kysely<Database>, query: LabelerQuery): Promise<LabelerImageRow[]> {
  const { column, direction } = ORDERS[query.sort];
  const matching = whereLabeler(db.selectFrom('image'), query).select([
    'image.id as page_id',
    (eb) => (column ? eb.ref(column) : eb.ref('image.id')).as('page_key'),
  ]);
  const ids = (column ? matching.orderBy(column, direction) : matching)
    .orderBy('image.id', direction)
    .limit(query.limit)
    .offset(query.offset);
  return db
    .selectFrom(ids.as('page'))
    .innerJoin('image', 'image.id', 'page.page_id')
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
      'image.uniqueness',
    ])
    .orderBy('page.page_key', direction)
    .orderBy('page.page_id', direction)
    .execute();
}

/**
 * How many images the filters match in an order (the run and score orders rank only the images that have the
 * value). Apart from the pages: counting walks every matching index entry, so a client asks once per filter, not
 * with every page it scrolls to.
 */
export async function labelerCount(
  db: Kysely<Database>,
  filters: LabelerFilters & { sort: LabelSort },
): Promise<number> {
  const row = await whereLabeler(db.selectFrom('image'), filters)
    .select((eb) => eb.fn.countAll<number | string>().as('total'))
    .executeTakeFirstOrThrow();
  return Number(row.total);
}
