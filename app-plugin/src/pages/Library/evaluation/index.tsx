import React from 'react';

/** The evaluation of one version: curves, confusion matrix, per-class metrics, PR curves, reliability, thresholds. */
export function VersionEvaluation(_props: { plotTypeId: number; versionId: number; canEdit: boolean }) {
  return <div>Evaluation not built yet</div>;
}

/** Two versions of one plot type side by side, on their shared test images. */
export function VersionComparison(_props: { plotTypeId: number; a: number; b: number }) {
  return <div>Comparison not built yet</div>;
}
