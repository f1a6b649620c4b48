import { createDataFrame, type FieldType } from '@grafana/data';
import type { HydraFrameMeta } from './fields';

/** A column of a frame: its field type and how a row (with what the whole frame knows) gives its value. */
export type Column<Row, Context = undefined> = readonly [FieldType, (row: Row, context: Context) => unknown];

/** A field before it has a config: its name, type and one value per row. */
export interface FieldValues {
  name: string;
  type: FieldType;
  values: unknown[];
}

/** The columns of a frame's column table for these rows: the named ones in the order given, or all in table order. */
export function columnsOf<Row, Context, Name extends string>(
  table: Record<Name, Column<Row, Context>>,
  rows: readonly Row[],
  context: Context,
  names: readonly Name[] = Object.keys(table) as Name[]
): FieldValues[] {
  return names.map((name) => {
    const [type, value] = table[name];
    return { name, type, values: rows.map((row) => value(row, context)) };
  });
}

/** A frame of the data source: its name, the query's refId and the frame metadata every reader relies on. */
export function hydraFrame(name: string, refId: string | undefined, meta: HydraFrameMeta, fields: FieldValues[]) {
  return createDataFrame({
    name,
    refId,
    meta: { custom: meta },
    fields: fields.map((field) => ({ ...field, config: {} })),
  });
}
