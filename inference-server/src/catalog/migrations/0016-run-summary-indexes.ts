import type { Kysely } from 'kysely';
import type { SqlEngine } from '../connection.ts';

// The Runs table and the Summary page aggregate a million images in a few indexed scans (npm run bench:summary):
// - a run's cells group its images by plot type with their verdicts, times and ids, from the index alone;
// - the runs with a Bad image are found from the few images of each Bad class;
// - the overrides of a run's images start from the few override labels.
export async function up(db: Kysely<unknown>, _engine: SqlEngine): Promise<void> {
  await db.schema
    .createIndex('image_run_plot_type')
    .on('image')
    .columns(['run_id', 'plot_type_id', 'verdict', 'captured_at', 'id'])
    .execute();
  await db.schema
    .createIndex('image_plot_type_verdict_run')
    .on('image')
    .columns(['plot_type_id', 'verdict', 'run_id'])
    .execute();
  await db.schema.createIndex('label_source_image').on('label').columns(['source', 'image_id']).execute();
}
