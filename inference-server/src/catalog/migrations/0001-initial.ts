import { sql, type Kysely } from 'kysely';
import type { SqlEngine } from '../connection.ts';

// One migration for both engines; only the identity column differs.
export async function up(db: Kysely<unknown>, engine: SqlEngine): Promise<void> {
  const id = engine === 'postgres' ? sql`serial primary key` : sql`integer primary key autoincrement`;
  const table = (name: string) => db.schema.createTable(name).addColumn('id', sql`${id}` as never);

  await table('deployment')
    .addColumn('name', 'varchar(100)', (c) => c.notNull().unique())
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await table('plot_type')
    .addColumn('deployment_id', 'integer', (c) => c.notNull().references('deployment.id'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('group_name', 'varchar(200)', (c) => c.notNull())
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('active_model_version_id', 'integer')
    .addColumn('collect_percent', 'integer', (c) => c.notNull().defaultTo(100))
    .addColumn('is_chunked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('plot_type_deployment_name', ['deployment_id', 'name'])
    .execute();

  await table('class')
    .addColumn('plot_type_id', 'integer', (c) => c.notNull().references('plot_type.id'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('colour', 'varchar(20)', (c) => c.notNull())
    .addColumn('severity', 'varchar(10)', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addUniqueConstraint('class_plot_type_name', ['plot_type_id', 'name'])
    .execute();

  await table('run')
    .addColumn('deployment_id', 'integer', (c) => c.notNull().references('deployment.id'))
    .addColumn('number', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('beam_state', 'varchar(50)')
    .addUniqueConstraint('run_deployment_number', ['deployment_id', 'number'])
    .execute();

  await table('model')
    .addColumn('plot_type_id', 'integer', (c) => c.notNull().references('plot_type.id'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('architecture', 'varchar(100)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('model_plot_type_name', ['plot_type_id', 'name'])
    .execute();

  await table('model_version')
    .addColumn('model_id', 'integer', (c) => c.notNull().references('model.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('input_shape', 'text', (c) => c.notNull())
    .addColumn('classes', 'text', (c) => c.notNull())
    .addColumn('thresholds', 'text', (c) => c.notNull())
    .addColumn('metrics', 'text')
    .addColumn('artifact_path', 'text', (c) => c.notNull())
    .addColumn('backend', 'varchar(50)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('model_version_model_version', ['model_id', 'version'])
    .execute();

  await table('image')
    .addColumn('sha256', 'char(64)', (c) => c.notNull())
    .addColumn('dedup_key', 'varchar(400)', (c) => c.notNull().unique())
    .addColumn('plot_type_id', 'integer', (c) => c.notNull().references('plot_type.id'))
    .addColumn('run_id', 'integer', (c) => c.references('run.id'))
    .addColumn('chunk', 'varchar(100)')
    .addColumn('captured_at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('format', 'varchar(10)', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('claimed_by', 'varchar(100)')
    .addColumn('claimed_until', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('image_status_id').on('image').columns(['status', 'id']).execute();
  await db.schema
    .createIndex('image_plot_type_captured')
    .on('image')
    .columns(['plot_type_id', 'captured_at'])
    .execute();

  await table('prediction')
    .addColumn('image_id', 'integer', (c) => c.notNull().references('image.id'))
    .addColumn('model_version_id', 'integer', (c) => c.notNull().references('model_version.id'))
    .addColumn('probabilities', 'text', (c) => c.notNull())
    .addColumn('verdict', 'varchar(100)', (c) => c.notNull())
    .addColumn('confidence', 'double precision', (c) => c.notNull())
    .addColumn('confirmed', 'integer', (c) => c.notNull())
    .addColumn('latency_ms', 'double precision', (c) => c.notNull())
    .addColumn('inference_ms', 'double precision', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('prediction_created').on('prediction').column('created_at').execute();
  await db.schema.createIndex('prediction_image').on('prediction').column('image_id').execute();

  await table('api_token')
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('role', 'varchar(20)', (c) => c.notNull())
    .addColumn('token_hash', 'char(64)', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .execute();
}
