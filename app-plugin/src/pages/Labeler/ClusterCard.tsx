import React, { memo, useState } from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, ConfirmModal, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { PlotClass } from '@hydra/inference-server/api';
import { imageUrl, type Cluster } from '@hydra/plugin-kit/client';
import { testIds } from '../../testIds';

/** Tiles of a cluster shown beside its medoid. */
const SAMPLE = 8;
const MEDOID_WIDTH = 240;
const TILE_WIDTH = 120;

interface Props {
  apiUrl: string;
  cluster: Cluster;
  classes: PlotClass[];
  /** One tile per near-duplicate group (with its count), else one per image. */
  collapse: boolean;
  mayLabel: boolean;
  busy: boolean;
  onLabel: (cluster: Cluster, className: string) => void;
}

/**
 * One cluster: its medoid (the image nearest its centre), a sample of its most unique members (the ones to check
 * before labeling them all), its size, and one button per class that labels the cluster after a confirmation stating
 * the count.
 */
export const ClusterCard = memo(function ClusterCard({
  apiUrl,
  cluster,
  classes,
  collapse,
  mayLabel,
  busy,
  onLabel,
}: Props) {
  const styles = useStyles2(getStyles);
  // The class picked, awaiting the confirmation.
  const [className, setClassName] = useState<string>();
  const tiles = collapse
    ? cluster.groups.map((group) => ({ imageId: group.imageId, alike: group.duplicateIds.length }))
    : cluster.groups.flatMap((group) =>
        [group.imageId, ...group.duplicateIds].map((imageId) => ({ imageId, alike: 0 }))
      );
  const sample = tiles.filter((tile) => tile.imageId !== cluster.medoidImageId).slice(0, SAMPLE);
  const images = `${cluster.size} image${cluster.size === 1 ? '' : 's'}`;
  return (
    <section className={styles.card} data-testid={testIds.labeler.cluster(cluster.medoidImageId)}>
      <img
        src={imageUrl(apiUrl, cluster.medoidImageId, 'thumbnail', { width: MEDOID_WIDTH })}
        alt={`medoid, image ${cluster.medoidImageId}`}
        className={styles.medoid}
      />
      <div className={styles.body}>
        <div className={styles.head}>
          <strong data-testid={testIds.labeler.clusterSize}>{images}</strong>
          <span className={styles.hint}>
            {cluster.groups.length} tile{cluster.groups.length === 1 ? '' : 's'} after near-duplicates collapse
          </span>
          {mayLabel && (
            <span className={styles.label}>
              Label this cluster as
              {classes.map((c) => (
                <Button
                  key={c.name}
                  size="sm"
                  variant="secondary"
                  data-testid={testIds.labeler.clusterLabel(c.name)}
                  disabled={busy}
                  style={{ borderLeft: `4px solid ${c.colour}` }}
                  onClick={() => setClassName(c.name)}
                >
                  {c.name}
                </Button>
              ))}
            </span>
          )}
        </div>
        <div className={styles.sample}>
          {sample.map((tile) => (
            <figure key={tile.imageId} className={styles.tile} data-testid={testIds.labeler.clusterTile(tile.imageId)}>
              <img
                src={imageUrl(apiUrl, tile.imageId, 'thumbnail', { width: TILE_WIDTH })}
                alt={`image ${tile.imageId}`}
                loading="lazy"
              />
              {tile.alike > 0 && <figcaption>+{tile.alike} alike</figcaption>}
            </figure>
          ))}
          {tiles.length - 1 > sample.length && (
            <span className={styles.hint}>and {tiles.length - 1 - sample.length} more</span>
          )}
        </div>
      </div>
      <ConfirmModal
        isOpen={className !== undefined}
        title="Label this cluster"
        body={`Label all ${images} of this cluster as ${className}? Undo takes it back.`}
        confirmText={`Label ${images}`}
        onConfirm={() => {
          setClassName(undefined);
          onLabel(cluster, className!);
        }}
        onDismiss={() => setClassName(undefined)}
      />
    </section>
  );
});

const getStyles = (theme: GrafanaTheme2) => ({
  card: css({
    display: 'flex',
    gap: theme.spacing(1),
    padding: theme.spacing(1),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  medoid: css({ width: MEDOID_WIDTH, height: 'auto', alignSelf: 'flex-start' }),
  body: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), flex: 1, minWidth: 0 }),
  head: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(1) }),
  label: css({ display: 'flex', gap: theme.spacing(0.5), alignItems: 'center', marginLeft: 'auto' }),
  sample: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(0.5) }),
  tile: css({
    margin: 0,
    width: TILE_WIDTH,
    img: { width: TILE_WIDTH, height: 'auto', display: 'block' },
    figcaption: { fontSize: theme.typography.bodySmall.fontSize, color: theme.colors.text.secondary },
  }),
  hint: css({ color: theme.colors.text.secondary }),
});
