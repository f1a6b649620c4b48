import React from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Button, Checkbox, useStyles2 } from '@grafana/ui';
import { css, cx } from '@emotion/css';
import type { ModelVersion } from '@hydra/inference-server/api';
import type { TrainingJob } from '@hydra/plugin-kit/client';
import { testIds } from '../../testIds';

interface Props {
  versions: ModelVersion[];
  jobs: TrainingJob[];
  selected?: number;
  picked: number[];
  /** Undefined: the token may not promote or retire, and the column is left out. */
  actions?: {
    busy: boolean;
    onPromote: (version: ModelVersion) => void;
    onStatus: (version: ModelVersion, status: 'ready' | 'retired') => void;
  };
  onSelect: (versionId: number) => void;
  onPick: (versionId: number) => void;
}

/** `v3` where the versions share one model, else `brightness v3`. */
export function versionName(version: Pick<ModelVersion, 'model' | 'version'>, versions: ModelVersion[]): string {
  return new Set(versions.map((v) => v.model)).size > 1
    ? `${version.model} v${version.version}`
    : `v${version.version}`;
}

/** Who made a version: the user who started its training job, else how it came. */
function madeBy(version: ModelVersion, jobs: TrainingJob[]): string {
  if (!version.metrics) {
    return 'imported';
  }
  const { trainingJobId } = version.metrics;
  return jobs.find((job) => job.id === trainingJobId)?.createdBy ?? `training job ${trainingJobId}`;
}

/**
 * A plot type's versions, newest first, the active one starred: what each is, what it learned from, who made it, and
 * the actions the token may take. A click on a row shows that version's evaluation; the boxes pick two to compare.
 */
export function VersionsTable({ versions, jobs, selected, picked, actions, onSelect, onPick }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <table className={styles.table} data-testid={testIds.library.versions}>
      <thead>
        <tr>
          <th title="Pick two to compare">Compare</th>
          <th />
          <th>Version</th>
          <th>Architecture</th>
          <th>Input</th>
          <th title="Images in the training, validation and test splits">Train / val / test</th>
          <th>Test accuracy</th>
          <th>Trained</th>
          <th>Backend</th>
          <th>By</th>
          <th>State</th>
          {actions && <th />}
        </tr>
      </thead>
      <tbody>
        {versions.map((version) => {
          const name = versionName(version, versions);
          const split = version.metrics?.splitSizes;
          const active = version.status === 'active';
          return (
            <tr
              key={version.id}
              data-testid={testIds.library.version(version.id)}
              data-active={active || undefined}
              className={cx(styles.row, version.id === selected && styles.selected)}
              onClick={() => onSelect(version.id)}
            >
              <td onClick={(event) => event.stopPropagation()}>
                <Checkbox
                  data-testid={testIds.library.pick(version.id)}
                  aria-label={`Compare ${name}`}
                  value={picked.includes(version.id)}
                  onChange={() => onPick(version.id)}
                />
              </td>
              <td>
                {active && (
                  <span role="img" aria-label="Active" title="Active: it judges the new plots" className={styles.star}>
                    ★
                  </span>
                )}
              </td>
              <td>
                <Button size="sm" fill="text" onClick={() => onSelect(version.id)}>
                  {name}
                </Button>
              </td>
              <td>{version.architecture}</td>
              <td>{version.inputShape.join('×')}</td>
              <td>{split ? `${split.train} / ${split.validation} / ${split.test}` : '–'}</td>
              <td>{version.metrics ? version.metrics.evaluation.accuracy.toFixed(3) : '–'}</td>
              <td>{dateTimeFormat(version.createdAt)}</td>
              <td>{version.metrics?.backend ?? '–'}</td>
              <td>{madeBy(version, jobs)}</td>
              <td>{version.status}</td>
              {actions && (
                <td onClick={(event) => event.stopPropagation()}>
                  <div className={styles.actions}>
                    {(version.status === 'ready' || version.status === 'retired') && (
                      <Button
                        size="sm"
                        data-testid={testIds.library.promote(version.id)}
                        disabled={actions.busy}
                        tooltip="Make it the active version, through the promotion gate"
                        onClick={() => actions.onPromote(version)}
                      >
                        Promote
                      </Button>
                    )}
                    {version.status !== 'training' && (
                      <Button
                        size="sm"
                        variant="secondary"
                        data-testid={testIds.library.retire(version.id)}
                        disabled={actions.busy || active}
                        tooltip={
                          active
                            ? 'The active version cannot be retired: promote another one or roll back first'
                            : version.status === 'retired'
                              ? 'Bring it back to the versions ready to promote'
                              : 'Take it out of the versions to promote; it stays in the history'
                        }
                        onClick={() => actions.onStatus(version, version.status === 'retired' ? 'ready' : 'retired')}
                      >
                        {version.status === 'retired' ? 'Restore' : 'Retire'}
                      </Button>
                    )}
                  </div>
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      padding: theme.spacing(0.5, 1),
      textAlign: 'left',
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      whiteSpace: 'nowrap',
    },
  }),
  row: css({ cursor: 'pointer', '&:hover': { background: theme.colors.action.hover } }),
  selected: css({ background: theme.colors.action.selected }),
  actions: css({ display: 'flex', gap: theme.spacing(1) }),
  star: css({ color: theme.colors.warning.main, fontSize: theme.typography.h4.fontSize }),
});
