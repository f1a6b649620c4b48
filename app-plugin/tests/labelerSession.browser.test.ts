// The Labeler in Chromium as a Grafana user ("alice": the emulated proxy adds her login with the Grafana proxy token,
// as Grafana does with send_user_header): labels carry her name and Ctrl+Z undoes her Apply after a reload; the
// preview on hover opens with the Grad-CAM overlay and the label history; label-all-matching refuses (409) when
// images arrive between the count and the confirmation.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlotTypeList } from '@hydra/inference-server/api';
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
  labelerStatus,
  openLabelerPage,
  openSession,
  seedPlots,
  tid,
  type Session,
} from './browserKit';

// A plot type of its own: the other browser tests count and label CDC_occupancy.
const PLOT_TYPE = 'SC_occupancy';
let session: Session;
let plotTypeId = 0;

const openLabeler = () => openLabelerPage(session, { search: `?plotType=${PLOT_TYPE}` });

beforeAll(async () => {
  session = await openSession({ grafanaUser: 'alice' });
  const plotTypes = await api<PlotTypeList>('viewer', 'GET', `/plot-types?deployment=${hydra.deployment}`);
  plotTypeId = plotTypes.items.find((p) => p.name === PLOT_TYPE)!.id;
  await seedPlots(PLOT_TYPE, plotTypeId, 12, 5000);
}, 300_000);

afterAll(() => closeSession(session));

describe('the Labeler in Chromium as a Grafana user', () => {
  it('labels as alice, and Ctrl+Z after a reload undoes her last Apply on the server', async () => {
    const page = await openLabeler();
    expect(await page.locator(tid(testIds.actingAs)).textContent()).toContain('You act as alice');
    const first = await imageIdAt(page, 0);
    const before = await currentLabels(plotTypeId);
    await (await cellAt(page, 0)).click();
    await page.keyboard.press('2');
    await page.click(tid(testIds.labeler.apply));
    await labelerStatus(page, 'Applied 1 label (Bad)');
    expect((await currentLabels(plotTypeId)).get(first)).toEqual({ class: 'Bad', user: 'alice' });

    await page.reload();
    await page.waitForSelector(`${tid(testIds.labeler.grid)} [data-index="0"]`);
    await page.waitForSelector(`${tid(testIds.labeler.undo)}:not([disabled])`);
    await page.locator('body').press('Control+z');
    await labelerStatus(page, 'Undone: 1 label');
    expect(await currentLabels(plotTypeId)).toEqual(before);
    await page.close();
  });

  it('opens the preview on hover, with the Grad-CAM overlay and the label history, and follows the pointer', async () => {
    const page = await openLabeler();
    const [first, second] = [await imageIdAt(page, 0), await imageIdAt(page, 1)];
    await api('labeler', 'POST', '/labels', { imageIds: [first], class: 'Good', source: 'labeler' });
    // The switch's label, as a user clicks it (the checkbox itself is drawn over by it).
    await page.click(`${tid(testIds.labeler.hoverPreview)} + label`);
    await (await cellAt(page, 0)).hover();
    await page.waitForSelector(`${tid(testIds.labeler.preview)}[data-image-id="${first}"]`);
    await page.waitForFunction((id) => {
      const img = document.querySelector<HTMLImageElement>(`[data-testid="${id}"]`);
      return img?.complete && img.naturalWidth > 0;
    }, testIds.viewer.gradcam);
    await page.waitForSelector(`${tid(testIds.labeler.history)} li:has-text("test-labeler")`);
    expect(
      await page
        .locator(`${tid(testIds.labeler.history)} li`)
        .first()
        .textContent()
    ).toMatch(/^Good by test-labeler \(labeler\)/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'labeler-hover-preview-dark.png') });

    await (await cellAt(page, 1)).hover();
    await page.waitForSelector(`${tid(testIds.labeler.preview)}[data-image-id="${second}"]`);
    await page.waitForSelector(`${tid(testIds.labeler.history)}:has-text("Never labelled.")`);
    await page.close();
  });

  it('label-all-matching refuses when images arrived after the count, labels nothing, and shows the new count', async () => {
    const page = await openLabeler();
    const counted = Number((await page.locator(tid(testIds.labeler.total)).textContent())!.split(' ')[0]);
    const before = await currentLabels(plotTypeId);
    await page.getByLabel('Label all matching as').click();
    await page.getByRole('option', { name: 'Bad', exact: true }).click();
    await page.click(tid(testIds.labeler.applyToFilter));
    await page.waitForSelector(`text=Label all ${counted} images matching the filter as Bad?`);

    // Two plots arrive while the user reads the confirmation.
    for (const seed of [1, 2]) {
      await postPlot(hydra as unknown as HydraServer, { plotType: PLOT_TYPE, run: 5100, seed: 900 + seed });
    }
    await page.getByRole('button', { name: `Label ${counted} images` }).click();
    await labelerStatus(page, `the filter now matches ${counted + 2} images, not the ${counted} confirmed`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'labeler-count-changed-dark.png') });
    expect(await currentLabels(plotTypeId)).toEqual(before);
    // The page counts again: the button and the total offer the new count.
    await page.waitForSelector(`${tid(testIds.labeler.total)}:has-text("${counted + 2} images")`);
    expect(await page.locator(tid(testIds.labeler.applyToFilter)).textContent()).toBe(
      `Label all ${counted + 2} matching`
    );
    await page.close();
  });
});
