import React from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { VersionAgreement } from '@hydra/plugin-kit/client';
import { testIds } from '../../testIds';

const WIDTH = 160;
const HEIGHT = 28;

/** The daily agreement rates as a line, 0 at the bottom and 1 at the top; days without labels are left out. */
function Trend({ daily }: { daily: VersionAgreement['daily'] }) {
  const theme = useTheme2();
  const days = daily.filter((d) => d.labeled > 0);
  if (days.length < 2) {
    return null;
  }
  const points = days
    .map((d, i) => `${(i / (days.length - 1)) * WIDTH},${(1 - d.agreed / d.labeled) * (HEIGHT - 2) + 1}`)
    .join(' ');
  return (
    <svg width={WIDTH} height={HEIGHT} role="img" aria-label="Daily agreement">
      <polyline points={points} fill="none" stroke={theme.colors.primary.main} strokeWidth={1.5} />
    </svg>
  );
}

/**
 * How often the labels people gave after a version's verdicts agree with them, per version that has any, since it
 * was deployed: a falling line says the model needs retraining.
 */
export function AgreementTrend({ items, name }: { items: VersionAgreement[]; name: (versionId: number) => string }) {
  const styles = useStyles2(getStyles);
  const labeled = items.filter((item) => item.labeled > 0);
  if (labeled.length === 0) {
    return (
      <p className={styles.secondary} data-testid={testIds.library.agreement}>
        No label has been given to a plot after a version judged it yet: agreement shows as people label in the Labeler
        or override verdicts.
      </p>
    );
  }
  return (
    <table className={styles.table} data-testid={testIds.library.agreement}>
      <tbody>
        {labeled.map((item) => (
          <tr key={item.modelVersionId}>
            <td>{name(item.modelVersionId)}</td>
            <td>
              <strong>{item.rate === null ? '–' : `${Math.round(item.rate * 100)}%`}</strong>
            </td>
            <td className={styles.secondary}>
              {item.agreed} of {item.labeled} labels agree
            </td>
            <td>
              <Trend daily={item.daily} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({ borderCollapse: 'collapse', td: { padding: theme.spacing(0.5, 1), verticalAlign: 'middle' } }),
  secondary: css({ color: theme.colors.text.secondary }),
});
