import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImagesPerDay, RunsSummary, ServerStatus } from '@hydra/plugin-kit/client';
import { postPlot, type HydraServer } from '@hydra/plugin-kit/testing/server';
import { testIds } from '../src/testIds';
import { api, ARTIFACTS, closeSession, hydra, openPage, openSession, tid, type Session } from './browserKit';

const server = hydra as unknown as HydraServer;
const PLOT_TYPE = 'BCAL_occupancy';
/** A run whose BCAL plot has a simulated dead region (and is darkened, which the test's brightness model calls Bad). */
const FAULT_RUN = 7001;
/** A run of clean plots. */
const CLEAN_RUN = 7002;
let session: Session;
let plotTypeId = 0;

const summary = () => api<RunsSummary>('viewer', 'GET', `/runs/summary?deployment=${hydra.deployment}`);

/** Waits until every image of a run has a verdict. */
async function classified(run: number) {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    const row = (await summary()).runs.find((r) => r.number === run);
    if (row?.cells.length && row.cells.every((c) => c.worstVerdict !== null)) {
      return row;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`run ${run}: no verdicts within 60 s`);
}

async function screenshot(page: Page, name: string) {
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  session = await openSession();
  await postPlot(server, {
    plotType: PLOT_TYPE,
    run: FAULT_RUN,
    seed: 11,
    bad: true,
    fault: { mode: 'dead-region', strength: 'normal' },
  });
  await postPlot(server, { plotType: 'CDC_occupancy', run: FAULT_RUN, seed: 12 });
  await postPlot(server, { plotType: PLOT_TYPE, run: CLEAN_RUN, seed: 13 });
  await postPlot(server, { plotType: 'CDC_occupancy', run: CLEAN_RUN, seed: 14 });
  plotTypeId = (await classified(FAULT_RUN)).cells.find((c) => c.bad > 0)!.plotTypeId;
  // A shifter overrides the faulted plot's verdict: the run counts one override.
  const faulted = (await classified(FAULT_RUN)).cells.find((c) => c.plotTypeId === plotTypeId)!;
  await api('labeler', 'POST', '/labels', { imageIds: [faulted.latestImageId], class: 'Good', source: 'override' });
  await classified(CLEAN_RUN);
}, 180_000);

afterAll(() => closeSession(session));

describe('Runs, Browse, Summary and Status in Chromium, on a real inference server', () => {
  it('the Runs table shows the faulted run’s plot Bad and the clean run’s not, and a cell opens Browse', async () => {
    const page = await openPage(session, { page: 'runs', search: `?deployment=${hydra.deployment}` });
    const bad = page.locator(tid(testIds.runs.cell(FAULT_RUN, plotTypeId)));
    const clean = page.locator(tid(testIds.runs.cell(CLEAN_RUN, plotTypeId)));
    await bad.waitFor();
    expect(await bad.getAttribute('data-severity')).toBe('alarm');
    expect(await bad.textContent()).toContain('Bad');
    expect(await clean.getAttribute('data-severity')).toBe('ok');
    expect(await clean.textContent()).toContain('Good');
    // The Bad cell's colour is the theme's error colour, the clean one's another.
    const [badFill, cleanFill] = await Promise.all(
      [bad, clean].map((cell) => cell.evaluate((el) => getComputedStyle(el).backgroundColor))
    );
    expect(badFill).not.toBe(cleanFill);
    // One Bad plot, one override (marked on its cell); the clean run has neither.
    const cellsOf = (run: number) =>
      page
        .locator(`${tid(testIds.runs.row(run))} td`)
        .evaluateAll((tds) => tds.slice(2, 5).map((td) => td.textContent));
    expect((await cellsOf(FAULT_RUN)).filter((_, i) => i !== 1)).toEqual(['1', '1']);
    expect(await cellsOf(CLEAN_RUN)).toEqual(['0', '–', '0']);
    expect(await bad.textContent()).toContain('✎');
    await screenshot(page, 'runs-dark');

    await bad.click();
    await page.waitForSelector(`${tid(testIds.browse.plot(FAULT_RUN, plotTypeId))} img`);
    expect(await page.locator(tid(testIds.browse.plot(FAULT_RUN, plotTypeId))).textContent()).toContain('Bad');
    await page.close();
  });

  it('Browse compares two runs side by side, every plot of both with its verdict and a loaded image', async () => {
    const page = await openPage(session, {
      page: 'browse',
      search: `?deployment=${hydra.deployment}&run=${FAULT_RUN}&compare=${CLEAN_RUN}`,
    });
    for (const run of [FAULT_RUN, CLEAN_RUN]) {
      const { items } = await api<{ items: Array<{ plotType: { id: number }; image: { id: number } | null }> }>(
        'viewer',
        'GET',
        `/runs/${run}/plots?deployment=${hydra.deployment}`
      );
      expect(items.filter((i) => i.image)).toHaveLength(2);
      for (const item of items.filter((i) => i.image)) {
        await page.waitForSelector(
          `${tid(testIds.browse.plot(run, item.plotType.id))}[data-image-id="${item.image!.id}"]`
        );
      }
    }
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('figure img')].every(
        (img) => img.complete && img.naturalWidth > 0
      )
    );
    expect(await page.locator(tid(testIds.browse.plot(FAULT_RUN, plotTypeId))).textContent()).toContain('Bad');
    expect(await page.locator(tid(testIds.browse.plot(CLEAN_RUN, plotTypeId))).textContent()).toContain('Good');
    await screenshot(page, 'browse-compare-dark');
    await page.close();
  });

  it('the Status page’s live figures change while plots are posted', async () => {
    const page = await openPage(session, { page: 'status', search: `?deployment=${hydra.deployment}` });
    const figure = (name: string) => page.locator(tid(testIds.status.figure(name)));
    await figure('pending').waitFor();
    const classifiedOf = async () =>
      Number((await figure('pending').textContent())!.match(/([\d,]+) classified/)![1]!.replace(/,/g, ''));
    const before = await classifiedOf();
    const throughputBefore = await figure('throughput').textContent();
    const posted = 24;
    const start = Date.now();
    for (let i = 0; i < posted; i += 6) {
      await Promise.all(
        Array.from({ length: 6 }, (_, j) =>
          postPlot(server, {
            plotType: 'CDC_occupancy',
            run: 7100,
            seed: 200 + i + j,
            brightness: 0.3 + 0.02 * (i + j),
          })
        )
      );
    }
    // Within the page's refreshes: the count of classified images rises by what was posted, and the throughput moves.
    await page.waitForFunction(
      ({ sel, want }) => {
        const match = document.querySelector(sel)?.textContent?.match(/([\d,]+) classified/);
        return match && Number(match[1]!.replace(/,/g, '')) >= want;
      },
      { sel: tid(testIds.status.figure('pending')), want: before + posted },
      { timeout: 60_000 }
    );
    console.log(
      `status: ${posted} posted plots counted as classified on the page ${Date.now() - start} ms after the first post`
    );
    expect(await figure('throughput').textContent()).not.toBe(throughputBefore);
    const status = await api<ServerStatus>('viewer', 'GET', '/status');
    expect(status.queue.classified).toBeGreaterThanOrEqual(before + posted);
    // Today's square of the calendar counts the new images (the calendar refreshes each minute: reload).
    await page.reload();
    const { days } = await api<ImagesPerDay>('viewer', 'GET', `/status/images-per-day?deployment=${hydra.deployment}`);
    const today = page.locator(tid(testIds.status.day(days[days.length - 1]!.day)));
    await today.waitFor();
    expect(Number(await today.getAttribute('data-images'))).toBeGreaterThanOrEqual(posted);
    await page.waitForSelector(tid(testIds.status.history));
    await screenshot(page, 'status-dark');
    await page.close();
  });

  it('every page in light and dark', async () => {
    const search = `?deployment=${hydra.deployment}`;
    const pages: Array<[string, string, string]> = [
      ['runs', search, tid(testIds.runs.table)],
      ['browse', `${search}&run=${FAULT_RUN}`, `${tid(testIds.browse.plot(FAULT_RUN, plotTypeId))} img`],
      ['summary', '', tid(testIds.summary.card(hydra.deployment))],
      ['status', search, tid(testIds.status.calendar)],
    ];
    for (const theme of ['light', 'dark'] as const) {
      for (const [name, query, ready] of pages) {
        const page = await openPage(session, { page: name, theme, search: query });
        await page.waitForSelector(ready);
        await screenshot(page, `${name}-${theme}`);
        await page.close();
      }
    }
    // A Grafana user who is not an admin sees why Status is empty.
    const viewer = await openPage(session, { page: 'status', extra: '&orgRole=Viewer' });
    await viewer.waitForSelector(tid(testIds.status.forbidden));
    await screenshot(viewer, 'status-viewer-dark');
    await viewer.close();
  });
});
