import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/ml/backend.ts';
import { skipWhereNativeBackendInstalled } from './native-backends.ts';

test(
  'auto picks wasm here and says why the native backends were skipped',
  skipWhereNativeBackendInstalled,
  async () => {
    const backend = await selectBackend('auto');
    assert.equal(backend.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.equal(backend.skipped.length, 2);
    assert.match(backend.skipped[0] ?? '', /^tensorflow-gpu: .*@tensorflow\/tfjs-node-gpu/);
    assert.match(backend.skipped[1] ?? '', /^tensorflow: .*@tensorflow\/tfjs-node/);
  },
);

test(
  'an explicit backend that cannot load throws an error naming it',
  skipWhereNativeBackendInstalled,
  async () => {
    await assert.rejects(
      selectBackend('tensorflow'),
      /Backend 'tensorflow' could not be loaded: .*tfjs-node/,
    );
  },
);

test('the pure-JS cpu backend is used when asked for', async () => {
  assert.deepEqual(await selectBackend('cpu'), { name: 'cpu', skipped: [] });
  assert.equal(tf.getBackend(), 'cpu');
});
