import assert from 'node:assert/strict';

/** Asserts that `promise` rejects with an `errorClass` whose message names `file` and matches `pattern`. */
export async function assertRejectsNaming(
  promise: Promise<unknown>,
  errorClass: new (...args: never[]) => Error,
  file: string,
  pattern = /./,
): Promise<void> {
  await assert.rejects(promise, (error: Error) => {
    assert.ok(
      error instanceof errorClass,
      `expected a ${errorClass.name}, got ${error.name}: ${error.message}`,
    );
    assert.ok(error.message.includes(file), `the message does not name ${file}: ${error.message}`);
    assert.match(error.message, pattern);
    return true;
  });
}
