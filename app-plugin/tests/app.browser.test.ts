import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlotTypeList, PredictionList } from '@hydra/inference-server/api';
import type { LogEntry, NewsList } from '@hydra/plugin-kit/client';
import { postPlot, type HydraServer } from '@hydra/plugin-kit/testing/server';
import { testIds } from '../src/testIds';
import {
  api,
  ARTIFACTS,
  cellAt,
  closeSession,
  currentLabels,
  hydra,
  imageIdAt,
  labelerStatus as status,
  openLabelerPage,
  openPage,
  openSession,
  seedPlots,
  tid,
  type Session,
} from './browserKit';

const PLOT_TYPE = 'CDC_occupancy';
const SEEDED = 64;
let session: Session;
let plotTypeId = 0;

const labelled = () => currentLabels(plotTypeId);
const openLabeler = (theme: 'dark' | 'light' = 'dark', search = `?plotType=${PLOT_TYPE}`) =>
  openLabelerPage(session, { theme, search });

beforeAll(async () => {
  session = await openSession();
  const plotTypes = await api<PlotTypeList>('viewer', 'GET', `/plot-types?deployment=${hydra.deployment}`);
  plotTypeId = plotTypes.items.find((p) => p.name === PLOT_TYPE)!.id;
  await seedPlots(PLOT_TYPE, plotTypeId, SEEDED);
  // Bad plots of another plot type, for the Log's filters.
  for (const seed of [1, 2, 3]) {
    await postPlot(hydra as unknown as HydraServer, { plotType: 'BCAL_occupancy', run: 3000 + seed, seed, bad: true });
  }
}, 300_000);

afterAll(() => closeSession(session));

describe('the Labeler in Chromium, on a real inference server full of simulator plots', () => {
  const assigned = new Map<number, string>();
  let before = new Map<number, { class: string; user: string }>();

  it('labels 50 images with click, shift-click and hotkeys; Apply writes exactly those labels', async () => {
    const page = await openLabeler();
    const order: number[] = [];
    for (let i = 0; i < 50; i++) {
      order.push(await imageIdAt(page, i));
    }
    await page.close();
    // Ten of them carry an earlier label, which undo must bring back.
    await api('labeler', 'POST', '/labels', { imageIds: order.slice(5, 15), class: 'Bad', source: 'labeler' });
    before = await labelled();

    const tab = await openLabeler();
    await (await cellAt(tab, 0)).click();
    await (await cellAt(tab, 29)).click({ modifiers: ['Shift'] });
    await tab.keyboard.press('1');
    await (await cellAt(tab, 30)).click();
    await (await cellAt(tab, 49)).click({ modifiers: ['Shift'] });
    await tab.keyboard.press('2');
    order.forEach((id, i) => assigned.set(id, i < 30 ? 'Good' : 'Bad'));
    expect(await tab.locator(tid(testIds.labeler.pending)).textContent()).toBe('50');
    await tab.screenshot({ path: path.join(ARTIFACTS, 'labeler-pending-dark.png') });
    await tab.click(tid(testIds.labeler.apply));
    await status(tab, 'Applied 50 labels');

    const after = await labelled();
    expect(new Map([...after].filter(([id]) => assigned.has(id)))).toEqual(
      new Map([...assigned].map(([id, c]) => [id, { class: c, user: 'test-admin' }]))
    );
    expect([...after.keys()].filter((id) => !assigned.has(id))).toEqual([]);

    // Undo: the labels from before are back, the others unlabelled; redo puts the Apply back.
    await tab.locator('body').press('Control+z');
    await status(tab, 'Undone: 50 labels');
    expect(await labelled()).toEqual(before);
    await tab.locator('body').press('Control+Shift+z');
    await status(tab, 'Redone: 50 labels');
    expect(await labelled()).toEqual(after);
    await tab.screenshot({ path: path.join(ARTIFACTS, 'labeler-dark.png') });

    // Label all matching the filter: the confirmation states the server's count; undo takes it back too.
    const total = Number((await tab.locator(tid(testIds.labeler.total)).textContent())!.split(' ')[0]);
    await tab.getByLabel('Label all matching as').click();
    await tab.getByRole('option', { name: 'Good', exact: true }).click();
    await tab.click(tid(testIds.labeler.applyToFilter));
    await tab.waitForSelector(`text=Label all ${total} images matching the filter as Good?`);
    await tab.screenshot({ path: path.join(ARTIFACTS, 'labeler-confirm-dark.png') });
    await tab.getByRole('button', { name: `Label ${total} images` }).click();
    await status(tab, `Labelled all ${total} matching images Good`);
    const all = await labelled();
    expect(all.size).toBe(total);
    expect([...all.values()].every((label) => label.class === 'Good')).toBe(true);
    await tab.click(tid(testIds.labeler.undo));
    await status(tab, `Undone: ${total} labels`);
    expect(await labelled()).toEqual(after);
    await tab.close();
  });

  it('least-confident order: the first screen holds the images with the lowest model confidence', async () => {
    const predictions = await api<PredictionList>(
      'viewer',
      'GET',
      `/predictions?deployment=${hydra.deployment}&plotType=${PLOT_TYPE}&limit=1000`
    );
    // The latest verdict of each image (newest first).
    const confidence = new Map<number, number>();
    for (const p of [...predictions.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt))) {
      if (!confidence.has(p.imageId)) {
        confidence.set(p.imageId, p.confidence);
      }
    }
    const lowest = Math.min(...confidence.values());
    const page = await openLabeler();
    await page.getByLabel('Order').click();
    await page.getByRole('option', { name: /Least confident/ }).click();
    await page.waitForFunction(
      ({ ids }) =>
        ids.includes(Number(document.querySelector('[data-index="0"]')?.getAttribute('data-testid')?.split('-').pop())),
      { ids: [...confidence].filter(([, c]) => c === lowest).map(([id]) => id) }
    );
    const onScreen = await page.locator(tid(testIds.labeler.grid)).evaluate((grid) => {
      const box = grid.getBoundingClientRect();
      return [...grid.querySelectorAll('[data-index]')]
        .filter((cell) => {
          const r = cell.getBoundingClientRect();
          return r.top >= box.top && r.bottom <= box.bottom;
        })
        .map((cell) => Number(cell.getAttribute('data-testid')!.split('-').pop()));
    });
    const screen = onScreen.map((id) => confidence.get(id)!);
    const rest = [...confidence].filter(([id]) => !onScreen.includes(id)).map(([, c]) => c);
    console.log(
      `least-confident: ${onScreen.length} images on the first screen, confidence ${Math.min(...screen).toFixed(3)}–` +
        `${Math.max(...screen).toFixed(3)}; the other ${rest.length} from ${Math.min(...rest).toFixed(3)}`
    );
    expect(onScreen.length).toBeGreaterThanOrEqual(16);
    expect(Math.max(...screen)).toBeLessThanOrEqual(Math.min(...rest));
    expect(screen).toEqual([...screen].sort((a, b) => a - b));

    // Select all on screen: the cells in view, whole or in part, and not the rows rendered beyond.
    await page.click(tid(testIds.labeler.selectVisible));
    const inView = await page.locator(tid(testIds.labeler.grid)).evaluate((grid) => {
      const box = grid.getBoundingClientRect();
      return [...grid.querySelectorAll('[data-index]')].filter((cell) => {
        const r = cell.getBoundingClientRect();
        return r.bottom > box.top && r.top < box.bottom;
      }).length;
    });
    expect(await page.locator('[data-selected]').count()).toBe(inView);
    expect(inView).toBeLessThan(await page.locator('[data-index]').count());
    await page.close();
  });

  it('previews an image with space (Grad-CAM and label history), opens a linked image, shows the leaderboard', async () => {
    const page = await openLabeler();
    const first = await imageIdAt(page, 0);
    await (await cellAt(page, 0)).hover();
    await page.keyboard.press(' ');
    await page.waitForSelector(`${tid(testIds.labeler.preview)}[data-image-id="${first}"]`);
    await page.waitForFunction((id) => {
      const img = document.querySelector<HTMLImageElement>(`[data-testid="${id}"]`);
      return img?.complete && img.naturalWidth > 0;
    }, testIds.viewer.gradcam);
    await page.waitForSelector(`${tid(testIds.labeler.history)} li`);
    expect(
      await page
        .locator(`${tid(testIds.labeler.history)} li`)
        .first()
        .textContent()
    ).toContain('test-admin');
    await page.screenshot({ path: path.join(ARTIFACTS, 'labeler-preview-dark.png') });
    await page.keyboard.press(' ');
    await page.waitForSelector(tid(testIds.labeler.preview), { state: 'detached' });

    await page.getByText('Leaderboard', { exact: true }).click();
    await page.waitForSelector(`${tid(testIds.labeler.leaderboard)} td:has-text("test-admin")`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'labeler-leaderboard-dark.png'), fullPage: true });
    await page.close();

    // The panel's "open in the labeler": ?imageId=&plotType= opens that image's preview on its plot type.
    const linked = await openLabeler('dark', `?imageId=${first}&plotType=${PLOT_TYPE}`);
    await linked.waitForSelector(`${tid(testIds.labeler.preview)}[data-image-id="${first}"]`);
    await linked.close();
  });
});

describe('the Log in Chromium', () => {
  const total = async (page: Page) => Number((await page.locator(tid(testIds.log.total)).textContent())!.split(' ')[0]);

  async function filterPlotType(page: Page, name: string) {
    await page.getByLabel('Log plot type').click();
    await page.getByRole('option', { name: new RegExp(`^${name}`) }).click();
    await page.waitForFunction(
      ({ name, sel }) =>
        [...document.querySelectorAll(`${sel} tbody tr`)].every((tr) => tr.textContent!.includes(name)),
      { name, sel: tid(testIds.log.table) }
    );
  }

  it('filters change the rows; an acknowledgement shows after a reload; the CSV has the filtered rows', async () => {
    const page = await openPage(session, { page: 'log' });
    await page.waitForSelector(tid(testIds.log.table));
    const all = await total(page);
    const server = await api<{ items: LogEntry[]; total: number }>('viewer', 'GET', '/log?limit=1000');
    expect(all).toBe(server.total);
    await page.screenshot({ path: path.join(ARTIFACTS, 'log-dark.png'), fullPage: true });

    await filterPlotType(page, 'BCAL_occupancy');
    await page.waitForFunction(
      (sel) => !document.querySelector(sel)?.textContent?.startsWith('0'),
      tid(testIds.log.total)
    );
    const bcal = server.items.filter((e) => e.plotType === 'BCAL_occupancy');
    expect(await total(page)).toBe(bcal.length);
    expect(bcal.length).toBeGreaterThan(0);
    expect(bcal.length).toBeLessThan(all);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click(tid(testIds.log.csv))]);
    const csv = (await fs.readFile((await download.path())!, 'utf8')).trim().split('\n');
    expect(csv.length - 1).toBe(bcal.length);
    expect(csv.slice(1).every((line) => line.includes('BCAL_occupancy'))).toBe(true);

    const entry = bcal[0]!;
    await page.click(tid(testIds.log.acknowledge(entry.predictionId)));
    await page.fill(tid(testIds.log.comment), 'beam tune, known');
    await page.click(tid(testIds.log.confirmAck));
    await page.waitForSelector(`${tid(testIds.log.row(entry.predictionId))}:has-text("beam tune, known")`);
    await page.reload();
    await page.waitForSelector(`${tid(testIds.log.row(entry.predictionId))}:has-text("test-admin")`);
    expect(await page.locator(tid(testIds.log.row(entry.predictionId))).textContent()).toContain('beam tune, known');
    await page.close();
  });
});

describe('the News in Chromium', () => {
  it('an admin posts a line; it is the current news', async () => {
    const page = await openPage(session, { page: 'news' });
    await page.waitForSelector(tid(testIds.news.text));
    await page.fill(tid(testIds.news.text), 'Shift change at 16:00: new run plan');
    await page.click(tid(testIds.news.post));
    await page.waitForSelector(`${tid(testIds.news.list)} li:has-text("Shift change at 16:00")`);
    const news = await api<NewsList>('viewer', 'GET', '/news');
    expect(news.current).toMatchObject({ text: 'Shift change at 16:00: new run plan', author: 'test-admin' });
    await page.screenshot({ path: path.join(ARTIFACTS, 'news-dark.png'), fullPage: true });
    await page.close();
  });

  it('light theme: every page', async () => {
    for (const name of ['labeler', 'log', 'news']) {
      const page = await openPage(session, {
        page: name,
        theme: 'light',
        search: name === 'labeler' ? `?plotType=${PLOT_TYPE}` : '',
      });
      await page.waitForSelector(
        {
          labeler: `${tid(testIds.labeler.grid)} [data-index]`,
          log: tid(testIds.log.table),
          news: tid(testIds.news.list),
        }[name]!
      );
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}-light.png`), fullPage: true });
      await page.close();
    }
  });
});
