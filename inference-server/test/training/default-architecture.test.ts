import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultArchitecture } from '../../src/training/training-plan.ts';

test('a request without an architecture trains InceptionV3 on a GPU and the small CNN on a CPU', () => {
  assert.equal(defaultArchitecture('tensorflow-gpu'), 'inceptionv3');
  for (const backend of ['tensorflow', 'wasm', 'cpu'] as const) {
    assert.equal(defaultArchitecture(backend), 'small-cnn', backend);
  }
});
