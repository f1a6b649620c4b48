import React from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { Activation } from '@hydra/plugin-kit/client';
import { testIds } from '../../testIds';

/** The registry's history, newest first: which version became active, from which, who did it, when and why. */
export function ActivationHistory({
  activations,
  name,
}: {
  activations: Activation[];
  /** A version's name as the table gives it, by id. */
  name: (versionId: number) => string;
}) {
  const styles = useStyles2(getStyles);
  if (activations.length === 0) {
    return (
      <p className={styles.secondary} data-testid={testIds.library.history}>
        No version has been activated yet: promote one, or train one with “Activate when done”.
      </p>
    );
  }
  return (
    <ol className={styles.list} data-testid={testIds.library.history}>
      {activations.map((a) => (
        <li key={a.id}>
          <strong>
            {a.fromVersionId === null ? 'none' : name(a.fromVersionId)} → {name(a.toVersionId)}
          </strong>{' '}
          <span className={styles.secondary}>
            {a.actor}, {dateTimeFormat(a.createdAt)}
          </span>
          <div>“{a.reason}”</div>
        </li>
      ))}
    </ol>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    li: { padding: theme.spacing(0.5, 0), borderBottom: `1px solid ${theme.colors.border.weak}` },
  }),
  secondary: css({ color: theme.colors.text.secondary }),
});
