import fs from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, startHarness, type Harness } from '@hydra/plugin-kit/testing/browser-harness';
import { postPlot, type HydraServer } from '@hydra/plugin-kit/testing/server';
import { testIds } from '../src/testIds';

const hydra = inject('hydra');
const ARTIFACTS = path.resolve(__dirname, '../test-results/browser');
const tid = (id: string) => `[data-testid="${id}"]`;

let harness: Harness;
let harnessUrl = '';
let browser: Browser;

/** Records every oscillator start, so the test can hear the alarm. */
const instrumentAudio = () => {
  const w = window as unknown as { oscillatorStarts: number };
  w.oscillatorStarts = 0;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args: Parameters<typeof start>) {
    w.oscillatorStarts += 1;
    return start.apply(this, args);
  };
};

async function openHarness(theme: 'dark' | 'light'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.addInitScript(instrumentAudio);
  await page.goto(`${harnessUrl}/?theme=${theme}&deployment=${hydra.deployment}`);
  await page.waitForSelector(tid(testIds.card('CDC_occupancy')));
  // Every card with an image shows its real thumbnail, decoded.
  await page.waitForFunction(() => {
    const images = [...document.querySelectorAll<HTMLImageElement>('[data-verdict] img')];
    return images.length >= 7 && images.every((img) => img.complete && img.naturalWidth > 0);
  });
  return page;
}

/**
 * Waits for the viewer's Grad-CAM overlay of `className` to be loaded and decoded; returns its URL and size.
 * The URL is the server's overlay PNG through the data source proxy.
 */
async function overlayLoaded(page: Page, className: string) {
  const handle = await page.waitForFunction(
    ({ id, className }) => {
      const img = document.querySelector<HTMLImageElement>(`[data-testid="${id}"]`);
      const src = img && new URL(img.src);
      return src?.searchParams.get('class') === className && img!.complete && img!.naturalWidth > 0
        ? { src: img!.src, width: img!.naturalWidth, height: img!.naturalHeight }
        : undefined;
    },
    { id: testIds.viewer.gradcam, className }
  );
  const overlay = (await handle.jsonValue())!;
  const src = new URL(overlay.src);
  expect(src.pathname).toMatch(/\/hydra\/api\/v1\/images\/\d+\/gradcam$/);
  expect(src.searchParams.get('format')).toBe('png');
  return overlay;
}

/** The width of the opacity slider's rail, in CSS pixels. */
const sliderRailWidth = async (page: Page) =>
  (await page.locator(`${tid(testIds.viewer.opacity)} .rc-slider`).boundingBox())?.width ?? 0;

beforeAll(async () => {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  // The page's own server plays Grafana's data source proxy: the token is added there, never in the page.
  harness = await startHarness(path.resolve(__dirname, 'harness/harness.tsx'), [
    { uid: 'hydra', jsonData: { url: hydra.url }, secureJsonData: { apiToken: hydra.tokens.expert } },
  ]);
  harnessUrl = harness.url;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

describe('the plot grid in Chromium, on a real inference server full of simulator plots', () => {
  it('renders cards with real thumbnails, opens the viewer, overrides, and sounds the alarm for a new Bad plot', async () => {
    const page = await openHarness('dark');
    expect(await page.locator('[data-verdict="No model"]').count()).toBe(2);
    await page.screenshot({ path: path.join(ARTIFACTS, 'grid-dark.png'), fullPage: true });

    // Until the user interacts, the browser may not play sound: the panel says so; its first click enables it.
    await page.waitForSelector(tid(testIds.alarm.enableSound));
    await page.click(tid(testIds.card('CDC_occupancy')));
    await page.waitForSelector(tid(testIds.viewer.root));
    const opened = Date.now();
    await page.waitForSelector(tid(testIds.alarm.enableSound), { state: 'detached' });
    await page.waitForFunction(
      (ids) => {
        const image = document.querySelector<HTMLImageElement>(`[data-testid="${ids.image}"]`);
        return image?.complete && image.naturalWidth > 0;
      },
      { image: testIds.viewer.image }
    );
    // The Grad-CAM overlay: the server's PNG for the verdict's class, loaded over the image, never a message.
    const cam = await overlayLoaded(page, 'Good');
    console.log(
      `Grad-CAM overlay ${cam.width}×${cam.height} on screen ${Date.now() - opened} ms after the viewer opened`
    );
    expect(cam.width).toBe(
      await page.locator(tid(testIds.viewer.image)).evaluate((img: HTMLImageElement) => img.naturalWidth)
    );
    expect(await page.locator(tid(testIds.viewer.gradcamMessage)).count()).toBe(0);
    const overlay = page.locator(tid(testIds.viewer.gradcam));
    const overlayOpacity = async () => Number(await overlay.evaluate((el) => getComputedStyle(el).opacity));
    expect(await overlayOpacity()).toBeCloseTo(0.5, 2);

    // The opacity slider has room for its rail, moves with the keyboard, and fades the overlay with it.
    expect(await sliderRailWidth(page)).toBeGreaterThanOrEqual(150);
    const slider = page.locator(`${tid(testIds.viewer.opacity)} [role="slider"]`);
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(Number(await slider.getAttribute('aria-valuenow'))).toBeCloseTo(0.6, 2);
    expect(await overlayOpacity()).toBeCloseTo(0.6, 2);
    await page.keyboard.press('Home');
    expect(await overlayOpacity()).toBe(0);
    await page.keyboard.press('End');
    expect(await overlayOpacity()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'viewer-dark.png') });

    // Another class in the selector asks the server for that class's map.
    await page.click(`${tid(testIds.viewer.gradcamClass)} input`);
    await page.getByRole('option', { name: 'Bad', exact: true }).click();
    await overlayLoaded(page, 'Bad');
    expect(await overlayOpacity()).toBe(1);

    // Override: the label goes through the proxy and is stored on the server.
    await page.click(tid(testIds.viewer.override('Bad')));
    await page.waitForSelector(`${tid(testIds.viewer.status)}:has-text("Labelled Bad")`);
    const labels = await fetch(`${hydra.url}/api/v1/labels?filter=labeled`, {
      headers: { authorization: `Bearer ${hydra.tokens.viewer}` },
    }).then(
      (r) =>
        r.json() as Promise<{
          items: Array<{ plotType: string; label: { class: string; source: string; user: string } }>;
        }>
    );
    expect(labels.items.find((item) => item.plotType === 'CDC_occupancy')?.label).toMatchObject({
      class: 'Bad',
      source: 'override',
      user: 'test-expert',
    });
    await page.keyboard.press('Escape');
    await page.waitForSelector(tid(testIds.viewer.root), { state: 'detached' });

    // A Bad plot posted to the server turns up within 5 s, and the alarm sounds.
    const posted = Date.now();
    await postPlot(hydra as unknown as HydraServer, { plotType: 'BCAL_occupancy', run: 1002, seed: 7, bad: true });
    await page.waitForSelector(
      `${tid(testIds.badSection)} ${tid(testIds.card('BCAL_occupancy'))}[data-verdict="Bad"]`,
      { timeout: 5000 }
    );
    const latency = Date.now() - posted;
    await page.waitForSelector(tid(testIds.alarm.banner));
    const starts = await page.evaluate(() => (window as unknown as { oscillatorStarts: number }).oscillatorStarts);
    console.log(`new Bad plot on screen ${latency} ms after upload; alarm oscillators started: ${starts}`);
    // Loose: it proves the alarm comes live; the latency figure is bench:alarm's (5.6 s seen at load 10 on two cores).
    expect(latency).toBeLessThan(15_000);
    expect(starts).toBe(3);
    await page.screenshot({ path: path.join(ARTIFACTS, 'alarm-dark.png'), fullPage: true });
    await page.close();
  });

  it('light theme: grid and viewer', async () => {
    const page = await openHarness('light');
    await page.screenshot({ path: path.join(ARTIFACTS, 'grid-light.png'), fullPage: true });
    await page.click(tid(testIds.card('FCAL_occupancy')));
    await page.waitForSelector(tid(testIds.viewer.root));
    await overlayLoaded(page, 'Good');
    expect(await sliderRailWidth(page)).toBeGreaterThanOrEqual(150);
    await page.screenshot({ path: path.join(ARTIFACTS, 'viewer-light.png') });
    await page.close();
  });

  it('renders 200 cards in under 100 ms of scripting, and a new verdict re-renders little', async () => {
    const page = await openHarness('dark');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const scriptSeconds = async () =>
      (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ScriptDuration')!.value;
    await page.evaluate(() => window.harness.prepare(200));
    // The first mount also injects the styles and warms the JIT; a live panel pays that once. The figure is the
    // median of three fresh mounts after it, so one slow moment of a busy CI machine does not decide.
    const firstMs = await page.evaluate(() => window.harness.renderMany());
    const mounts: number[] = [];
    const before = await scriptSeconds();
    for (let i = 0; i < 3; i++) {
      await page.evaluate(() => window.harness.clear());
      mounts.push(await page.evaluate(() => window.harness.renderMany()));
    }
    const scriptMs = (((await scriptSeconds()) - before) * 1000) / 3;
    const renderMs = [...mounts].sort((a, b) => a - b)[1]!;
    expect(await page.locator('[data-verdict]').count()).toBe(200);
    const update = await page.evaluate(() => window.harness.changeOne());
    console.log(
      `200 cards: first mount ${firstMs.toFixed(1)} ms; then ${scriptMs.toFixed(1)} ms of scripting per mount (CDP ` +
        `ScriptDuration), median ${renderMs.toFixed(1)} ms synchronous render of ${mounts.map((m) => m.toFixed(1)).join(', ')}; ` +
        `one card's new image: ${update.ms.toFixed(1)} ms, cards changed in the DOM: ${update.cardsChanged.join(', ')}`
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'grid-200-dark.png') });
    expect(renderMs).toBeLessThan(100);
    expect(update.cardsChanged).toEqual([testIds.card('CDC_occupancy_000')]);
    expect(update.ms).toBeLessThan(renderMs);
    await page.close();
  });

  it("shows the server's current news in the header, in place of the panel's news option", async () => {
    const text = 'Posted by an admin: beam studies until 18:00';
    const posted = await fetch(`${hydra.url}/api/v1/news`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hydra.tokens.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    expect(posted.status).toBe(201);
    const page = await openHarness('dark');
    await page.waitForSelector(`${tid(testIds.header.news)}:has-text("${text}")`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'news-header-dark.png') });
    await page.close();
  });
});
