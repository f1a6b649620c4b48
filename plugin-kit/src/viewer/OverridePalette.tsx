import React, { useEffect } from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { PlotClass } from '@hydra/inference-server/api';
import { viewerTestIds } from './testIds';

interface Props {
  classes: PlotClass[];
  /** What the palette is for, e.g. "Override (role labeler)". */
  caption: string;
  /** No image to label. */
  disabled: boolean;
  onPick: (className: string) => void;
}

/** A button per class in its colour; digits pick a class too (1 is the first), anywhere but in a text field. */
export function OverridePalette({ classes, caption, disabled, onPick }: Props) {
  const styles = useStyles2(getStyles);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const index = Number(event.key) - 1;
      if (
        Number.isInteger(index) &&
        index >= 0 &&
        index < classes.length &&
        !(event.target instanceof HTMLInputElement)
      ) {
        onPick(classes[index]!.name);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [classes, onPick]);

  return (
    <div className={styles.palette}>
      <span>{caption}</span>
      {classes.map((c, i) => (
        <Button
          key={c.name}
          size="sm"
          variant="secondary"
          data-testid={viewerTestIds.override(c.name)}
          disabled={disabled}
          style={{ borderLeft: `4px solid ${c.colour}` }}
          onClick={() => onPick(c.name)}
        >
          {i + 1} {c.name}
        </Button>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  palette: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(0.5) }),
});
