import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelVersionList } from '@hydra/inference-server/api';
import type { Comparison, SplitPredictions } from '@hydra/plugin-kit/client';
import { evaluationTestIds as ids } from '../src/pages/Library/evaluation/testIds';
import { api, ARTIFACTS, closeSession, hydra, openPage, openSession, tid, type Session } from './browserKit';
import { trainVersions, type TrainedVersions } from './trainedVersions';

let session: Session;
let trained: TrainedVersions;

beforeAll(async () => {
  session = await openSession();
  trained = await trainVersions(api, hydra);
}, 600_000);

afterAll(() => closeSession(session));

/** The harness's page for the Library's evaluation views (tests/harness/LibraryEvaluationHarness.tsx). */
const openEvaluation = (params: Record<string, number>, theme: 'dark' | 'light' = 'dark') =>
  openPage(session, {
    page: 'library-evaluation',
    theme,
    extra: `&${new URLSearchParams({ plotTypeId: String(trained.plotType.id), ...stringValues(params) })}`,
  });
const stringValues = (params: Record<string, number>) =>
  Object.fromEntries(Object.entries(params).map(([key, value]) => [key, String(value)]));

const text = async (page: Page, testId: string) => (await page.locator(tid(testId)).textContent())!;
const goodMetrics = (page: Page) =>
  Promise.all(['precision', 'recall', 'f1'].map((key) => text(page, ids.thresholdMetric('Good', key))));
const savedVersion = async () =>
  (await api<ModelVersionList>('viewer', 'GET', `/models/${trained.plotType.id}`)).items.find(
    (v) => v.id === trained.a.id
  )!;

describe('the Library’s evaluation views in Chromium, on versions trained by the test', () => {
  it('a threshold moved with the keyboard changes precision, recall and F1 at once; Save stores it', async () => {
    const page = await openEvaluation({ versionId: trained.a.id });
    await page.waitForSelector(tid(ids.thresholdMetric('Good', 'recall')));
    await page.waitForSelector(tid(ids.ece));
    await page.screenshot({ path: path.join(ARTIFACTS, 'library-evaluation-dark.png'), fullPage: true });
    const before = await goodMetrics(page);
    const saved = trained.a.thresholds.Good ?? 0;

    // End puts the handle at 1: only a probability of exactly 1 reaches it. (At 0.99, a version trained in the full
    // suite was sure enough of every Good test image that the figures stayed as saved.)
    const handle = page.getByRole('slider', { name: 'Threshold of Good' });
    await handle.focus();
    await handle.press('End');
    await page.waitForFunction(
      ({ testId }) => document.querySelector(`[data-testid="${testId}"]`)?.textContent?.includes('(saved:'),
      { testId: ids.thresholdMetric('Good', 'recall') }
    );
    const after = await goodMetrics(page);
    console.log(`Good at ${saved.toFixed(2)} → 1.00: precision, recall, F1 ${before.join(' ')} → ${after.join(' ')}`);
    expect(after).not.toEqual(before);
    expect((await savedVersion()).thresholds.Good).toBe(trained.a.thresholds.Good);
    await page.locator(tid(ids.thresholds)).screenshot({ path: path.join(ARTIFACTS, 'library-thresholds-dark.png') });

    await page.click(tid(ids.saveThresholds));
    await page.waitForSelector(`${tid(ids.thresholdsStatus)}:has-text("Saved the thresholds")`);
    expect((await savedVersion()).thresholds.Good).toBe(1);
    expect(await page.locator(tid(ids.saveThresholds)).isDisabled()).toBe(true);
    await page.close();

    const light = await openEvaluation({ versionId: trained.a.id }, 'light');
    await light.waitForSelector(tid(ids.ece));
    await light.waitForSelector(tid(ids.thresholdMetric('Good', 'recall')));
    await light.screenshot({ path: path.join(ARTIFACTS, 'library-evaluation-light.png'), fullPage: true });
    await light.close();
  });

  it('a click on a confusion-matrix cell lists exactly the test images of that cell', async () => {
    const evaluation = trained.a.metrics!.evaluation;
    const cells = evaluation.classes.flatMap((trueClass, t) =>
      evaluation.classes.map((predictedClass, p) => ({
        trueClass,
        predictedClass,
        count: evaluation.confusionMatrix[t]![p]!,
      }))
    );
    for (const theme of ['dark', 'light'] as const) {
      const page = await openEvaluation({ versionId: trained.a.id }, theme);
      // The fullest cell off the diagonal if there is one (the model's mistakes), else the fullest.
      const cell = [...cells].sort(
        (x, y) =>
          Number(y.trueClass !== y.predictedClass && y.count > 0) -
            Number(x.trueClass !== x.predictedClass && x.count > 0) || y.count - x.count
      )[0]!;
      await page.click(tid(ids.cell(cell.trueClass, cell.predictedClass)));
      const expected = await api<SplitPredictions>(
        'viewer',
        'GET',
        `/models/${trained.plotType.id}/versions/${trained.a.id}/split-predictions?split=test&trueClass=${cell.trueClass}&predictedClass=${cell.predictedClass}`
      );
      expect(expected.items.length).toBe(cell.count);
      await page.waitForSelector(`${tid(ids.cellImages)} [data-image-id]`);
      await page.waitForFunction(() =>
        [...document.querySelectorAll<HTMLImageElement>('[data-image-id] img')].every((img) => img.complete)
      );
      const listed = await page
        .locator(`${tid(ids.cellImages)} [data-image-id]`)
        .evaluateAll((elements) => elements.map((e) => Number(e.getAttribute('data-image-id'))));
      expect(listed.sort()).toEqual(expected.items.map((item) => item.imageId).sort());
      await page.screenshot({ path: path.join(ARTIFACTS, `library-cell-images-${theme}.png`), fullPage: true });
      await page.close();
    }
  });

  it('comparing the two versions shows both, side by side, and the images on which they disagree', async () => {
    const expected = await api<Comparison>(
      'viewer',
      'GET',
      `/models/${trained.plotType.id}/compare?a=${trained.a.id}&b=${trained.b.id}`
    );
    console.log(
      `compare: ${expected.sharedTestImages} shared test images, ${expected.disagreements.length} disagreements`
    );
    expect(expected.disagreements.length).toBeGreaterThan(0);
    for (const theme of ['dark', 'light'] as const) {
      const page = await openEvaluation({ a: trained.a.id, b: trained.b.id }, theme);
      await page.waitForSelector(tid(ids.comparison));
      const metrics = await text(page, ids.comparisonMetrics);
      expect(metrics).toContain(`${trained.a.model} v${trained.a.version}`);
      expect(metrics).toContain(`${trained.b.model} v${trained.b.version}`);
      expect(await page.locator(tid(ids.comparisonMatrix('a'))).isVisible()).toBe(true);
      expect(await page.locator(tid(ids.comparisonMatrix('b'))).isVisible()).toBe(true);
      const shown = await page
        .locator(`${tid(ids.disagreements)} [data-image-id]`)
        .evaluateAll((elements) => elements.map((e) => Number(e.getAttribute('data-image-id'))));
      expect(shown.sort()).toEqual(expected.disagreements.map((d) => d.imageId).sort());
      const first = expected.disagreements[0]!;
      expect(await text(page, ids.disagreement(first.imageId))).toContain(`v${trained.b.version}: ${first.b.class}`);
      await page.waitForFunction(() =>
        [...document.querySelectorAll<HTMLImageElement>('[data-image-id] img')].every((img) => img.complete)
      );
      await page.screenshot({ path: path.join(ARTIFACTS, `library-comparison-${theme}.png`), fullPage: true });
      await page.close();
    }
  });
});
