import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '@hydra/plugin-kit/testing/browser-harness';
import { postPlot, seedDeployment, startHydraServer, type HydraServer } from '@hydra/plugin-kit/testing/server';
import { buildPreview } from '../preview/build.mts';
import { testIds } from '../src/testIds';

const ARTIFACTS = path.resolve(__dirname, '../test-results/browser');
const tid = (id: string) => `[data-testid="${id}"]`;

let previewDir = '';
let server: HydraServer;
let browser: Browser;

beforeAll(async () => {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  previewDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hydra-preview-'));
  await buildPreview(previewDir, { force: true });
  // As `npm run demo` runs it: no tokens, the preview at /.
  server = await startHydraServer('halld', {
    HYDRA_AUTH: 'false',
    HYDRA_PREVIEW: 'true',
    HYDRA_PREVIEW_DIR: previewDir,
  });
  await seedDeployment(server, { withModel: 5, run: 2000 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fs.rm(previewDir, { recursive: true, force: true });
});

describe('the preview page at / of a server without tokens', () => {
  it('says it is a preview, shows live plots and verdicts from the API, and opens the viewer', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) {
        problems.push(message.text());
      }
    });
    const icons: number[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/public/build/img/icons/')) {
        icons.push(response.status());
      }
    });
    await page.goto(`${server.url}/`);

    const banner = page.locator(tid(testIds.preview.banner));
    await expect.poll(() => banner.textContent()).toMatch(/Preview of the Hydra plot grid/);
    expect(await banner.textContent()).toMatch(/docker compose up -d.*From docker compose up to a working dashboard/);

    // Every simulated plot kind, with its real thumbnail decoded; five have a model and a verdict.
    await page.waitForFunction(() => {
      const images = [...document.querySelectorAll<HTMLImageElement>('[data-verdict] img')];
      return images.length === 7 && images.every((img) => img.complete && img.naturalWidth > 0);
    });
    expect(await page.locator('[data-verdict="Good"]').count()).toBe(5);
    expect(await page.locator('[data-verdict="No model"]').count()).toBe(2);
    await page.screenshot({ path: path.join(ARTIFACTS, 'preview-grid.png'), fullPage: true });

    // A Bad plot posted now turns up by itself (the live stream, same origin).
    await postPlot(server, { plotType: 'BCAL_occupancy', run: 2001, seed: 9, bad: true });
    await page.waitForSelector(
      `${tid(testIds.badSection)} ${tid(testIds.card('BCAL_occupancy'))}[data-verdict="Bad"]`,
      {
        timeout: 15_000,
      }
    );

    // The viewer: the image and its Grad-CAM overlay from this server; no labeler outside Grafana.
    await page.click(tid(testIds.card('BCAL_occupancy')));
    await page.waitForSelector(tid(testIds.viewer.root));
    await page.waitForFunction((id) => {
      const overlay = document.querySelector<HTMLImageElement>(`[data-testid="${id}"]`);
      return overlay?.complete && overlay.naturalWidth > 0;
    }, testIds.viewer.gradcam);
    const overlaySrc = new URL((await page.locator(tid(testIds.viewer.gradcam)).getAttribute('src'))!, server.url);
    expect(overlaySrc.pathname).toMatch(/^\/api\/v1\/images\/\d+\/gradcam$/);
    expect(await page.locator(tid(testIds.viewer.labeler)).count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'preview-viewer.png') });

    expect(icons.length).toBeGreaterThan(0);
    expect(icons.every((status) => status === 200 || status === 304)).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
