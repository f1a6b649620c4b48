import type { LabelerFilters, LabelerQuery } from '../catalog/repositories/labeler-query.ts';
import type { LabelSort } from '../enums.ts';
import { InvalidInputError } from '../errors.ts';
import { runRange, timeRange } from '../http/ranges.ts';
import type { LabelCountQuery, LabelFilterQuery, LabelQuery } from '../schemas/index.ts';

/** The labeler's filters as the catalog takes them; reversed ranges are refused. */
export function labelerFilters(query: LabelFilterQuery): LabelerFilters {
  return {
    plotTypeId: query.plotTypeId,
    // A class implies labeled.
    filter: query.labeledAs !== undefined && query.filter === 'all' ? 'labeled' : query.filter,
    labeledAs: query.labeledAs,
    labeledBy: query.labeledBy,
    maxConfidence: query.maxConfidence,
    ...runRange(query.runFrom, query.runTo),
    ...timeRange(query.from, query.to),
  };
}

/** The labeler's filters in an order; a score sort ranks one plot type's images, so it needs one. */
export function labelerOrder(query: LabelCountQuery): LabelerFilters & { sort: LabelSort } {
  if (query.plotTypeId === undefined && query.sort !== 'newest' && query.sort !== 'run') {
    throw new InvalidInputError(`sort=${query.sort} ranks the images of one plot type: give plotTypeId`);
  }
  return { ...labelerFilters(query), sort: query.sort };
}

/** One page of the labeler's queue. */
export function labelerQuery(query: LabelQuery): LabelerQuery {
  return { ...labelerOrder(query), limit: query.limit, offset: query.offset };
}
