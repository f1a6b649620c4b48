import type { GrafanaTheme2 } from '@grafana/data';
import type { RunCell } from '@hydra/plugin-kit/client';

export type Severity = NonNullable<RunCell['worstSeverity']>;

/**
 * The theme's colours of a class severity (ok, warn, alarm; null: no verdict yet): a translucent fill, a border and
 * the text, so a cell reads the same in light and dark.
 */
export function severityColours(theme: GrafanaTheme2, severity: Severity | null) {
  const palette = {
    ok: theme.colors.success,
    warn: theme.colors.warning,
    alarm: theme.colors.error,
  } as const;
  if (severity === null) {
    return { fill: 'transparent', border: theme.colors.border.medium, text: theme.colors.text.secondary };
  }
  const colour = palette[severity];
  return { fill: colour.transparent, border: colour.border, text: colour.text };
}
