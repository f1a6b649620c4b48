import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { InvalidInputError, quoted } from '../errors.ts';

/**
 * The one rule for every name that can become an InfluxDB tag value or field key (deployments, plot types,
 * models, classes): letters, digits, `_`, `.` and `-`, so no name can break the line protocol or a query.
 */
export const NAME_PATTERN = '^[A-Za-z0-9_.-]+$';
// The catalog's shortest name column (deployment, class and verdict names) is varchar(100).
export const NAME_MAX_LENGTH = 100;
const NAME_RULE = `1 to ${NAME_MAX_LENGTH} characters of A-Z, a-z, 0-9, "_", "." or "-"`;

/** A name in a request schema, with the rule in its description so the OpenAPI document states it. */
export const Name = (description = 'A name', options: { default?: string } = {}) =>
  Type.String({
    minLength: 1,
    maxLength: NAME_MAX_LENGTH,
    pattern: NAME_PATTERN,
    description: `${description}: ${NAME_RULE}`,
    ...options,
  });

const NAME = Name();

/**
 * The rule at the catalog's edge: the repositories call it wherever a name is created, so auto-registration,
 * the CLI, imports and training cannot bypass it.
 */
export function assertValidName(kind: string, value: string): void {
  if (!Value.Check(NAME, value)) {
    throw new InvalidInputError(`${kind} name ${quoted(value)} breaks the name rule: ${NAME_RULE}`);
  }
}
