import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import type { ImageUploadResult, ModelVersion, PlotTypeInfo, TrainingJob } from '../../src/schemas/index.ts';
import { BRIGHTNESS_CLASSES, saveBrightnessModel } from './model.ts';
import { waitFor } from './services.ts';

export const auth = (token: string) => ({ authorization: `Bearer ${token}` });

export interface ApiResponse {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
  json<T = unknown>(): T;
}

/** What the helpers need of a server: the app's `inject`, or `httpClient` for one in another process. */
export interface ApiClient {
  inject(options: InjectOptions): Promise<ApiResponse>;
}

/** `inject` over real HTTP, for a server in a child process. */
export function httpClient(baseUrl: string): ApiClient {
  return {
    async inject(options) {
      const headers = { ...(options.headers as Record<string, string>) };
      let body = options.payload as RequestInit['body'] | object;
      if (body && !(body instanceof Buffer) && typeof body === 'object') {
        body = JSON.stringify(body);
        headers['content-type'] = 'application/json';
      }
      const response = await fetch(new URL(String(options.url), baseUrl), {
        method: options.method ?? 'GET',
        headers,
        body: body as RequestInit['body'],
      });
      const text = await response.text();
      return {
        statusCode: response.status,
        headers: Object.fromEntries(response.headers),
        body: text,
        json: <T>() => JSON.parse(text) as T,
      };
    },
  };
}

/** A multipart/form-data body as an HTTP client would send it (Node's own FormData encoder). */
export async function multipartBody(
  fields: Record<string, string>,
  files: Array<{ field: string; name: string; content: Buffer }>,
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const file of files) form.append(file.field, new Blob([file.content]), file.name);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await request.arrayBuffer()),
    headers: { 'content-type': request.headers.get('content-type')! },
  };
}

export async function createPlotType(
  app: ApiClient,
  token: string,
  deployment: string,
  name: string,
): Promise<PlotTypeInfo> {
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/deployments',
    headers: auth(token),
    payload: { name: deployment },
  });
  if (created.statusCode !== 200) throw new Error(`deployment: ${created.body}`);
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/plot-types',
    headers: auth(token),
    payload: { deployment, name, group: 'test' },
  });
  if (response.statusCode !== 200) throw new Error(`plot type: ${response.body}`);
  return response.json();
}

/** Imports a saved TF.js layers model folder for a plot type through the API. */
export async function registerModelFolder(
  app: ApiClient,
  token: string,
  plotTypeId: number,
  dir: string,
  fields: Record<string, string>,
): Promise<ModelVersion> {
  const files = await Promise.all(
    (await readdir(dir)).map(async (name) => ({
      field: 'files',
      name,
      content: await readFile(path.join(dir, name)),
    })),
  );
  const body = await multipartBody(fields, files);
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/models/${plotTypeId}/versions`,
    headers: { ...auth(token), ...body.headers },
    payload: body.payload,
  });
  if (response.statusCode !== 201) throw new Error(`model import: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** Builds, saves and imports the brightness model for a plot type, and activates it. */
export async function registerBrightnessModel(
  app: ApiClient,
  token: string,
  plotTypeId: number,
  extraFields: Record<string, string> = {},
  { inverted = false } = {},
): Promise<ModelVersion> {
  return registerModelFolder(app, token, plotTypeId, await saveBrightnessModel({ inverted }), {
    classes: BRIGHTNESS_CLASSES.join(','),
    activate: 'true',
    name: 'brightness',
    ...extraFields,
  });
}

export async function uploadPlot(
  app: ApiClient,
  token: string,
  fields: Record<string, string>,
  content: Buffer,
  filename = 'plot.png',
) {
  const body = await multipartBody(fields, [{ field: 'file', name: filename, content }]);
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/images',
    headers: { ...auth(token), ...body.headers },
    payload: body.payload,
  });
  return { response, result: response.statusCode < 300 ? (response.json() as ImageUploadResult) : undefined };
}

/** Labels images through the API, as a labeler does; anything but a 201 throws with the server's answer. */
export async function labelImages(
  app: ApiClient,
  token: string,
  imageIds: number[],
  className: string,
): Promise<void> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/labels',
    headers: auth(token),
    payload: { imageIds, class: className },
  });
  if (response.statusCode !== 201) throw new Error(`labels: ${response.statusCode} ${response.body}`);
}

/**
 * Polls a training job until it ends as `expected` (succeeded by default); a job that ends otherwise fails at once,
 * with its error.
 */
export async function waitForTrainingJob(
  app: ApiClient,
  token: string,
  jobId: number,
  timeoutMs: number,
  expected: TrainingJob['status'] = 'succeeded',
): Promise<TrainingJob> {
  const job = await waitFor(
    async () => {
      const polled = (
        await app.inject({ url: `/api/v1/training-jobs/${jobId}`, headers: auth(token) })
      ).json<TrainingJob>();
      return polled.finishedAt !== null && polled;
    },
    { timeoutMs, intervalMs: 500, what: `training job ${jobId}` },
  );
  if (job.status !== expected) {
    throw new Error(`training job ${jobId} ${job.status}: ${job.error ?? job.log.at(-1)}`);
  }
  return job;
}
