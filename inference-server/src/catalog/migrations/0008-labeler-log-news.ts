import { sql, type Kysely } from 'kysely';
import type { SqlEngine } from '../connection.ts';
import { uncertaintyOf } from '../../labels/uncertainty.ts';

// The labeler sorts 100,000 images of a plot type by a score of their latest verdict in one indexed query, so the
// image row keeps a copy of what it sorts and filters by: its latest verdict's scores, its current label's class,
// its mistakenness and its run number (the join to the latest prediction per image is a group-by over every
// prediction, which no index turns into an ordered scan). Label batches make an apply undoable; log
// acknowledgements and news are new aggregates.
export async function up(db: Kysely<unknown>, engine: SqlEngine): Promise<void> {
  const id = engine === 'postgres' ? sql`serial primary key` : sql`integer primary key autoincrement`;
  const table = (name: string) => db.schema.createTable(name).addColumn('id', sql`${id}` as never);

  await db.schema.alterTable('prediction').addColumn('margin', 'double precision').execute();
  await db.schema.alterTable('prediction').addColumn('entropy', 'double precision').execute();
  await backfillUncertainty(db);

  for (const [name, type] of [
    ['run_number', 'bigint'],
    ['latest_prediction_id', 'integer'],
    ['verdict', 'varchar(100)'],
    ['confidence', 'double precision'],
    ['margin', 'double precision'],
    ['entropy', 'double precision'],
    ['label_class', 'varchar(100)'],
    ['mistakenness', 'double precision'],
  ] as const) {
    await db.schema.alterTable('image').addColumn(name, type).execute();
  }
  await sql`update image set run_number = (select number from run where run.id = image.run_id)`.execute(db);
  await sql`update image set latest_prediction_id = (select max(id) from prediction where prediction.image_id = image.id)`.execute(
    db,
  );
  await sql`update image set
      verdict = (select verdict from prediction where prediction.id = image.latest_prediction_id),
      confidence = (select confidence from prediction where prediction.id = image.latest_prediction_id),
      margin = (select margin from prediction where prediction.id = image.latest_prediction_id),
      entropy = (select entropy from prediction where prediction.id = image.latest_prediction_id),
      label_class = (select class_name from label
        where label.image_id = image.id and label.superseded_at is null order by label.id desc limit 1)`.execute(
    db,
  );
  await sql`update image set mistakenness = case
      when label_class is not null and verdict is not null and label_class <> verdict then confidence end`.execute(
    db,
  );
  // One index per sort order; the id makes the order total (pages do not overlap) and the scan ordered.
  for (const [name, column] of [
    ['image_plot_type_id', undefined],
    ['image_plot_type_run', 'run_number'],
    ['image_plot_type_confidence', 'confidence'],
    ['image_plot_type_margin', 'margin'],
    ['image_plot_type_entropy', 'entropy'],
    ['image_plot_type_mistakenness', 'mistakenness'],
  ] as const) {
    await db.schema
      .createIndex(name)
      .on('image')
      .columns(column ? ['plot_type_id', column, 'id'] : ['plot_type_id', 'id'])
      .execute();
  }
  // Counts a label state of the ranked images (unlabeled, labeled as X, below a confidence) from the index alone.
  await db.schema
    .createIndex('image_plot_type_label_class')
    .on('image')
    .columns(['plot_type_id', 'label_class', 'confidence'])
    .execute();

  await table('label_batch')
    .addColumn('plot_type_id', 'integer', (c) => c.notNull().references('plot_type.id'))
    .addColumn('user_name', 'varchar(200)', (c) => c.notNull())
    .addColumn('class_name', 'varchar(100)', (c) => c.notNull())
    .addColumn('source', 'varchar(20)', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('undone_at', 'bigint')
    .execute();
  await db.schema.createIndex('label_batch_user').on('label_batch').columns(['user_name', 'id']).execute();
  await db.schema
    .alterTable('label')
    .addColumn('batch_id', 'integer', (c) => c.references('label_batch.id'))
    .execute();
  // The label this one superseded when it was given (null: the image was unlabeled): what an undo restores.
  await db.schema.alterTable('label').addColumn('replaced_label_id', 'integer').execute();
  await db.schema.createIndex('label_batch_id').on('label').column('batch_id').execute();

  await table('log_acknowledgement')
    .addColumn('prediction_id', 'integer', (c) => c.notNull().unique().references('prediction.id'))
    .addColumn('user_name', 'varchar(200)', (c) => c.notNull())
    .addColumn('comment', 'varchar(500)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await table('news')
    .addColumn('text', 'varchar(200)', (c) => c.notNull())
    .addColumn('deployment_id', 'integer', (c) => c.references('deployment.id'))
    .addColumn('author', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .execute();
}

/** Margin and entropy of the predictions stored before this migration, from their probabilities. */
async function backfillUncertainty(db: Kysely<unknown>): Promise<void> {
  let after = 0;
  for (;;) {
    const { rows } = await sql<{ id: number; probabilities: string }>`
      select id, probabilities from prediction where id > ${after} order by id limit 500`.execute(db);
    if (rows.length === 0) return;
    for (const row of rows) {
      const { margin, entropy } = uncertaintyOf(JSON.parse(row.probabilities) as Record<string, number>);
      await sql`update prediction set margin = ${margin}, entropy = ${entropy} where id = ${row.id}`.execute(
        db,
      );
    }
    after = rows.at(-1)!.id;
  }
}
