// Apart from the widgets: the browser test reads these in Node, where @grafana/ui cannot load.
import { viewerTestIds } from '@hydra/plugin-kit/viewer/test-ids';

/** Every data-testid of the panel; the viewer's widgets bring theirs from the kit. */
export const testIds = {
  panel: 'hydra-grid-panel',
  emptyState: 'hydra-grid-empty',
  errorState: 'hydra-grid-error',
  header: {
    beam: 'hydra-header-beam',
    run: 'hydra-header-run',
    updated: 'hydra-header-updated',
    news: 'hydra-header-news',
  },
  legendItem: (name: string) => `hydra-legend-${name}`,
  filters: { group: 'hydra-filter-group', text: 'hydra-filter-text', showHidden: 'hydra-filter-show-hidden' },
  badSection: 'hydra-bad-section',
  grid: 'hydra-grid',
  card: (plotType: string) => `hydra-card-${plotType}`,
  cardHide: (plotType: string) => `hydra-card-hide-${plotType}`,
  viewer: {
    ...viewerTestIds,
    root: 'hydra-viewer',
    setReference: 'hydra-viewer-set-reference',
    labeler: 'hydra-viewer-labeler',
    status: 'hydra-viewer-status',
  },
  preview: {
    banner: 'hydra-preview-banner',
    deployment: 'hydra-preview-deployment',
    message: 'hydra-preview-message',
  },
  alarm: {
    enableSound: 'hydra-alarm-enable',
    mute: 'hydra-alarm-mute',
    banner: 'hydra-alarm-banner',
    acknowledge: 'hydra-alarm-ack',
  },
};
