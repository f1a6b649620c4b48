import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { hashSeed, normalCdf, normalQuantile, poissonQuantile, Random } from '../../src/simulator/random.ts';

function draws(rng: Random, count: number, draw: (rng: Random) => number): number[] {
  return Array.from({ length: count }, () => draw(rng));
}

function meanAndVariance(values: number[]): { mean: number; variance: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
  return { mean, variance };
}

describe('seeded random numbers', () => {
  it('repeats a sequence for the same seed and parts, and differs otherwise', () => {
    const sequence = (rng: Random) => draws(rng, 10, (r) => r.nextUint32());
    assert.deepEqual(sequence(new Random(42)), sequence(new Random(42)));
    assert.deepEqual(sequence(Random.derive(1, 2, 'FCAL')), sequence(Random.derive(1, 2, 'FCAL')));
    assert.notDeepEqual(sequence(Random.derive(1, 2, 'FCAL')), sequence(Random.derive(1, 3, 'FCAL')));
    assert.notEqual(hashSeed([1, 'ab']), hashSeed(['1a', 'b']));
  });

  it('draws uniforms strictly inside (0, 1) with mean 1/2', () => {
    const values = draws(new Random(7), 100_000, (r) => r.uniform());
    assert.ok(values.every((u) => u > 0 && u < 1));
    const { mean, variance } = meanAndVariance(values);
    assert.ok(Math.abs(mean - 0.5) < 0.005, `mean ${mean}`);
    assert.ok(Math.abs(variance - 1 / 12) < 0.002, `variance ${variance}`);
  });

  it('draws standard normals', () => {
    const { mean, variance } = meanAndVariance(draws(new Random(8), 100_000, (r) => r.normal()));
    assert.ok(Math.abs(mean) < 0.02, `mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 0.02, `variance ${variance}`);
  });

  for (const expected of [0.3, 4, 35, 41, 900]) {
    it(`draws Poisson counts with mean and variance ${expected}`, () => {
      const values = draws(new Random(9), 50_000, (r) => r.poisson(expected));
      assert.ok(values.every((count) => Number.isInteger(count) && count >= 0));
      const { mean, variance } = meanAndVariance(values);
      assert.ok(Math.abs(mean - expected) < 5 * Math.sqrt(expected / values.length) + 0.01, `mean ${mean}`);
      assert.ok(Math.abs(variance / expected - 1) < 0.05, `variance ${variance}`);
    });
  }

  it('gives Poisson counts that never fall as the mean rises, for one uniform', () => {
    for (const u of [0.01, 0.3, 0.5, 0.9, 0.999]) {
      let previous = 0;
      for (let mean = 0; mean < 100; mean += 0.5) {
        const count = poissonQuantile(mean, u);
        assert.ok(count >= previous, `u=${u}, mean=${mean}`);
        previous = count;
      }
    }
  });

  it('inverts the normal CDF', () => {
    for (const z of [-3, -2.5, -1, 0, 0.3, 1.7, 3]) {
      assert.ok(Math.abs(normalQuantile(normalCdf(z)) - z) < 1e-4, `z=${z}`);
    }
  });
});
