import type { PlotTypeInfo, Prediction } from '@hydra/inference-server/api';
import { predictionFixture } from '@hydra/plugin-kit/testing';
import { describe, expect, it } from 'vitest';
import { logFrame, predictionsFrame, verdictChangesFrame } from './responseHandler';

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
  const at = new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString();
  return predictionFixture({ id, imageId: id, verdict, confirmed, capturedAt: at, createdAt: at });
}

const field = (frame: { fields: Array<{ name: string; values: unknown[] }> }, name: string) =>
  frame.fields.find((f) => f.name === name)!.values;

describe('responseHandler', () => {
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
