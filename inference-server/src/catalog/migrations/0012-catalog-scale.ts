import type { Kysely } from 'kysely';

// A million images. The runs table counts each run's images (and finds its last one) through an index. The log
// scans a time range of predictions and drops the Good ones from the index entries alone (their verdict and the
// keys it joins on are in it), so its count reads no prediction row that is not an entry; the index replaces the
// one on the time alone, which it begins with.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('image_run_captured').on('image').columns(['run_id', 'captured_at']).execute();
  await db.schema
    .createIndex('prediction_created_verdict')
    .on('prediction')
    .columns(['created_at', 'verdict', 'image_id', 'id'])
    .execute();
  await db.schema.dropIndex('prediction_created').execute();
}
