// What the app's browser tests share: the harness (the app's pages behind Grafana's plugin proxy emulated, with the
// admin token, which may do everything), Chromium, the artefact folder, and seeding the server with many plots.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { inject } from 'vitest';
// The route alone: the client's index loads @grafana/runtime, which Node cannot import.
import { appProxyBase } from '@hydra/plugin-kit/client/proxy-route';
import { launchChromium, startHarness, type Harness } from '@hydra/plugin-kit/testing/browser-harness';
import { postPlot, type HydraServer } from '@hydra/plugin-kit/testing/server';
import type { QueuePage } from '@hydra/plugin-kit/client';
import { PLUGIN_ID } from '../src/constants';
import { testIds } from '../src/testIds';

export const hydra = inject('hydra');
export const ARTIFACTS = path.resolve(__dirname, '../test-results/browser');
export const tid = (id: string) => `[data-testid="${id}"]`;

export interface Session {
  harness: Harness;
  browser: Browser;
}

/**
 * The harness and Chromium. `grafanaUser`: the app's token is the Grafana proxy token (role labeler) and the proxy
 * names that user, as Grafana does with send_user_header; else the admin token.
 */
export async function openSession({ grafanaUser }: { grafanaUser?: string } = {}): Promise<Session> {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  console.log(`screenshots: ${ARTIFACTS}`);
  const harness = await startHarness(path.resolve(__dirname, 'harness/harness.tsx'), [
    {
      uid: PLUGIN_ID,
      base: appProxyBase(PLUGIN_ID),
      jsonData: { url: hydra.url },
      secureJsonData: { apiToken: grafanaUser === undefined ? hydra.tokens.admin : hydra.grafanaToken },
      grafanaUser,
    },
  ]);
  return { harness, browser: await launchChromium() };
}

export async function closeSession(session?: Session) {
  await session?.browser.close();
  await session?.harness.close();
}

/** Opens an app page in the harness; `search` is the page's own query string (e.g. ?imageId=). */
export async function openPage(
  session: Session,
  {
    page,
    theme = 'dark',
    search = '',
    extra = '',
  }: { page: string; theme?: 'dark' | 'light'; search?: string; extra?: string }
): Promise<Page> {
  const tab = await session.browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  tab.on('pageerror', (error) => console.error('page error:', error));
  const query = new URLSearchParams({ page, theme, search });
  await tab.goto(`${session.harness.url}/?${query}${extra}`);
  return tab;
}

/** Calls the server directly, as the role given. */
export async function api<T>(role: keyof typeof hydra.tokens, method: string, url: string, body?: object): Promise<T> {
  const response = await fetch(`${hydra.url}/api/v1${url}`, {
    method,
    headers: {
      authorization: `Bearer ${hydra.tokens[role]}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) {
    throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  }
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Uploads `count` simulator plots of a plot type, a few at a time, dimmed by factors from `dimmest` to 1 (the
 * brightness model calls the darkest Bad), so that the verdicts and their confidences spread out. Waits until every
 * image of the plot type has a verdict.
 */
export async function seedPlots(plotType: string, plotTypeId: number, count: number, firstRun = 2000, dimmest = 0.1) {
  const server = hydra as unknown as HydraServer;
  for (let i = 0; i < count; i += 6) {
    await Promise.all(
      Array.from({ length: Math.min(6, count - i) }, (_, j) =>
        postPlot(server, {
          plotType,
          run: firstRun + Math.floor((i + j) / 10),
          seed: 100 + i + j,
          brightness: dimmest + ((1 - dimmest) * (((i + j) * 29) % count)) / count,
        })
      )
    );
  }
  const deadline = Date.now() + 120_000;
  for (;;) {
    const queue = await api<{ items: Array<{ verdict: string | null }> }>(
      'viewer',
      'GET',
      `/labels?plotTypeId=${plotTypeId}&limit=10000`
    );
    if (queue.items.length >= count && queue.items.every((item) => item.verdict !== null)) {
      return queue.items.length;
    }
    if (Date.now() > deadline) {
      throw new Error(`${plotType}: the seeded plots got no verdicts within 120 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The current label of each labelled image of a plot type, from the server. */
export async function currentLabels(plotTypeId: number) {
  const { items } = await api<QueuePage>(
    'viewer',
    'GET',
    `/labels?plotTypeId=${plotTypeId}&filter=labeled&limit=10000`
  );
  return new Map(items.map((item) => [item.imageId, { class: item.label!.class, user: item.label!.user }]));
}

/** The grid cell at a queue position, scrolling the grid until the virtualizer has rendered it. */
export async function cellAt(page: Page, index: number) {
  const cell = page.locator(`${tid(testIds.labeler.grid)} [data-index="${index}"]`);
  for (let tries = 0; (await cell.count()) === 0 && tries < 40; tries++) {
    await page.locator(tid(testIds.labeler.grid)).evaluate((grid) => grid.scrollBy(0, 150));
    await page.waitForTimeout(50);
  }
  return cell;
}

export const imageIdAt = async (page: Page, index: number) =>
  Number(
    (await (await cellAt(page, index)).getAttribute('data-testid'))!.replace(testIds.labeler.cell(0).slice(0, -1), '')
  );

/** Opens the Labeler (`search`: e.g. ?plotType=) and waits until its first thumbnails have loaded. */
export async function openLabelerPage(
  session: Session,
  { theme = 'dark', search }: { theme?: 'dark' | 'light'; search: string }
): Promise<Page> {
  const page = await openPage(session, { page: 'labeler', theme, search });
  await page.waitForSelector(`${tid(testIds.labeler.grid)} [data-index="0"]`);
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLImageElement>('[data-index] img')].every((img) => img.complete)
  );
  return page;
}

/** Waits for the Labeler's status line to say `text`. */
export const labelerStatus = (page: Page, text: string) =>
  page.waitForSelector(`${tid(testIds.labeler.status)}:has-text("${text}")`);
