import type { FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import {
  InvalidInputError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  type SizeLimit,
} from '../errors.ts';

export interface UploadedFile {
  field: string;
  filename: string;
  content: Buffer;
}

export interface MultipartForm {
  files: UploadedFile[];
  fields: Record<string, string | string[]>;
}

/** Reads a whole multipart form; each file is buffered, within the given per-file size limit. */
export async function readMultipartForm(request: FastifyRequest, limit: SizeLimit): Promise<MultipartForm> {
  if (!request.isMultipart()) {
    throw new UnsupportedMediaTypeError('send the upload as multipart/form-data');
  }
  try {
    return await readParts(request, limit.bytes);
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new PayloadTooLargeError(
        `a file is larger than the upload limit of ${limit.bytes.toLocaleString('en')} bytes (${limit.setting})`,
      );
    }
    throw error;
  }
}

async function readParts(request: FastifyRequest, maxFileBytes: number): Promise<MultipartForm> {
  const files: UploadedFile[] = [];
  const fields: Record<string, string | string[]> = {};
  for await (const part of request.parts({ limits: { fileSize: maxFileBytes } })) {
    if (part.type === 'file') {
      files.push({ field: part.fieldname, filename: part.filename, content: await part.toBuffer() });
    } else {
      const value = String(part.value);
      const previous = fields[part.fieldname];
      fields[part.fieldname] = previous === undefined ? value : [previous, value].flat();
    }
  }
  return { files, fields };
}

/**
 * Checks form fields against a schema, converting text to the schema's types. An array field may come as
 * repeated fields, a JSON array or a comma-separated list; an object field as JSON.
 */
export function parseFormFields<T extends TSchema>(schema: T, fields: MultipartForm['fields']): Static<T> {
  const properties = (schema as unknown as { properties: Record<string, { type?: string }> }).properties;
  const input: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(fields)) {
    const type = properties[name]?.type;
    if (type === 'array') {
      input[name] = Array.isArray(raw)
        ? raw
        : raw.startsWith('[')
          ? parseJson(name, raw)
          : raw.split(',').map((s) => s.trim());
    } else if (type === 'object') {
      input[name] = parseJson(name, Array.isArray(raw) ? raw[0]! : raw);
    } else {
      input[name] = Array.isArray(raw) ? raw[0] : raw;
    }
  }
  const value = Value.Default(schema, Value.Convert(schema, input));
  if (!Value.Check(schema, value)) {
    const problems = Value.Errors(schema, value).map((error) => {
      const field = error.instancePath.replace(/^\//, '') || 'form';
      const params = error.params as { requiredProperties?: string[] };
      return params.requiredProperties
        ? `missing field ${params.requiredProperties.join(', ')}`
        : `${field} ${error.message}`;
    });
    throw new InvalidInputError(`invalid form fields: ${[...new Set(problems)].join('; ')}`);
  }
  return value as Static<T>;
}

function parseJson(field: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidInputError(`field ${field} is not valid JSON`);
  }
}
