import type { Kysely } from 'kysely';
import { atomically } from './atomically.ts';
import { NotFoundError } from '../../errors.ts';
import type { ClassSeverity } from '../../enums.ts';
import type { ClassRow, Database, PlotTypeRow as PlotTypeTableRow } from '../database.ts';
import { flag } from './json-columns.ts';
import { assertValidName } from '../../schemas/names.ts';

export type { ClassRow };

/** A plot type with its flags as booleans. */
export interface PlotTypeRow extends Omit<PlotTypeTableRow, 'is_chunked' | 'hidden'> {
  is_chunked: boolean;
  hidden: boolean;
}

export interface ClassDefinition {
  name: string;
  colour: string;
  severity: ClassSeverity;
}

export const decodePlotType = (row: PlotTypeTableRow): PlotTypeRow => ({
  ...row,
  is_chunked: flag(row.is_chunked),
  hidden: flag(row.hidden),
});

/** The plot types of each deployment, and each plot type's classes. */
export class PlotTypesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async find(deploymentId: number, name: string): Promise<PlotTypeRow | undefined> {
    const row = await this.db
      .selectFrom('plot_type')
      .selectAll()
      .where('deployment_id', '=', deploymentId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row && decodePlotType(row);
  }

  async get(id: number): Promise<PlotTypeRow> {
    const row = await this.db.selectFrom('plot_type').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(`plot type ${id} does not exist`);
    return decodePlotType(row);
  }

  async list(deploymentId: number): Promise<PlotTypeRow[]> {
    const rows = await this.db
      .selectFrom('plot_type')
      .selectAll()
      .where('deployment_id', '=', deploymentId)
      .orderBy('group_name')
      .orderBy('name')
      .execute();
    return rows.map(decodePlotType);
  }

  async ensure(
    deploymentId: number,
    name: string,
    options: { group?: string; title?: string } = {},
  ): Promise<PlotTypeRow> {
    assertValidName('plot type', name);
    await this.db
      .insertInto('plot_type')
      .values({
        deployment_id: deploymentId,
        name,
        group_name: options.group ?? 'default',
        title: options.title ?? name,
        active_model_version_id: null,
        created_at: Date.now(),
      })
      .onConflict((oc) => oc.columns(['deployment_id', 'name']).doNothing())
      .execute();
    return (await this.find(deploymentId, name))!;
  }

  async listClasses(plotTypeId: number): Promise<ClassRow[]> {
    return this.db
      .selectFrom('class')
      .selectAll()
      .where('plot_type_id', '=', plotTypeId)
      .orderBy('position')
      .execute();
  }

  /** The classes of every plot type of a deployment, in each plot type's order: one query for the plot grid. */
  async listClassesOfDeployment(deploymentId: number): Promise<ClassRow[]> {
    return this.db
      .selectFrom('class')
      .innerJoin('plot_type', 'plot_type.id', 'class.plot_type_id')
      .selectAll('class')
      .where('plot_type.deployment_id', '=', deploymentId)
      .orderBy('class.plot_type_id')
      .orderBy('class.position')
      .execute();
  }

  /** Makes the plot type's classes the given list, in order; existing colours and severities are updated. */
  async defineClasses(plotTypeId: number, classes: ClassDefinition[]): Promise<void> {
    for (const c of classes) assertValidName('class', c.name);
    await atomically(this.db, async (trx) => {
      for (const [position, c] of classes.entries()) {
        await trx
          .insertInto('class')
          .values({
            plot_type_id: plotTypeId,
            name: c.name,
            colour: c.colour,
            severity: c.severity,
            position,
          })
          .onConflict((oc) =>
            oc
              .columns(['plot_type_id', 'name'])
              .doUpdateSet({ colour: c.colour, severity: c.severity, position }),
          )
          .execute();
      }
    });
  }
}
