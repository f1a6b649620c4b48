import React from 'react';
import { colorManipulator, type GrafanaTheme2 } from '@grafana/data';
import { Tooltip, useStyles2, useTheme2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { ImagesPerDay } from '@hydra/plugin-kit/client';
import { testIds } from '../../testIds';

const CELL = 12;
const GAP = 2;
const WEEKDAYS = ['Mon', '', 'Wed', '', 'Fri', '', ''];
const MONTH = new Intl.DateTimeFormat('en', { month: 'short', timeZone: 'UTC' });

/** Monday 0 … Sunday 6, of a UTC date YYYY-MM-DD. */
const weekday = (day: string) => (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;

/** Five steps from none to the busiest day, as GitHub's calendar shades them. */
const level = (images: number, max: number) => (images === 0 ? 0 : Math.min(4, Math.ceil((4 * images) / max)));

/** Images per UTC day as a calendar heat map: a column per week (Monday on top), oldest on the left. */
export function ImagesCalendar({ days }: { days: ImagesPerDay['days'] }) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const max = Math.max(1, ...days.map((d) => d.images));
  const base = theme.visualization.getColorByName('green');
  const shades = [theme.colors.background.canvas, ...[0.25, 0.5, 0.75, 1].map((a) => colorManipulator.alpha(base, a))];
  const offset = days.length ? weekday(days[0]!.day) : 0;
  const weeks = Math.ceil((offset + days.length) / 7);
  const total = days.reduce((sum, d) => sum + d.images, 0);
  return (
    <div className={styles.calendar}>
      <div className={styles.months} style={{ marginLeft: 32 }}>
        {Array.from({ length: weeks }, (_, week) => {
          const inWeek = days.slice(Math.max(0, week * 7 - offset), week * 7 - offset + 7);
          const first = inWeek.find((d) => d.day.endsWith('-01'));
          return (
            <span key={week} style={{ width: CELL + GAP }}>
              {first ? MONTH.format(new Date(`${first.day}T00:00:00Z`)) : ''}
            </span>
          );
        })}
      </div>
      <div className={styles.body}>
        <div className={styles.weekdays}>
          {WEEKDAYS.map((name, i) => (
            <span key={i}>{name}</span>
          ))}
        </div>
        <div
          className={styles.grid}
          data-testid={testIds.status.calendar}
          role="img"
          aria-label={`${total} images over the last ${days.length} days`}
          style={{ gridTemplateRows: `repeat(7, ${CELL}px)`, gridAutoColumns: `${CELL}px` }}
        >
          {days.map((d, i) => (
            <Tooltip key={d.day} content={`${d.images} image${d.images === 1 ? '' : 's'} on ${d.day}`}>
              <span
                className={styles.day}
                data-testid={testIds.status.day(d.day)}
                data-images={d.images}
                style={{
                  gridRow: ((offset + i) % 7) + 1,
                  gridColumn: Math.floor((offset + i) / 7) + 1,
                  background: shades[level(d.images, max)],
                }}
              />
            </Tooltip>
          ))}
        </div>
      </div>
      <div className={styles.legend}>
        Less
        {shades.map((shade) => (
          <span key={shade} className={styles.day} style={{ background: shade }} />
        ))}
        More (busiest day {max === 1 && total === 0 ? 0 : max} images)
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  calendar: css({ display: 'inline-flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
  months: css({
    display: 'flex',
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    whiteSpace: 'nowrap',
    '& > span': { flexShrink: 0, overflow: 'visible' },
  }),
  body: css({ display: 'flex', gap: theme.spacing(0.5) }),
  weekdays: css({
    display: 'grid',
    gridTemplateRows: `repeat(7, ${CELL}px)`,
    gap: GAP,
    width: 28,
    fontSize: 10,
    lineHeight: `${CELL}px`,
    color: theme.colors.text.secondary,
  }),
  grid: css({ display: 'grid', gridAutoFlow: 'column', gap: GAP }),
  day: css({
    display: 'inline-block',
    width: CELL,
    height: CELL,
    borderRadius: 2,
    outline: `1px solid ${theme.colors.border.weak}`,
    outlineOffset: -1,
  }),
  legend: css({
    display: 'flex',
    alignItems: 'center',
    gap: GAP * 2,
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
  }),
});
