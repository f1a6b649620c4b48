import type { PlotList, PlotTypeInfo, Prediction } from '@hydra/inference-server/api';
import { describe, expect, it } from 'vitest';
import { PlotField } from './frames';
import { logFrame, plotsFrame, predictionsFrame, proxied, verdictChangesFrame } from './responseHandler';

const apiUrl = '/api/datasources/proxy/uid/x/hydra/api/v1';
const meta = { apiUrl, deployment: 'halld' };
const classes = [
  { name: 'Good', colour: '#73BF69', severity: 'ok' as const },
  { name: 'Bad', colour: '#F2495C', severity: 'alarm' as const },
  { name: 'LowStats', colour: '#FADE2A', severity: 'warn' as const },
];
const plotTypes: PlotTypeInfo[] = [
  { id: 1, deployment: 'halld', name: 'CDC', group: 'CDC', title: 'CDC', activeModelVersionId: 1, classes },
];

let nextId = 1;
function prediction(verdict: string, minute: number, confirmed = true): Prediction {
  const id = nextId++;
  return {
    id,
    imageId: id,
    deployment: 'halld',
    plotType: 'CDC',
    run: 7,
    modelVersionId: 1,
    modelVersion: 1,
    probabilities: { Good: verdict === 'Good' ? 0.9 : 0.1, Bad: verdict === 'Bad' ? 0.9 : 0.1 },
    verdict,
    confidence: 0.9,
    confirmed,
    latencyMs: 10,
    capturedAt: new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString(),
    createdAt: new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString(),
  };
}

const field = (frame: { fields: Array<{ name: string; values: unknown[] }> }, name: string) =>
  frame.fields.find((f) => f.name === name)!.values;

describe('responseHandler', () => {
  it('maps server paths through the proxy and leaves others alone', () => {
    expect(proxied(apiUrl, '/api/v1/images/3/file')).toBe(`${apiUrl}/images/3/file`);
    expect(proxied(apiUrl, 'https://elsewhere/x.png')).toBe('https://elsewhere/x.png');
  });

  it('plots: an empty plot type has nulls, not errors, and a classified one gets its class colour', () => {
    const list: PlotList = {
      deployment: 'halld',
      items: [
        {
          plotType: { id: 1, name: 'CDC', group: 'CDC', title: 'CDC', activeModelVersionId: 1 },
          state: 'classified',
          classes,
          image: {
            id: 5,
            sha256: 'x',
            deployment: 'halld',
            plotType: 'CDC',
            run: 7,
            chunk: null,
            capturedAt: '2025-01-01T00:00:00.000Z',
            receivedAt: '2025-01-01T00:00:00.000Z',
            format: 'png',
            bytes: 1,
            width: 1,
            height: 1,
            status: 'classified',
            error: null,
            fileUrl: '/api/v1/images/5/file',
            thumbnailUrl: '/api/v1/images/5/thumbnail',
          },
          prediction: { ...prediction('Bad', 0), imageId: 5 },
        },
        {
          plotType: { id: 2, name: 'FCAL', group: 'FCAL', title: 'FCAL', activeModelVersionId: null },
          state: 'empty',
          classes: [],
          image: null,
          prediction: null,
        },
      ],
    };
    const frame = plotsFrame(list, apiUrl, 'A');
    expect(frame.refId).toBe('A');
    expect(field(frame, PlotField.colour)).toEqual(['#F2495C', null]);
    expect(field(frame, PlotField.severity)).toEqual(['alarm', null]);
    expect(field(frame, PlotField.imageUrl)).toEqual([`${apiUrl}/images/5/file`, null]);
    expect(field(frame, PlotField.time)).toEqual([Date.parse('2025-01-01T00:00:00.000Z'), null]);
    expect(field(frame, PlotField.confirmed)).toEqual([true, false]);
  });

  it('predictions: oldest first, one probability column per class', () => {
    const frame = predictionsFrame([prediction('Bad', 2), prediction('Good', 1)], meta);
    expect(field(frame, 'verdict')).toEqual(['Good', 'Bad']);
    expect(field(frame, 'p(Bad)')).toEqual([0.1, 0.9]);
  });

  it('log: problems only (severity not ok), newest first', () => {
    const frame = logFrame([prediction('Good', 1), prediction('LowStats', 2), prediction('Bad', 3)], plotTypes, meta);
    expect(field(frame, 'verdict')).toEqual(['Bad', 'LowStats']);
    expect(field(frame, 'severity')).toEqual(['alarm', 'warn']);
  });

  it('verdict changes: each change, and confirmed alarms, as annotations', () => {
    const frame = verdictChangesFrame(
      [
        prediction('Good', 1),
        prediction('Good', 2),
        prediction('Bad', 3, false),
        prediction('Bad', 4),
        prediction('Good', 5),
      ],
      plotTypes,
      meta
    );
    expect(field(frame, 'title')).toEqual(['CDC: Good → Bad', 'CDC: Bad (alarm)', 'CDC: Bad → Good']);
  });
});
