import React, { useEffect, useState } from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import { testIds } from '../../testIds';

interface Props {
  beam: string;
  run: number | null;
  lastUpdate: number | null;
  news: string;
}

/** Seconds since `time`, ticking: only this small component re-renders every second. */
function Ago({ time }: { time: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return <>{Math.max(0, Math.round((now - time) / 1000))} s ago</>;
}

/** Beam status, run number, last update and the news line. */
export function Header({ beam, run, lastUpdate, news }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.header}>
      <span data-testid={testIds.header.beam}>
        Beam: <strong>{beam}</strong>
      </span>
      <span data-testid={testIds.header.run}>
        Run: <strong>{run ?? '–'}</strong>
      </span>
      <span data-testid={testIds.header.updated}>
        Last update:{' '}
        {lastUpdate === null ? (
          '–'
        ) : (
          <strong>
            {new Date(lastUpdate).toLocaleTimeString()} (<Ago time={lastUpdate} />)
          </strong>
        )}
      </span>
      {news && (
        <span className={styles.news} data-testid={testIds.header.news}>
          {news}
        </span>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  header: css({
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    gap: theme.spacing(2),
    padding: theme.spacing(0.5, 0),
  }),
  news: css({ color: theme.colors.warning.text, marginLeft: 'auto' }),
});
