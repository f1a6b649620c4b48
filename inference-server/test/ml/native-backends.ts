function isInstalled(specifier: string): boolean {
  try {
    import.meta.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

/** Tests that expect the native backends to be missing (as on the CI machine) are skipped where they load. */
export const skipWhereNativeBackendInstalled = {
  skip:
    isInstalled('@tensorflow/tfjs-node') || isInstalled('@tensorflow/tfjs-node-gpu')
      ? 'a native TensorFlow.js backend is installed here'
      : false,
};
