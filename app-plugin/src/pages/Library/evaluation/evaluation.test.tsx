import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelVersion, ModelVersionList, PlotTypeList } from '@hydra/inference-server/api';
import { thresholdMetrics } from '@hydra/inference-server/metrics';
import type { Comparison, SplitPredictions } from '@hydra/plugin-kit/client';
import { api, hydra, renderPage, UNREACHABLE, type Role } from '../../../../tests/renderApp';
import { trainVersions, type TrainedVersions } from '../../../../tests/trainedVersions';
import { metric } from './format';
import { evaluationTestIds as ids } from './testIds';
import { labeledProbabilities } from './useSplitPredictions';
import { VersionComparison, VersionEvaluation } from '.';

let trained: TrainedVersions;
/** The brightness model that global setup imported for CDC_occupancy: no metrics, no split predictions. */
let imported: ModelVersion;

beforeAll(async () => {
  trained = await trainVersions(api, hydra, { relabeled: true });
  const plotTypes = await api<PlotTypeList>('viewer', 'GET', `/plot-types?deployment=${hydra.deployment}`);
  const cdc = plotTypes.items.find((p) => p.name === 'CDC_occupancy')!;
  imported = (await api<ModelVersionList>('viewer', 'GET', `/models/${cdc.id}`)).items.find((v) => !v.metrics)!;
}, 600_000);

const evaluate = (version: ModelVersion, { role = 'expert', canEdit = true, url }: EvaluateOptions = {}) =>
  renderPage('/library', {
    role,
    url,
    element: <VersionEvaluation plotTypeId={version.plotTypeId} versionId={version.id} canEdit={canEdit} />,
  });
type EvaluateOptions = { role?: Role; canEdit?: boolean; url?: string };

const splitOf = (version: ModelVersion, split: 'validation' | 'test', cell = '') =>
  api<SplitPredictions>(
    'viewer',
    'GET',
    `/models/${version.plotTypeId}/versions/${version.id}/split-predictions?split=${split}${cell}`
  );

/** Types a threshold into the class's slider input, as a user can instead of dragging. */
const shown = (className: string, key: string) =>
  screen.getByTestId(ids.thresholdMetric(className, key)).textContent!.split(' ')[0];

describe('the evaluation of a version', () => {
  it('says it is loading, then shows the curves, the test confusion matrix, per-class metrics and the charts', async () => {
    evaluate(trained.a);
    expect(screen.getByTestId(ids.loading)).toHaveTextContent('Loading the version');
    expect(await screen.findByTestId(ids.evaluation)).toBeInTheDocument();
    expect(screen.getByTestId(ids.curves).querySelectorAll('polyline')).toHaveLength(4);
    const evaluation = trained.a.metrics!.evaluation;
    evaluation.classes.forEach((trueClass, t) =>
      evaluation.classes.forEach((predictedClass, p) =>
        expect(screen.getByTestId(ids.cell(trueClass, predictedClass)).textContent).toBe(
          String(evaluation.confusionMatrix[t]![p])
        )
      )
    );
    const perClass = screen.getByTestId(ids.classMetrics);
    for (const name of evaluation.classes) {
      expect(within(perClass).getByText(name).closest('tr')).toHaveTextContent(
        `${name}${metric(evaluation.perClass[name]!.precision)}${metric(evaluation.perClass[name]!.recall)}`
      );
    }
    expect(await screen.findByTestId(ids.ece)).toHaveTextContent(/Expected calibration error: \d+%/);
    expect(screen.getByTestId(ids.prCurves).querySelectorAll('polyline')).toHaveLength(evaluation.classes.length);
    expect(await screen.findByTestId(ids.thresholdMetric('Good', 'f1'))).toBeInTheDocument();
    expect(screen.getByTestId(ids.saveThresholds)).toBeDisabled();
    expect(screen.queryByTestId(ids.readOnly)).not.toBeInTheDocument();
  });

  it('lists exactly the test images of a confusion-matrix cell when it is clicked', async () => {
    evaluate(trained.a);
    const evaluation = trained.a.metrics!.evaluation;
    const [t, p] = [0, 1]
      .flatMap((row) => [0, 1].map((column) => [row, column]))
      .sort(
        ([t1, p1], [t2, p2]) => evaluation.confusionMatrix[t2!]![p2!]! - evaluation.confusionMatrix[t1!]![p1!]!
      )[0]!;
    const [trueClass, predictedClass] = [evaluation.classes[t!]!, evaluation.classes[p!]!];
    fireEvent.click(await screen.findByTestId(ids.cell(trueClass, predictedClass)));
    const cell = await splitOf(trained.a, 'test', `&trueClass=${trueClass}&predictedClass=${predictedClass}`);
    expect(cell.items.length).toBe(evaluation.confusionMatrix[t!]![p!]);
    const list = await screen.findByTestId(ids.cellImages);
    await waitFor(() => expect(list.querySelectorAll('[data-image-id]')).toHaveLength(cell.items.length));
    const listed = [...list.querySelectorAll('[data-image-id]')].map((e) => Number(e.getAttribute('data-image-id')));
    expect(listed.sort()).toEqual(cell.items.map((item) => item.imageId).sort());
    expect(list.querySelector('a')!.getAttribute('href')).toMatch(/\/labeler\?imageId=\d+&plotType=CDC_occupancy$/);
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId(ids.cellImages)).not.toBeInTheDocument();
  });

  // Moving a threshold and saving it is the browser test's (libraryEvaluation.browser.test.ts): in the full jsdom
  // suite the slider's typed value did not reach the page (alone it did), which is not yet understood.
  it('shows precision, recall and F1 at the saved thresholds as the validation split gives them; Save waits', async () => {
    evaluate(trained.a);
    await screen.findByTestId(ids.thresholdMetric('Good', 'recall'));
    const validation = await splitOf(trained.a, 'validation');
    const { probabilities, labels } = labeledProbabilities(validation);
    const saved = thresholdMetrics(probabilities, labels, validation.classes, trained.a.thresholds).perClass.Good!;
    expect(shown('Good', 'recall')).toBe(metric(saved.recall));
    expect(shown('Good', 'precision')).toBe(metric(saved.precision));
    expect(shown('Good', 'f1')).toBe(metric(saved.f1));
    expect(screen.getByTestId(ids.saveThresholds)).toBeDisabled();
  });

  it('lets a viewer see the thresholds but not save them, and says why', async () => {
    evaluate(trained.a, { role: 'viewer', canEdit: false });
    expect(await screen.findByTestId(ids.readOnly)).toHaveTextContent('saving thresholds needs the expert role');
    await waitFor(() => expect(screen.getByTestId(ids.readOnly)).toHaveTextContent('whose role is viewer'));
    await screen.findByTestId(ids.thresholdMetric('Good', 'recall'));
    expect(screen.queryByTestId(ids.saveThresholds)).not.toBeInTheDocument();
  });

  it('says an imported version has no evaluation and no split predictions, and still shows its thresholds', async () => {
    evaluate(imported);
    expect(await screen.findByTestId(ids.imported)).toHaveTextContent('was imported');
    expect(await screen.findByTestId(ids.noSplit)).toHaveTextContent('No validation predictions for this version');
    expect(screen.queryByTestId(ids.matrix)).not.toBeInTheDocument();
    for (const name of imported.classes) {
      expect(screen.getByTestId(ids.threshold(name))).toBeInTheDocument();
    }
  });

  it('says why when the server cannot be reached', async () => {
    evaluate(trained.a, { url: UNREACHABLE });
    expect(await screen.findByTestId(ids.error)).toHaveTextContent('Cannot reach');
  });
});

describe('two versions compared', () => {
  const compare = (a: ModelVersion, b: ModelVersion) =>
    renderPage('/library', {
      role: 'viewer',
      element: <VersionComparison plotTypeId={a.plotTypeId} a={a.id} b={b.id} />,
    });

  it('shows both versions’ metrics and confusion matrices on the shared test images, and where they disagree', async () => {
    compare(trained.a, trained.b);
    const expected = await api<Comparison>(
      'viewer',
      'GET',
      `/models/${trained.a.plotTypeId}/compare?a=${trained.a.id}&b=${trained.b.id}`
    );
    expect(expected.sharedTestImages).toBeGreaterThan(0);
    expect(expected.disagreements.length).toBeGreaterThan(0);
    const metrics = await screen.findByTestId(ids.comparisonMetrics);
    expect(metrics).toHaveTextContent(`${trained.a.model} v${trained.a.version}`);
    expect(metrics).toHaveTextContent(`${trained.b.model} v${trained.b.version}`);
    for (const side of ['a', 'b'] as const) {
      const matrix = screen.getByTestId(ids.comparisonMatrix(side));
      const total = [...matrix.querySelectorAll('td')].reduce((sum, td) => sum + Number(td.textContent), 0);
      expect(total).toBe(expected.sharedTestImages);
    }
    const shownIds = [...screen.getByTestId(ids.disagreements).querySelectorAll('[data-image-id]')].map((e) =>
      Number(e.getAttribute('data-image-id'))
    );
    expect(shownIds.sort()).toEqual(expected.disagreements.map((d) => d.imageId).sort());
  });

  it('says when two versions share no test images', async () => {
    compare(trained.a, trained.relabeled!);
    expect(await screen.findByTestId(ids.noShared)).toHaveTextContent('share no test images');
  });

  it('says what is wrong when a version is compared with itself', async () => {
    compare(trained.a, trained.a);
    expect(await screen.findByTestId(ids.comparisonError)).toHaveTextContent('Cannot compare');
  });
});
