import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  failureModeNames,
  failureModes,
  labelFor,
  labels,
  plotKinds,
  strengths,
} from '../../src/simulator/index.ts';
import { createRunContext } from '../../src/simulator/generate.ts';
import { padBinCount } from '../../src/simulator/geometry.ts';
import { nominalConditions } from '../../src/simulator/plot-kind.ts';
import type { RegionRole } from '../../src/simulator/plot-kind.ts';
import { Random } from '../../src/simulator/random.ts';

const roles: RegionRole[] = ['dead', 'noise', 'pulser'];

describe('plot kind registry', () => {
  it('has at least six kinds with unique names', () => {
    assert.ok(plotKinds.length >= 6);
    assert.equal(new Set(plotKinds.map((kind) => kind.name)).size, plotKinds.length);
  });

  for (const kind of plotKinds) {
    describe(kind.name, () => {
      it('expects finite, non-negative counts for every bin of every pad', () => {
        const expected = kind.expected(createRunContext(1, 100, kind.name), nominalConditions);
        assert.equal(expected.length, kind.pads.length);
        kind.pads.forEach((pad, index) => {
          const contents = expected[index] as Float64Array;
          assert.equal(contents.length, padBinCount(pad));
          assert.ok(contents.every((value) => Number.isFinite(value) && value >= 0));
          assert.ok(contents.some((value) => value > 0));
        });
      });

      it('repeats its expectation for the same run', () => {
        const first = kind.expected(createRunContext(1, 100, kind.name), nominalConditions);
        const second = kind.expected(createRunContext(1, 100, kind.name), nominalConditions);
        assert.deepEqual(first, second);
      });

      it('places every region on existing bins of one pad', () => {
        for (const role of roles) {
          for (const strength of strengths) {
            for (let draw = 0; draw < 20; draw++) {
              const region = kind.regions[role][strength](
                Random.derive('regions', kind.name, role, strength, draw),
              );
              const pad = kind.pads[region.pad];
              assert.ok(pad, `${role}/${strength}: pad ${region.pad}`);
              assert.ok(region.bins.length > 0, `${role}/${strength} is empty`);
              assert.ok(
                region.bins.every((bin) => Number.isInteger(bin) && bin >= 0 && bin < padBinCount(pad)),
              );
            }
          }
        }
      });

      it('has peaks when it lists a calibration failure mode', () => {
        const calibration = kind.failureModes.some(
          (mode) => mode === 'shifted-peak' || mode === 'double-peak',
        );
        if (calibration) {
          const peaks = kind.peaks?.(createRunContext(1, 100, kind.name)) ?? [];
          assert.ok(peaks.length > 0);
          for (const peak of peaks) assert.ok(kind.pads[peak.pad]?.draw === 'hist');
        }
      });
    });
  }
});

describe('failure modes and labels', () => {
  it('registers every mode under its own name, with a label', () => {
    for (const name of failureModeNames) {
      assert.equal(failureModes[name].name, name);
      assert.ok(labels.includes(labelFor(name)));
      assert.notEqual(labelFor(name), 'Good');
    }
    assert.equal(labelFor(undefined), 'Good');
  });

  it('gives every mode parameters at both strengths', () => {
    for (const name of failureModeNames) {
      const { normal, subtle } = failureModes[name].parameters;
      assert.deepEqual(Object.keys(normal), Object.keys(subtle));
    }
  });

  it('is shown by at least one plot kind each', () => {
    for (const name of failureModeNames)
      assert.ok(
        plotKinds.some((kind) => kind.failureModes.includes(name)),
        name,
      );
  });
});
