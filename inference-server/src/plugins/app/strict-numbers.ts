import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { InvalidInputError, quoted } from '../../errors.ts';

// Query strings and path parameters arrive as text, and the validator coerces them with JavaScript's number
// rules: `0x10` would be 16 and `1e3` 1000. Numbers are written in decimal here, as forms are (multipart-form.ts).
const DECIMAL = { integer: /^-?\d+$/, number: /^-?\d+(\.\d+)?$/ } as const;

interface PropertySchema {
  type?: unknown;
  items?: PropertySchema;
}

function numericKind(schema: PropertySchema | undefined): keyof typeof DECIMAL | undefined {
  const type = schema?.type;
  return type === 'integer' || type === 'number' ? type : undefined;
}

function checkPart(part: 'querystring' | 'params', schema: unknown, values: unknown): void {
  const properties = (schema as { properties?: Record<string, PropertySchema> } | undefined)?.properties;
  if (!properties || !values || typeof values !== 'object') return;
  for (const [name, property] of Object.entries(properties)) {
    const kind = numericKind(property) ?? numericKind(property.items);
    const given = (values as Record<string, unknown>)[name];
    if (!kind || given === undefined) continue;
    for (const text of Array.isArray(given) ? given : [given]) {
      if (typeof text === 'string' && !DECIMAL[kind].test(text)) {
        throw new InvalidInputError(
          `${part} ${name} must be written as a decimal ${kind === 'integer' ? 'integer' : 'number'}, got ${quoted(text)}`,
        );
      }
    }
  }
}

/** Refuses hex, exponents and blanks in numeric query and path values, before the schema coerces them. */
export default fp(
  async (fastify) => {
    fastify.addHook('preValidation', async (request: FastifyRequest) => {
      const schema = request.routeOptions.schema;
      if (!schema) return;
      checkPart('querystring', schema.querystring, request.query);
      checkPart('params', schema.params, request.params);
    });
  },
  { name: 'strict-numbers' },
);
