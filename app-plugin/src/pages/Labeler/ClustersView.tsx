import React, { useCallback, useState } from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { PlotTypeInfo } from '@hydra/inference-server/api';
import type { Cluster } from '@hydra/plugin-kit/client';
import { useApp } from '../../components/App/AppContext';
import { LabeledSwitch } from '../../components/LabeledSwitch/LabeledSwitch';
import { testIds } from '../../testIds';
import { ClusterCard } from './ClusterCard';
import { useClusters } from './useClusters';

interface Props {
  plotType: PlotTypeInfo;
  /** A new key asks the server again (after a label changed). */
  reloadKey: number;
  busy: boolean;
  canUndo: boolean;
  onUndo: () => void;
  /** Labels exactly these images with the class, as one undoable Apply. */
  onLabel: (imageIds: number[], className: string) => void;
}

/**
 * The Labeler's Clusters mode: the plot type's unlabeled images in clusters, largest first, each labeled at once
 * after a look at its medoid and its most unique members; near-duplicates (chunks of one run) collapse to one tile.
 */
export function ClustersView({ plotType, reloadKey, busy, canUndo, onUndo, onLabel }: Props) {
  const styles = useStyles2(getStyles);
  const { client, can } = useApp();
  const { list, error } = useClusters(client, plotType.id, reloadKey);
  const [collapse, setCollapse] = useState(true);
  const label = useCallback((cluster: Cluster, className: string) => onLabel(cluster.imageIds, className), [onLabel]);

  if (error) {
    return (
      <Alert title="Cannot cluster the images" data-testid={testIds.labeler.error}>
        {error}
      </Alert>
    );
  }
  if (!list) {
    return <LoadingPlaceholder text={`Clustering the unlabeled images of ${plotType.name}…`} />;
  }
  if (list.clusters.length === 0) {
    return (
      <Alert severity="info" title="Nothing to cluster" data-testid={testIds.labeler.empty}>
        {plotType.name} has no unlabeled image: every image is labeled, or none came yet.
      </Alert>
    );
  }
  const tiles = list.clusters.reduce((sum, cluster) => sum + cluster.groups.length, 0);
  return (
    <div className={styles.list} data-testid={testIds.labeler.clusters}>
      <div className={styles.head}>
        <span className={styles.hint}>
          {list.images} unlabeled images in {list.clusters.length} clusters, {tiles} tiles; the most unique members
          first.
        </span>
        <LabeledSwitch
          label="Collapse near-duplicates"
          tooltip="Consecutive chunks of one run that look alike: one tile"
          testId={testIds.labeler.collapseDuplicates}
          value={collapse}
          onChange={() => setCollapse((on) => !on)}
        />
        {can('label') && (
          <Button
            size="sm"
            variant="secondary"
            icon="history-alt"
            data-testid={testIds.labeler.undo}
            disabled={!canUndo || busy}
            tooltip="Undo the last label (Ctrl+Z)"
            onClick={onUndo}
          >
            Undo
          </Button>
        )}
      </div>
      {list.clusters.map((cluster) => (
        <ClusterCard
          key={cluster.medoidImageId}
          apiUrl={client.apiUrl}
          cluster={cluster}
          classes={plotType.classes}
          collapse={collapse}
          mayLabel={can('label')}
          busy={busy}
          onLabel={label}
        />
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  head: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(1) }),
  hint: css({ color: theme.colors.text.secondary }),
});
