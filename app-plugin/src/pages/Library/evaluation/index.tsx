// The Library page's views of trained versions; the page (LibraryPage.tsx) renders them.
export { VersionEvaluation, type VersionEvaluationProps } from './VersionEvaluation';
export { VersionComparison, type VersionComparisonProps } from './VersionComparison';
