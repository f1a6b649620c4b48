import type { FastifyInstance } from 'fastify';
import type { ImageUploadResult, ModelVersion, PlotTypeInfo } from '../../src/schemas/index.ts';
import { readModelFolder } from '../../src/models/model-artifacts.ts';
import { BRIGHTNESS_CLASSES, saveBrightnessModel } from './model.ts';

export const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/** A multipart/form-data body as an HTTP client would send it (Node's own FormData encoder). */
export async function multipartBody(fields: Record<string, string>, files: Array<{ field: string; name: string; content: Buffer }>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const file of files) form.append(file.field, new Blob([file.content]), file.name);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await request.arrayBuffer()),
    headers: { 'content-type': request.headers.get('content-type')! },
  };
}

export async function createPlotType(app: FastifyInstance, token: string, deployment: string, name: string): Promise<PlotTypeInfo> {
  const created = await app.inject({ method: 'POST', url: '/api/v1/deployments', headers: auth(token), payload: { name: deployment } });
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

/** Builds, saves and imports the brightness model for a plot type through the API, and activates it. */
export async function registerBrightnessModel(app: FastifyInstance, token: string, plotTypeId: number, extraFields: Record<string, string> = {}): Promise<ModelVersion> {
  const dir = await saveBrightnessModel();
  const files = (await readModelFolder(dir)).map((file) => ({ field: 'files', name: file.name, content: file.content }));
  const body = await multipartBody({ classes: BRIGHTNESS_CLASSES.join(','), activate: 'true', name: 'brightness', ...extraFields }, files);
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/models/${plotTypeId}/versions`,
    headers: { ...auth(token), ...body.headers },
    payload: body.payload,
  });
  if (response.statusCode !== 201) throw new Error(`model import: ${response.statusCode} ${response.body}`);
  return response.json();
}

export async function uploadPlot(
  app: FastifyInstance,
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
