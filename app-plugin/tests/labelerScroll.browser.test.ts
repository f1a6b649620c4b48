// The Labeler grid with 10,000 images, scrolled in Chromium under a performance trace: the worst frame, the longest
// main-thread task (wall and CPU time) and the scripting time. On a shared machine a frame waits for a core: the CPU
// times tell the page's own work from that wait. The harness feeds the grid 10,000 queue entries cycling through the server's real images (real
// thumbnails, fetched through the proxy), in the server's pages of 500.
// The machine running the tests is shared and loaded, so this test's bound is loose (HYDRA_FRAME_BUDGET_MS, default
// 300 ms); `npm run bench:labeler-scroll` runs it with the 50 ms goal.
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testIds } from '../src/testIds';
import { ARTIFACTS, closeSession, openPage, openSession, tid, type Session } from './browserKit';

const IMAGES = 10_000;
const BUDGET_MS = Number(process.env.HYDRA_FRAME_BUDGET_MS ?? 300);
let session: Session;

beforeAll(async () => {
  session = await openSession();
});
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
  args?: { name?: string; data?: { frameSeqId?: number } };
}

describe('the Labeler grid in Chromium', () => {
  it(`scrolls ${IMAGES} images with no frame over ${BUDGET_MS} ms`, async () => {
    const page = await openPage(session, {
      page: 'labeler',
      search: '?plotType=CDC_occupancy',
      extra: `&synthetic=${IMAGES}`,
    });
    await page.waitForSelector(`${tid(testIds.labeler.total)}:has-text("${IMAGES} images")`);
    await page.waitForSelector(`${tid(testIds.labeler.grid)} [data-index="0"]`);
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
    // A continuous scroll, 200 px a frame for 240 frames (48,000 px, some 290 rows), driven by the page's own
    // animation frames so that the browser, not the test's round trips, sets the pace.
    await grid.evaluate(
      (element) =>
        new Promise<void>((resolve) => {
          let step = 0;
          const next = () => {
            element.scrollTop += 200;
            if (++step < 240) {
              requestAnimationFrame(next);
            } else {
              resolve();
            }
          };
          requestAnimationFrame(next);
        })
    );
    const scrolledMs = Date.now() - started;
    const scriptMs = ((await scriptSeconds()) - scriptBefore) * 1000;
    await cdp.send('Tracing.end');
    await done;

    const scrollTop = await grid.evaluate((element) => element.scrollTop);
    // Frames the compositor drew, on the page's renderer; a frame's time is the gap since the one before.
    const draws = events
      .filter((e) => e.name === 'DrawFrame')
      .map((e) => e.ts)
      .sort((a, b) => a - b);
    const frames = draws.slice(1).map((ts, i) => (ts - draws[i]!) / 1000);
    const worstFrame = Math.max(...frames);
    // The page's main thread (the renderer's CrRendererMain): its tasks' wall time, and their CPU time, which a
    // loaded machine does not stretch (a task that waits for a core has a long wall time, not a long CPU time).
    const mainThread = events.find(
      (e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain'
    );
    const tasks = events.filter(
      (e) => e.name === 'RunTask' && e.ph === 'X' && e.pid === mainThread?.pid && e.tid === mainThread?.tid
    );
    const longestTask = Math.max(0, ...tasks.map((e) => (e.dur ?? 0) / 1000));
    const longestTaskCpu = Math.max(0, ...tasks.map((e) => (e.tdur ?? 0) / 1000));
    const mainCpu = tasks.reduce((sum, e) => sum + (e.tdur ?? 0) / 1000, 0);
    const rasterCpu = events
      .filter((e) => e.name === 'RasterTask' && e.ph === 'X')
      .reduce((sum, e) => sum + (e.tdur ?? 0) / 1000, 0);
    const over = frames.filter((ms) => ms > 50).length;
    console.log(
      `labeler scroll, ${IMAGES} images: ${frames.length + 1} frames in ${scrolledMs} ms, worst frame ` +
        `${worstFrame.toFixed(1)} ms (${over} over 50 ms), longest main-thread task ${longestTask.toFixed(1)} ms ` +
        `(CPU ${longestTaskCpu.toFixed(1)} ms), main-thread CPU ${mainCpu.toFixed(0)} ms, raster CPU ` +
        `${rasterCpu.toFixed(0)} ms, scripting ${scriptMs.toFixed(0)} ms (CDP ScriptDuration), scrolled to ` +
        `${scrollTop} px, load ${os.loadavg()[0]!.toFixed(1)}`
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'labeler-10000-dark.png') });
    expect(scrollTop).toBeGreaterThan(20_000);
    expect(frames.length).toBeGreaterThan(30);
    expect(worstFrame).toBeLessThan(BUDGET_MS);
    await page.close();
  });
});
