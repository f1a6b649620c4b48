import fs from 'node:fs/promises';
import path from 'node:path';
import type { ImageUploadResult, Problem } from '../schemas/index.ts';

export interface UploadTarget {
  /** The server's base URL, e.g. http://127.0.0.1:8080 */
  serverUrl: string;
  token?: string;
}

export interface UploadFields {
  deployment: string;
  plotType: string;
  run?: number;
  time?: Date;
  chunk?: string;
}

/** A refusal by the server (4xx): retrying the same request would not help. */
export class ServerRefusedError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.title} (${problem.status}): ${problem.detail}`);
  }
}

const RETRY_DELAYS_MS = [250, 1000, 3000, 10_000];
/** The wait after a 429 whose Retry-After is missing or unreadable. */
const DEFAULT_RETRY_AFTER_S = 1;

/** A JSON request to the server's API; a refusal throws with the server's words. */
export async function apiRequest<T>(
  target: UploadTarget,
  method: string,
  url: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(new URL(url, target.serverUrl), {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = (await response.json()) as T | Problem;
  if (!response.ok) {
    const problem = payload as Problem;
    throw response.status < 500
      ? new ServerRefusedError(problem)
      : new Error(`${method} ${url}: ${problem.detail}`);
  }
  return payload as T;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Posts one image to POST /api/v1/images; retries while the server is unreachable or answers 5xx, and waits as
 * long as a 429 (a rate limit, HYDRA_UPLOADS_PER_MINUTE) says before it sends again.
 */
export async function uploadImage(
  target: UploadTarget,
  content: Buffer,
  filename: string,
  fields: UploadFields,
): Promise<ImageUploadResult> {
  for (let attempt = 0; ;) {
    const form = new FormData();
    form.set('deployment', fields.deployment);
    form.set('plotType', fields.plotType);
    if (fields.run !== undefined) form.set('run', String(fields.run));
    if (fields.time) form.set('time', fields.time.toISOString());
    if (fields.chunk) form.set('chunk', fields.chunk);
    form.set('file', new Blob([content]), filename);
    let response: Response | undefined;
    try {
      response = await fetch(new URL('/api/v1/images', target.serverUrl), {
        method: 'POST',
        body: form,
        headers: target.token ? { authorization: `Bearer ${target.token}` } : {},
      });
    } catch (error) {
      if (attempt >= RETRY_DELAYS_MS.length) throw error;
    }
    if (response) {
      if (response.ok) return (await response.json()) as ImageUploadResult;
      if (response.status === 429) {
        await response.body?.cancel();
        const seconds = Number(response.headers.get('retry-after'));
        await sleep((Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_RETRY_AFTER_S) * 1000);
        continue;
      }
      if (response.status < 500) throw new ServerRefusedError((await response.json()) as Problem);
      if (attempt >= RETRY_DELAYS_MS.length)
        throw new Error(`the server answered ${response.status}: ${await response.text()}`);
    }
    await sleep(RETRY_DELAYS_MS[attempt]!);
    attempt += 1;
  }
}

/**
 * Plot type and run of a file by the watched-folder convention: `<run>/<plotType>.png`. The run is the
 * parent folder's name when it is a number.
 */
export function describeFile(file: string): { plotType: string; run?: number } {
  const plotType = path.basename(file).replace(/\.(png|jpe?g)$/i, '');
  const parent = path.basename(path.dirname(path.resolve(file)));
  return /^\d+$/.test(parent) ? { plotType, run: Number(parent) } : { plotType };
}

export async function uploadFile(target: UploadTarget, file: string, fields: UploadFields) {
  return uploadImage(target, await fs.readFile(file), path.basename(file), fields);
}
