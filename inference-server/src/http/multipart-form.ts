import type { FastifyRequest } from 'fastify';
import type { Static, TObject, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import {
  DomainError,
  InvalidInputError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  quoted,
  type SizeLimit,
} from '../errors.ts';

export interface UploadedFile {
  field: string;
  filename: string;
  content: Buffer;
}

export interface MultipartForm<T extends TObject> {
  files: UploadedFile[];
  fields: Static<T>;
}

export interface MultipartLimits {
  /** Bytes per file, and the setting that sets it. */
  file: SizeLimit;
  /** Files per form; one more is refused before it is read. */
  maxFiles: number;
}

/** Files per form at most (a model is model.json and its weight shards). */
export const MAX_FILES = 64;

/** Bytes per text field (@fastify/multipart cuts longer values, and a cut value is refused, not stored). */
export const MAX_FIELD_BYTES = 64 * 1024;

interface PropertySchema {
  type?: string;
  items?: PropertySchema;
}

/**
 * Reads a multipart form as it streams: each text field is converted and checked against `schema` when it
 * arrives, and each file within the limits, so the first part that breaks a rule ends the request before the
 * rest is read. A field is text in the schema's type, never coerced: an integer is decimal digits, a boolean
 * is `true` or `false`; an array field may come as repeated fields, a JSON array or a comma-separated list; an
 * object field as JSON (text, or a part sent as application/json).
 */
export async function readMultipartForm<T extends TObject>(
  request: FastifyRequest,
  schema: T,
  limits: MultipartLimits,
): Promise<MultipartForm<T>> {
  if (!request.isMultipart()) {
    throw new UnsupportedMediaTypeError('send the upload as multipart/form-data');
  }
  const properties = schema.properties as Record<string, TSchema & PropertySchema>;
  const files: UploadedFile[] = [];
  const input: Record<string, unknown> = {};
  try {
    for await (const part of request.parts({ limits: { fileSize: limits.file.bytes } })) {
      if (part.type === 'file') {
        if (files.length === limits.maxFiles) {
          throw new InvalidInputError(
            `the form has more than ${limits.maxFiles} file${limits.maxFiles === 1 ? '' : 's'}`,
          );
        }
        files.push({ field: part.fieldname, filename: part.filename, content: await part.toBuffer() });
        continue;
      }
      const property = properties[part.fieldname];
      // Fields the schema does not name are not read into anything.
      if (!property) continue;
      if (part.valueTruncated) {
        throw new PayloadTooLargeError(
          `field ${part.fieldname} is longer than ${MAX_FIELD_BYTES.toLocaleString('en')} bytes`,
        );
      }
      const value = fieldValue(part.fieldname, property, part.value, input[part.fieldname]);
      checkField(part.fieldname, property, value);
      input[part.fieldname] = value;
    }
  } catch (error) {
    throw formError(error as Error & { code?: string; statusCode?: number }, limits.file);
  }
  const fields = Value.Default(schema, input);
  if (!Value.Check(schema, fields)) {
    const problems = Value.Errors(schema, fields).map((error) => {
      const params = error.params as { requiredProperties?: string[] };
      return params.requiredProperties
        ? `missing field ${params.requiredProperties.join(', ')}`
        : `${error.instancePath.replace(/^\//, '') || 'form'} ${error.message}`;
    });
    throw new InvalidInputError(`invalid form fields: ${[...new Set(problems)].join('; ')}`);
  }
  return { files, fields: fields as Static<T> };
}

/** What a failed read becomes: our own refusals as they are, the parser's complaints as a 400 that says why. */
function formError(error: Error & { code?: string; statusCode?: number }, limit: SizeLimit): Error {
  if (error.code === 'FST_REQ_FILE_TOO_LARGE') {
    return new PayloadTooLargeError(
      `a file is larger than the upload limit of ${limit.bytes.toLocaleString('en')} bytes (${limit.setting})`,
    );
  }
  if (error instanceof DomainError || error.statusCode !== undefined) return error;
  // busboy throws plain errors: no boundary, a boundary that never comes, a malformed part header.
  return new InvalidInputError(`the multipart/form-data body is malformed: ${error.message}`);
}

/** The field's value in the schema's type; `previous` is what earlier fields of the same name gave. */
function fieldValue(name: string, property: PropertySchema, raw: unknown, previous: unknown): unknown {
  const repeatable = property.type === 'array';
  if (previous !== undefined && !repeatable) throw new InvalidInputError(`field ${name} is given twice`);
  if (typeof raw !== 'string') {
    // @fastify/multipart parses a part sent as application/json.
    if (repeatable || property.type === 'object') return raw;
    throw new InvalidInputError(`field ${name} must be sent as text, not as a JSON part`);
  }
  if (property.type === 'object') return parseJson(name, raw);
  if (!repeatable) return scalar(name, property.type, raw);
  const itemType = property.items?.type;
  const items =
    previous !== undefined
      ? [raw]
      : raw.startsWith('[')
        ? parseJson(name, raw)
        : raw.split(',').map((item) => item.trim());
  if (!Array.isArray(items)) throw new InvalidInputError(`field ${name} must be a JSON array or a list`);
  const converted = items.map((item: unknown) =>
    typeof item === 'string' ? scalar(name, itemType, item) : item,
  );
  return [...((previous as unknown[] | undefined) ?? []), ...converted];
}

const DECIMAL_INTEGER = /^-?(0|[1-9]\d*)$/;
const DECIMAL_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;

function scalar(name: string, type: string | undefined, text: string): unknown {
  switch (type) {
    case 'integer':
      if (!DECIMAL_INTEGER.test(text)) {
        throw new InvalidInputError(
          `field ${name} must be a whole number in decimal digits, not ${quoted(text)}`,
        );
      }
      return Number(text);
    case 'number':
      if (!DECIMAL_NUMBER.test(text)) {
        throw new InvalidInputError(`field ${name} must be a decimal number, not ${quoted(text)}`);
      }
      return Number(text);
    case 'boolean':
      if (text !== 'true' && text !== 'false') {
        throw new InvalidInputError(`field ${name} must be true or false, not ${quoted(text)}`);
      }
      return text === 'true';
    default:
      return text;
  }
}

/**
 * Checks a field when it arrives (an array field item by item: its length is checked with the whole form), so a
 * bad field ends the form before the files after it are read.
 */
function checkField(name: string, property: TSchema & PropertySchema, value: unknown) {
  const [schema, items] =
    property.type === 'array' ? [property.items as TSchema, value as unknown[]] : [property, [value]];
  // Listing errors costs more than checking: list them only for a field that fails.
  if (items.every((item) => Value.Check(schema, item))) return;
  const problems = items.flatMap((item) =>
    Value.Errors(schema, item).map(
      (error) => `${name}${error.instancePath.replace(/\//g, '.')} ${error.message}`,
    ),
  );
  if (problems.length > 0) {
    throw new InvalidInputError(`invalid form fields: ${[...new Set(problems)].join('; ')}`);
  }
}

function parseJson(field: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidInputError(`field ${field} is not valid JSON`);
  }
}
