import type { GrafanaTheme2 } from '@grafana/data';
import { css } from '@emotion/css';

/** The evaluation views' shared looks: compact tables with numbers right-aligned, titled sections. */
export const getEvaluationStyles = (theme: GrafanaTheme2) => ({
  table: css({
    borderCollapse: 'collapse',
    fontVariantNumeric: 'tabular-nums',
    'th, td': {
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      textAlign: 'right',
      verticalAlign: 'middle',
    },
    'th:first-child': { textAlign: 'left' },
    tfoot: { color: theme.colors.text.secondary },
  }),
  section: css({
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(3),
  }),
  row: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'flex-start', gap: theme.spacing(3) }),
  secondary: css({ color: theme.colors.text.secondary }),
});
