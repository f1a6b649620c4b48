// Widgets of an image viewer (the panel's, the app's Labeler and Library pages) and the hook that feeds them.
export { AnomalyFigure } from './AnomalyFigure';
export { GradCamControls, GradCamOverlay } from './GradCamOverlay';
export { HistoryStrip } from './HistoryStrip';
export { OverridePalette } from './OverridePalette';
export { ProbabilityBars } from './ProbabilityBars';
export { ReferenceImage } from './ReferenceImage';
export { viewerTestIds } from './testIds';
export {
  useImageDetails,
  type ActionStatus,
  type ImageDetailsOptions,
  type LabelSource,
  type ReferenceState,
} from './useImageDetails';
