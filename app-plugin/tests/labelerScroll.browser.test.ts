// The Labeler grid with 10,000 images, scrolled in Chromium under a performance trace: the worst frame, the longest
// main-thread task (wall and CPU time) and the scripting time. On a shared machine a frame waits for a core: the CPU
// times tell the page's own work from that wait. The harness feeds the grid 10,000 queue entries cycling through the
// server's real images of a plot type, seeded here: more of them than the grid renders, so a recycled cell always shows
// another image (with the one image the setup seeds, every cell showed the same thumbnail and the scroll never loaded
// or decoded one). The trace is saved beside the screenshots (open it in DevTools). The machine running the tests is
// shared and loaded, so this test's bound is loose (HYDRA_FRAME_BUDGET_MS, default 300 ms); `npm run
// bench:labeler-scroll` runs it with the 50 ms goal.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlotTypeList } from '@hydra/inference-server/api';
import type { QueuePage } from '@hydra/plugin-kit/client';
import { testIds } from '../src/testIds';
import { api, ARTIFACTS, closeSession, hydra, openPage, openSession, seedPlots, tid, type Session } from './browserKit';

const IMAGES = 10_000;
const PLOT_TYPE = 'FCAL_occupancy';
/** Distinct images: more than the rendered rows hold (9 rows of 8 at 1400 px), and prime, so no row repeats another. */
const DISTINCT = 97;
const BUDGET_MS = Number(process.env.HYDRA_FRAME_BUDGET_MS ?? 300);
let session: Session;
let plotImages: QueuePage['items'] = [];

beforeAll(async () => {
  session = await openSession();
  const plotTypes = await api<PlotTypeList>('viewer', 'GET', `/plot-types?deployment=${hydra.deployment}`);
  const plotTypeId = plotTypes.items.find((p) => p.name === PLOT_TYPE)!.id;
  // With the one the setup seeded, DISTINCT; bright enough for Good verdicts, in old runs (100-109), so that other
  // tests on the same server (Bad plots, incidents, the newest runs) see nothing of them.
  await seedPlots(PLOT_TYPE, plotTypeId, DISTINCT - 1, 100, 0.85);
  plotImages = (await api<QueuePage>('viewer', 'GET', `/labels?plotTypeId=${plotTypeId}&limit=1000`)).items;
}, 300_000);
afterAll(() => closeSession(session));

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** CPU time, where `dur` is wall time. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { message?: string } };
}

describe('the Labeler grid in Chromium', () => {
  it(`scrolls ${IMAGES} images with no frame over ${BUDGET_MS} ms`, async () => {
    const page = await openPage(session, {
      page: 'labeler',
      search: `?plotType=${PLOT_TYPE}`,
      extra: `&synthetic=${IMAGES}`,
    });
    await page.waitForSelector(`${tid(testIds.labeler.total)}:has-text("${IMAGES} images")`);
    await page.waitForSelector(`${tid(testIds.labeler.grid)} [data-index="0"]`);
    // The server makes a thumbnail on its first request (at the width the grid asks): made now, they leave the
    // scroll the page's work alone.
    const thumbnail = new URL((await page.locator('[data-index="0"] img').getAttribute('src'))!, 'http://x');
    for (const { imageId } of plotImages) {
      const response = await fetch(`${hydra.url}/api/v1/images/${imageId}/thumbnail${thumbnail.search}`, {
        headers: { authorization: `Bearer ${hydra.tokens.viewer}` },
      });
      await response.arrayBuffer();
    }
    const grid = page.locator(tid(testIds.labeler.grid));
    const box = (await grid.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const scriptSeconds = async () =>
      (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ScriptDuration')!.value;
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
    const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.start', {
      transferMode: 'ReportEvents',
      traceConfig: {
        includedCategories: [
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
          'disabled-by-default-devtools.timeline.frame',
        ],
      },
    });
    const scriptBefore = await scriptSeconds();
    const started = Date.now();
    // A continuous scroll, 200 px a frame for 240 frames (48,000 px, some 270 rows), driven by the page's own
    // animation frames so that the browser, not the test's round trips, sets the pace. Marks in the trace bound it.
    await grid.evaluate(
      (element) =>
        new Promise<void>((resolve) => {
          let step = 0;
          const next = () => {
            if (step++ === 240) {
              console.timeStamp('hydra-scroll-end');
              resolve();
              return;
            }
            element.scrollTop += 200;
            requestAnimationFrame(next);
          };
          console.timeStamp('hydra-scroll-start');
          requestAnimationFrame(next);
        })
    );
    const scrolledMs = Date.now() - started;
    const scriptMs = ((await scriptSeconds()) - scriptBefore) * 1000;
    await cdp.send('Tracing.end');
    await done;

    const scrollTop = await grid.evaluate((element) => element.scrollTop);
    // The page's renderer and its main thread (CrRendererMain).
    const mainThread = events.find(
      (e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain'
    );
    const mark = (message: string) =>
      events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === message)!.ts;
    const [from, to] = [mark('hydra-scroll-start'), mark('hydra-scroll-end')];
    // Frames the page's compositor drew while the scroll ran (from its first animation frame to the one after its
    // last step); a frame's time is the gap since the one before. Before and after, a still page draws nothing, and
    // the gap from its last frame before the scroll is no frame of the scroll.
    const draws = events
      .filter((e) => e.name === 'DrawFrame' && e.pid === mainThread?.pid && e.ts > from && e.ts <= to)
      .map((e) => e.ts)
      .sort((a, b) => a - b);
    const frames = draws.slice(1).map((ts, i) => (ts - draws[i]!) / 1000);
    const worstFrame = Math.max(...frames);
    const p95Frame = [...frames].sort((a, b) => a - b)[Math.floor(0.95 * (frames.length - 1))]!;
    // The main thread's tasks' wall time, and their CPU time, which a loaded machine does not stretch (a task that
    // waits for a core has a long wall time, not a long CPU time).
    const tasks = events.filter(
      (e) =>
        e.name === 'RunTask' &&
        e.ph === 'X' &&
        e.pid === mainThread?.pid &&
        e.tid === mainThread?.tid &&
        e.ts + (e.dur ?? 0) > from &&
        e.ts < to
    );
    const longestTask = Math.max(0, ...tasks.map((e) => (e.dur ?? 0) / 1000));
    const longestTaskCpu = Math.max(0, ...tasks.map((e) => (e.tdur ?? 0) / 1000));
    const mainCpu = tasks.reduce((sum, e) => sum + (e.tdur ?? 0) / 1000, 0);
    const rasterCpu = events
      .filter((e) => e.name === 'RasterTask' && e.ph === 'X' && e.ts > from && e.ts < to)
      .reduce((sum, e) => sum + (e.tdur ?? 0) / 1000, 0);
    const over = frames.filter((ms) => ms > 50).length;
    console.log(
      `labeler scroll, ${IMAGES} images: ${frames.length + 1} frames in ${scrolledMs} ms, worst frame ` +
        `${worstFrame.toFixed(1)} ms (${over} over 50 ms, 95th percentile ${p95Frame.toFixed(1)} ms), longest ` +
        `main-thread task ${longestTask.toFixed(1)} ms (CPU ${longestTaskCpu.toFixed(1)} ms), main-thread CPU ` +
        `${mainCpu.toFixed(0)} ms, raster CPU ${rasterCpu.toFixed(0)} ms, scripting ${scriptMs.toFixed(0)} ms (CDP ` +
        `ScriptDuration), scrolled to ${scrollTop} px, load ${os.loadavg()[0]!.toFixed(1)}`
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'labeler-10000-dark.png') });
    await fs.writeFile(path.join(ARTIFACTS, 'labeler-scroll-trace.json'), JSON.stringify({ traceEvents: events }));
    expect(scrollTop).toBeGreaterThan(20_000);
    expect(frames.length).toBeGreaterThan(30);
    expect(worstFrame).toBeLessThan(BUDGET_MS);
    await page.close();
  });
});
