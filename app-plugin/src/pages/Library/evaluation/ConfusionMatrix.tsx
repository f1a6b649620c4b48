import React from 'react';
import { colorManipulator, type GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { css, cx } from '@emotion/css';
import type { Evaluation } from '@hydra/inference-server/api';
import type { ConfusionCell } from '@hydra/plugin-kit/client';
import { evaluationTestIds } from './testIds';

interface ConfusionMatrixProps {
  evaluation: Evaluation;
  /** Makes each cell a button that lists its images. */
  onSelect?: (cell: ConfusionCell) => void;
  selected?: ConfusionCell;
  testId?: string;
}

/**
 * The enhanced confusion matrix: rows are true classes, columns predicted ones; each cell shows its count and the
 * histogram of its predictions' confidence (ten bins of [0, 1]), so confident mistakes stand out off the diagonal.
 */
export function ConfusionMatrix({
  evaluation,
  onSelect,
  selected,
  testId = evaluationTestIds.matrix,
}: ConfusionMatrixProps) {
  const styles = useStyles2(getStyles);
  const { classes, confusionMatrix, confidenceHistograms } = evaluation;
  return (
    <table className={styles.table} data-testid={testId}>
      <thead>
        <tr>
          <th className={styles.corner}>true ↓ predicted →</th>
          {classes.map((name) => (
            <th key={name} scope="col">
              {name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {classes.map((trueClass, t) => {
          const rowTotal = confusionMatrix[t]!.reduce((sum, count) => sum + count, 0);
          return (
            <tr key={trueClass}>
              <th scope="row">{trueClass}</th>
              {classes.map((predictedClass, p) => {
                const count = confusionMatrix[t]![p]!;
                const histogram = confidenceHistograms[t]?.[p] ?? [];
                const isSelected = selected?.trueClass === trueClass && selected.predictedClass === predictedClass;
                const label = `${count} ${trueClass} image${count === 1 ? '' : 's'} predicted ${predictedClass}`;
                const content = (
                  <>
                    <span className={styles.count}>{count}</span>
                    <Histogram bins={histogram} />
                  </>
                );
                const shade = { '--share': rowTotal === 0 ? 0 : count / rowTotal } as React.CSSProperties;
                return (
                  <td key={predictedClass} className={t === p ? styles.right : styles.wrong} style={shade}>
                    {onSelect ? (
                      <button
                        type="button"
                        className={cx(styles.button, isSelected && styles.selected)}
                        aria-label={label}
                        aria-pressed={isSelected}
                        title={`${label}; the bars: how many at each confidence, 0 to 100%. Click to list them.`}
                        data-testid={evaluationTestIds.cell(trueClass, predictedClass)}
                        onClick={() => onSelect({ trueClass, predictedClass })}
                      >
                        {content}
                      </button>
                    ) : (
                      <div className={styles.button} title={label}>
                        {content}
                      </div>
                    )}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Ten bars, the tallest the height of the cell's histogram. */
function Histogram({ bins }: { bins: number[] }) {
  const styles = useStyles2(getStyles);
  const highest = Math.max(1, ...bins);
  return (
    <svg viewBox="0 0 50 16" className={styles.histogram} aria-hidden="true">
      {bins.map((count, i) => (
        <rect key={i} x={i * 5 + 0.5} width={4} y={16 - (16 * count) / highest} height={(16 * count) / highest} />
      ))}
    </svg>
  );
}

const getStyles = (theme: GrafanaTheme2) => {
  const cell = (colour: string) =>
    css({
      padding: 0,
      border: `1px solid ${theme.colors.border.weak}`,
      // Shaded by the cell's share of its row: where a class's images go.
      background: `color-mix(in srgb, ${colorManipulator.alpha(colour, 0.6)} calc(var(--share) * 100%), transparent)`,
    });
  return {
    table: css({
      borderCollapse: 'collapse',
      th: { padding: theme.spacing(0.5, 1), fontWeight: theme.typography.fontWeightMedium, textAlign: 'center' },
    }),
    corner: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
    right: cell(theme.colors.success.main),
    wrong: cell(theme.colors.error.main),
    button: css({
      display: 'flex',
      flexDirection: 'column',
      alignItems: 'center',
      gap: 2,
      width: 96,
      padding: theme.spacing(0.5),
      background: 'none',
      border: 'none',
      color: theme.colors.text.primary,
      cursor: 'pointer',
      '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}` },
    }),
    selected: css({ outline: `3px solid ${theme.colors.primary.main}`, outlineOffset: -3 }),
    count: css({ fontSize: theme.typography.h4.fontSize, fontVariantNumeric: 'tabular-nums' }),
    histogram: css({ width: 60, height: 18, fill: theme.colors.text.secondary }),
  };
};
