import React, { useEffect, useState } from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Alert, RadioButtonGroup, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import { describeError, type HydraAppClient, type Leaderboard as Board } from '@hydra/plugin-kit/client';
import { testIds } from '../../testIds';

const PERIODS = [
  { label: 'Last 24 h', value: 24 },
  { label: 'Last 7 days', value: 24 * 7 },
  { label: 'Last 30 days', value: 24 * 30 },
];

/** Labels per person over a period, and labels per hour as bars. */
export function Leaderboard({ client, deploymentId }: { client: HydraAppClient; deploymentId?: number }) {
  const styles = useStyles2(getStyles);
  const [hours, setHours] = useState(24 * 7);
  const [board, setBoard] = useState<{ key: string; board?: Board; error?: string }>();
  const key = `${hours}/${deploymentId}`;

  useEffect(() => {
    const to = new Date();
    const from = new Date(to.getTime() - hours * 3600_000);
    let stale = false;
    client.leaderboard(from.toISOString(), to.toISOString(), deploymentId).then(
      (result) => !stale && setBoard({ key, board: result }),
      (error) => !stale && setBoard({ key, error: describeError(error) })
    );
    return () => {
      stale = true;
    };
  }, [client, hours, deploymentId, key]);
  const current = board?.key === key ? board : undefined;
  const peak = Math.max(1, ...(current?.board?.perHour.map((h) => h.labels) ?? []));

  return (
    <section data-testid={testIds.labeler.leaderboard} className={styles.section}>
      <RadioButtonGroup options={PERIODS} value={hours} onChange={setHours} size="sm" />
      {!current && <span>Loading the leaderboard…</span>}
      {current?.error && <Alert title="No leaderboard">{current.error}</Alert>}
      {current?.board && current.board.people.length === 0 && <span>Nobody labelled anything in this period.</span>}
      {current?.board && current.board.people.length > 0 && (
        <div className={styles.columns}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th>Who</th>
                <th>Labels</th>
              </tr>
            </thead>
            <tbody>
              {current.board.people.map((person) => (
                <tr key={person.user}>
                  <td>{person.user}</td>
                  <td>{person.labels}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className={styles.bars} aria-label="Labels per hour">
            {current.board.perHour.map((hour) => (
              <div
                key={hour.hour}
                className={styles.bar}
                style={{ height: `${(100 * hour.labels) / peak}%` }}
                title={`${dateTimeFormat(hour.hour)}: ${hour.labels} labels`}
              />
            ))}
          </div>
        </div>
      )}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  columns: css({ display: 'flex', gap: theme.spacing(3), alignItems: 'flex-end' }),
  table: css({ 'th, td': { padding: theme.spacing(0.25, 1), textAlign: 'left' } }),
  bars: css({ display: 'flex', alignItems: 'flex-end', gap: 2, height: 120, flex: 1 }),
  bar: css({ flex: '1 1 4px', maxWidth: 16, minHeight: 1, background: theme.colors.primary.main }),
});
