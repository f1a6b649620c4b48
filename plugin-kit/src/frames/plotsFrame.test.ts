import type { PlotList } from '@hydra/inference-server/api';
import { describe, expect, it } from 'vitest';
import { predictionFixture } from '../../testing/fixtures';
import { PlotField } from './fields';
import { plotsFrame } from './plotsFrame';

const apiUrl = '/api/datasources/proxy/uid/x/hydra/api/v1';
const classes = [
  { name: 'Good', colour: '#73BF69', severity: 'ok' as const },
  { name: 'Bad', colour: '#F2495C', severity: 'alarm' as const },
];

const field = (frame: { fields: Array<{ name: string; values: unknown[] }> }, name: string) =>
  frame.fields.find((f) => f.name === name)!.values;

describe('plotsFrame', () => {
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
          prediction: predictionFixture({ imageId: 5, verdict: 'Bad' }),
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
});
