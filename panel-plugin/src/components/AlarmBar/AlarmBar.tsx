import React from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { AlarmState } from '../../alarm/useAlarm';
import { testIds } from '../../testIds';

/** Sound controls, and the banner of unacknowledged alarms. */
export function AlarmBar({ alarm }: { alarm: AlarmState }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.bar}>
      {alarm.soundLocked && (
        <Button
          size="sm"
          variant="secondary"
          icon="bell"
          data-testid={testIds.alarm.enableSound}
          onClick={alarm.enableSound}
        >
          Click to enable sound
        </Button>
      )}
      <Button
        size="sm"
        variant="secondary"
        fill="text"
        icon={alarm.muted ? 'bell-slash' : 'bell'}
        data-testid={testIds.alarm.mute}
        aria-pressed={alarm.muted}
        onClick={alarm.toggleMute}
      >
        {alarm.muted ? 'Muted' : 'Mute'}
      </Button>
      {alarm.active.length > 0 && (
        <div className={styles.banner} data-testid={testIds.alarm.banner} role="alert">
          <strong>{alarm.active.map((a) => `${a.title}: ${a.verdict}`).join(', ')}</strong>
          <Button size="sm" variant="destructive" data-testid={testIds.alarm.acknowledge} onClick={alarm.acknowledge}>
            Acknowledge
          </Button>
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  bar: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(1) }),
  banner: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0.5, 1),
    background: theme.colors.error.transparent,
    border: `1px solid ${theme.colors.error.border}`,
    borderRadius: theme.shape.radius.default,
  }),
});
