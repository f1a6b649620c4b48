import React, { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { css, cx } from '@emotion/css';
import type { PlotClass } from '@hydra/inference-server/api';
import { imageUrl, type QueueItem } from '@hydra/plugin-kit/client';
import { testIds } from '../../testIds';

export const CELL_WIDTH = 168;
export const CELL_HEIGHT = 176;
/** A cell's inside (its margin, border and padding off): the thumbnail is made that wide, so none is scaled down. */
const THUMBNAIL_WIDTH = CELL_WIDTH - 18;

interface Props {
  apiUrl: string;
  items: ReadonlyArray<QueueItem | undefined>;
  total: number;
  classes: PlotClass[];
  selected: ReadonlySet<number>;
  pending: ReadonlyMap<number, string>;
  /** Editor mode: the current label is what each cell shows first. */
  showLabels: boolean;
  onClick: (index: number, shift: boolean) => void;
  onHover: (index: number | undefined) => void;
  /** The images rendered (with a few rows off screen) and those on screen changed: [start, end) each. */
  onRangeChange: (rendered: [number, number], onScreen: [number, number]) => void;
}

/**
 * The queue as rows of thumbnails; only the rows on screen (and a few more) are in the DOM. A row's element is
 * recycled: its key is its slot among the rendered rows, so the row scrolled out becomes the row scrolled in, and
 * its cells are updated in place instead of removed and made anew (which cost most of a scroll frame).
 */
export function ThumbnailGrid({ items, total, classes, onRangeChange, ...shared }: Props) {
  const styles = useStyles2(getStyles);
  const scroller = useRef<HTMLDivElement>(null);
  const [columns, setColumns] = useState(1);

  useLayoutEffect(() => {
    const element = scroller.current!;
    const measure = () => setColumns(Math.max(1, Math.floor(element.clientWidth / CELL_WIDTH)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const rows = Math.ceil(total / columns);
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scroller.current,
    estimateSize: () => CELL_HEIGHT,
    overscan: 2,
    // jsdom lays nothing out: start with a screenful so the first rows render there too.
    initialRect: { width: CELL_WIDTH * 6, height: CELL_HEIGHT * 4 },
  });
  const virtualRows = virtualizer.getVirtualItems();
  const first = virtualRows[0]?.index ?? 0;
  const last = virtualRows[virtualRows.length - 1]?.index ?? -1;
  const firstVisible = virtualizer.range?.startIndex ?? first;
  const lastVisible = virtualizer.range?.endIndex ?? last;

  useEffect(() => {
    const images = (from: number, to: number): [number, number] => [
      from * columns,
      Math.min(total, (to + 1) * columns),
    ];
    onRangeChange(images(first, last), images(firstVisible, lastVisible));
  }, [first, last, firstVisible, lastVisible, columns, total, onRangeChange]);

  const colours = useMemo(() => new Map(classes.map((c) => [c.name, c.colour])), [classes]);
  return (
    <div ref={scroller} className={styles.scroller} data-testid={testIds.labeler.grid} data-columns={columns}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualRows.map((row) => (
          <Row
            key={row.index % virtualRows.length}
            {...shared}
            row={row.index}
            top={row.start}
            columns={columns}
            total={total}
            items={items}
            styles={styles}
            colours={colours}
          />
        ))}
      </div>
    </div>
  );
}

type RowProps = Omit<Props, 'classes' | 'onRangeChange'> & {
  row: number;
  top: number;
  columns: number;
  /** The grid's classes, made once for all rows. */
  styles: ReturnType<typeof getStyles>;
  colours: Map<string, string>;
};

/** One row of cells. Memoized: a scroll frame renders only the row that scrolled in, not every row on screen. */
const Row = memo(function Row({ row, top, columns, total, items, styles, selected, pending, ...cell }: RowProps) {
  return (
    <div className={styles.row} style={{ transform: `translateY(${top}px)`, height: CELL_HEIGHT }}>
      {Array.from({ length: Math.max(0, Math.min(columns, total - row * columns)) }, (_, column) => {
        const index = row * columns + column;
        const item = items[index];
        return item ? (
          <Cell
            key={column}
            apiUrl={cell.apiUrl}
            styles={styles}
            index={index}
            item={item}
            colours={cell.colours}
            isSelected={selected.has(item.imageId)}
            pendingClass={pending.get(item.imageId)}
            showLabel={cell.showLabels}
            onClick={cell.onClick}
            onHover={cell.onHover}
          />
        ) : (
          <div key={column} className={styles.placeholder} />
        );
      })}
    </div>
  );
});

interface CellProps {
  apiUrl: string;
  /** The grid's classes, made once for all cells. */
  styles: ReturnType<typeof getStyles>;
  index: number;
  item: QueueItem;
  colours: Map<string, string>;
  isSelected: boolean;
  pendingClass?: string;
  showLabel: boolean;
  onClick: (index: number, shift: boolean) => void;
  onHover: (index: number | undefined) => void;
}

/** One thumbnail: its border is the pending class's colour, else its label's; the caption says label and verdict. */
const Cell = memo(function Cell({
  apiUrl,
  styles,
  index,
  item,
  colours,
  isSelected,
  pendingClass,
  showLabel,
  onClick,
  onHover,
}: CellProps) {
  const shownClass = pendingClass ?? item.label?.class;
  const verdict = item.verdict
    ? `${item.verdict} ${item.confidence === null ? '' : `${Math.round(item.confidence * 100)}%`}`
    : 'no verdict';
  const label = item.label ? `labelled ${item.label.class}` : 'unlabelled';
  return (
    <button
      type="button"
      data-testid={testIds.labeler.cell(item.imageId)}
      data-index={index}
      data-selected={isSelected || undefined}
      data-pending={pendingClass}
      className={isSelected ? styles.selectedCell : styles.cell}
      style={{ borderColor: shownClass ? colours.get(shownClass) : undefined }}
      title={`${item.plotType}, run ${item.run ?? '–'}: ${verdict}, ${label}`}
      onClick={(event) => onClick(index, event.shiftKey)}
      onMouseEnter={() => onHover(index)}
      onMouseLeave={() => onHover(undefined)}
    >
      {/* Keyed by image: a recycled cell never shows the thumbnail of the image it held before. */}
      <img
        key={item.imageId}
        src={imageUrl(apiUrl, item.imageId, 'thumbnail', { width: THUMBNAIL_WIDTH })}
        srcSet={`${imageUrl(apiUrl, item.imageId, 'thumbnail', { width: 2 * THUMBNAIL_WIDTH })} 2x`}
        alt={`${item.plotType} run ${item.run ?? ''}`}
        decoding="async"
        className={styles.thumbnail}
      />
      <span className={styles.caption}>
        {showLabel ? (
          <strong>{pendingClass ? `→ ${pendingClass}` : (item.label?.class ?? 'unlabelled')}</strong>
        ) : (
          <span>{pendingClass ? `→ ${pendingClass}` : verdict}</span>
        )}
        <span>run {item.run ?? '–'}</span>
      </span>
    </button>
  );
});

const getStyles = (theme: GrafanaTheme2) => {
  const cell = css({
    width: CELL_WIDTH - 8,
    height: CELL_HEIGHT - 8,
    margin: 4,
    padding: 2,
    display: 'flex',
    flexDirection: 'column',
    background: theme.colors.background.secondary,
    color: theme.colors.text.primary,
    border: `3px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    cursor: 'pointer',
    contain: 'strict',
  });
  return {
    scroller: css({
      height: 'calc(100vh - 330px)',
      minHeight: 360,
      overflowY: 'auto',
      contain: 'strict',
      border: `1px solid ${theme.colors.border.weak}`,
      borderRadius: theme.shape.radius.default,
    }),
    // A row's size is its own: what changes inside it lays out and paints nothing outside.
    row: css({ position: 'absolute', top: 0, left: 0, width: '100%', display: 'flex', contain: 'strict' }),
    cell,
    // Made once, not merged per render: a recycled cell renders every time its row comes back.
    selectedCell: cx(cell, css({ outline: `3px solid ${theme.colors.primary.main}`, outlineOffset: -1 })),
    thumbnail: css({ width: '100%', height: 124, objectFit: 'contain', background: theme.colors.background.canvas }),
    caption: css({
      display: 'flex',
      justifyContent: 'space-between',
      gap: theme.spacing(0.5),
      fontSize: theme.typography.bodySmall.fontSize,
      padding: theme.spacing(0.25, 0.5),
      whiteSpace: 'nowrap',
      overflow: 'hidden',
    }),
    placeholder: css({
      width: CELL_WIDTH - 8,
      height: CELL_HEIGHT - 8,
      margin: 4,
      background: theme.colors.background.secondary,
      opacity: 0.4,
    }),
  };
};
