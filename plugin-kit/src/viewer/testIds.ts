/** Every data-testid of the viewer widgets; each plugin's testIds.ts takes them in (the panel's as `testIds.viewer`). */
export const viewerTestIds = {
  image: 'hydra-viewer-image',
  gradcam: 'hydra-viewer-gradcam',
  gradcamMessage: 'hydra-viewer-gradcam-message',
  opacity: 'hydra-viewer-opacity',
  gradcamClass: 'hydra-viewer-gradcam-class',
  probabilities: 'hydra-viewer-probabilities',
  reference: 'hydra-viewer-reference',
  history: 'hydra-viewer-history',
  override: (className: string) => `hydra-viewer-override-${className}`,
  anomalyMap: 'hydra-viewer-anomaly-map',
  anomalyScore: 'hydra-viewer-anomaly-score',
  referenceDistance: 'hydra-viewer-reference-distance',
};
