import { sql, type Kysely } from 'kysely';
import type { SqlEngine } from '../connection.ts';

// A million images:
// - the log reads the index range of each verdict that can be an entry in its time range (live predictions only, as
//   the log), with the keys it joins on, so it never reads the Good predictions (nine in ten) in that range; on
//   SQLite it finds each entry's plot type and run in a narrow index on the image ids rather than in the image rows,
//   where a week's entries touch every page;
// - on PostgreSQL, the labeler's "labelled by" filter finds that person's current labels without reading every label.
export async function up(db: Kysely<unknown>, engine: SqlEngine): Promise<void> {
  await db.schema
    .createIndex('prediction_verdict_created')
    .on('prediction')
    .columns(['verdict', 'created_at', 'image_id', 'id'])
    .where(sql.ref('reprocess_job_id'), 'is', null)
    .execute();
  // SQLite only: PostgreSQL's planner would also walk this index in id order to filter a plot type's images (the
  // labeler's newest-first queue) instead of using the index that starts with the plot type.
  if (engine === 'sqlite') {
    await db.schema
      .createIndex('image_id_plot_type_run')
      .on('image')
      .columns(['id', 'plot_type_id', 'run_number'])
      .execute();
  }
  // PostgreSQL only: without it, it reads every label to find one person's. Current labels only, so that an equality
  // on the person gives them in image order, as the labeler's queue pages. SQLite probes (image, superseded) faster.
  if (engine === 'postgres') {
    await db.schema
      .createIndex('label_user_current')
      .on('label')
      .columns(['user_name', 'image_id'])
      .where(sql.ref('superseded_at'), 'is', null)
      .execute();
  }
}
