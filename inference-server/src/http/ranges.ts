import { InvalidInputError } from '../errors.ts';

/** A run range from a query, refused when it is reversed. */
export function runRange(
  runFrom: number | undefined,
  runTo: number | undefined,
): { runFrom?: number; runTo?: number } {
  if (runFrom !== undefined && runTo !== undefined && runFrom > runTo) {
    throw new InvalidInputError(`runFrom (${runFrom}) is after runTo (${runTo}): swap them`);
  }
  return { runFrom, runTo };
}

/** A time range from a query's RFC 3339 `from` and `to`, as epoch ms, refused when it is reversed. */
export function timeRange(from: string | undefined, to: string | undefined): { from?: number; to?: number } {
  const range = {
    from: from === undefined ? undefined : Date.parse(from),
    to: to === undefined ? undefined : Date.parse(to),
  };
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
    throw new InvalidInputError(`from (${from}) is after to (${to}): swap them`);
  }
  return range;
}
