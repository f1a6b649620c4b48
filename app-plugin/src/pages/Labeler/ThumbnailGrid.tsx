import React, { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer, type Range } from '@tanstack/react-virtual';
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
const THUMBNAIL_HEIGHT = 124;
/** Rows rendered beyond the screen, each side. */
const OVERSCAN = 2;

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
 * The queue as rows of thumbnails; only the rows on screen (and a few more, always as many) are in the DOM. A row's
 * element is recycled: its key is its slot among the rendered rows, so the row scrolled out becomes the row scrolled
 * in, and its cells are updated in place instead of removed and made anew (which cost most of a scroll frame).
 */
export function ThumbnailGrid({ items, total, classes, onRangeChange, ...shared }: Props) {
  const styles = useStyles2(getStyles);
  const scroller = useRef<HTMLDivElement>(null);
  const [columns, setColumns] = useState(1);
  // The rows rendered, always as many: a screen cuts into one row more than it holds, and the overscan each side.
  const [slots, setSlots] = useState(0);

  useLayoutEffect(() => {
    const element = scroller.current!;
    const measure = () => {
      setColumns(Math.max(1, Math.floor(element.clientWidth / CELL_WIDTH)));
      setSlots(Math.ceil(element.clientHeight / CELL_HEIGHT) + 1 + 2 * OVERSCAN);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // A fixed number of consecutive rows, so that each keeps its slot (key) while on screen: with the library's range,
  // which holds one row more or less as the screen's edges cut rows, every slot changed rows every other frame.
  const rangeExtractor = useCallback(
    ({ startIndex, endIndex, overscan, count }: Range) => {
      const length = Math.min(count, Math.max(slots, endIndex - startIndex + 1 + 2 * overscan));
      const start = Math.max(0, Math.min(startIndex - overscan, count - length));
      return Array.from({ length }, (_, i) => start + i);
    },
    [slots]
  );
  const rows = Math.ceil(total / columns);
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scroller.current,
    estimateSize: () => CELL_HEIGHT,
    overscan: OVERSCAN,
    rangeExtractor,
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
      <span className={showLabel ? styles.strongCaption : styles.caption}>
        {pendingClass ? `→ ${pendingClass}` : showLabel ? (item.label?.class ?? 'unlabelled') : verdict}
      </span>
      <span className={styles.caption}>run {item.run ?? '–'}</span>
    </button>
  );
});

const getStyles = (theme: GrafanaTheme2) => {
  // A cell is a grid: the thumbnail across, then the caption's two ends; no element wraps the caption. It has no
  // containment of its own (its row's holds it): each cell's paint containment was a clip to layerize and raster.
  const cell = css({
    width: CELL_WIDTH - 8,
    height: CELL_HEIGHT - 8,
    margin: 4,
    padding: 2,
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) auto',
    gridTemplateRows: `${THUMBNAIL_HEIGHT}px auto`,
    alignContent: 'start',
    columnGap: theme.spacing(0.5),
    background: theme.colors.background.secondary,
    color: theme.colors.text.primary,
    fontSize: theme.typography.bodySmall.fontSize,
    border: `3px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    cursor: 'pointer',
  });
  const caption = css({
    padding: theme.spacing(0.25, 0.5),
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textAlign: 'left',
  });
  return {
    scroller: css({
      height: 'calc(100vh - 330px)',
      minHeight: 360,
      overflowY: 'auto',
      contain: 'strict',
      // Scrolled by the compositor: a see-through scroller on a screen of device pixel ratio 1 is scrolled by painting,
      // and Chromium rasterized every tile on screen again in each frame (3 times the raster work). Opaque, its tiles
      // also hide what lies under them, which the compositor then does not draw.
      willChange: 'scroll-position',
      background: theme.colors.background.canvas,
      border: `1px solid ${theme.colors.border.weak}`,
      borderRadius: theme.shape.radius.default,
    }),
    // A row's size is its own: what changes inside it lays out and paints nothing outside.
    row: css({ position: 'absolute', top: 0, left: 0, width: '100%', display: 'flex', contain: 'strict' }),
    cell,
    // Made once, not merged per render: a recycled cell renders every time its row comes back.
    selectedCell: cx(cell, css({ outline: `3px solid ${theme.colors.primary.main}`, outlineOffset: -1 })),
    thumbnail: css({
      gridColumn: '1 / -1',
      width: '100%',
      height: THUMBNAIL_HEIGHT,
      objectFit: 'contain',
      background: theme.colors.background.canvas,
    }),
    caption,
    strongCaption: cx(caption, css({ fontWeight: theme.typography.fontWeightBold })),
    placeholder: css({
      width: CELL_WIDTH - 8,
      height: CELL_HEIGHT - 8,
      margin: 4,
      background: theme.colors.background.secondary,
      opacity: 0.4,
    }),
  };
};
