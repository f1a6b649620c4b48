import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLocation } from 'react-router';
import type { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, Collapse, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import { useApp } from '../../components/App/AppContext';
import { ActingAs } from '../../components/ActingAs/ActingAs';
import { RightsNotice } from '../../components/RightsNotice/RightsNotice';
import { queryParam, useCatalog } from '../../hooks/useCatalog';
import { testIds } from '../../testIds';
import { ClustersView } from './ClustersView';
import { LabelerActions } from './LabelerActions';
import { LabelerBar } from './LabelerBar';
import { Leaderboard } from './Leaderboard';
import { Preview } from './Preview';
import { DEFAULT_FILTERS, QueueFilters, toQuery, type FilterState } from './QueueFilters';
import { clickSelection, NO_SELECTION, selectRange } from './selection';
import { ThumbnailGrid } from './ThumbnailGrid';
import { useApplyHistory } from './useApplyHistory';
import { useLabelerKeys } from './useLabelerKeys';
import { useQueue } from './useQueue';

/**
 * The Labeler: a plot type's images as a virtualized grid in the server's order (newest, by run, or an active-learning
 * score), selected with click and shift-click, labelled with the palette (1–9), written with Apply, undone on the
 * server. `?imageId=&plotType=` (the panel's "open in the labeler") opens that image's preview.
 */
export function LabelerPage() {
  const styles = useStyles2(getStyles);
  const { client, can, me } = useApp();
  const location = useLocation();
  const catalog = useCatalog(client);
  const [plotTypeId, setPlotTypeId] = useState<number>();
  const [filters, setFilters] = useState<FilterState>(DEFAULT_FILTERS);
  const [editorMode, setEditorMode] = useState(false);
  const [hoverPreview, setHoverPreview] = useState(false);
  const [clustersMode, setClustersMode] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);
  const [selection, setSelection] = useState(NO_SELECTION);
  const [pending, setPending] = useState<ReadonlyMap<number, string>>(new Map());
  const [previewId, setPreviewId] = useState<number | undefined>(() => {
    const linked = Number(queryParam(location.search, 'imageId'));
    return Number.isInteger(linked) && linked > 0 ? linked : undefined;
  });
  const [leaderboardOpen, setLeaderboardOpen] = useState(false);
  const visible = useRef<[number, number]>([0, 0]);
  const hovered = useRef<number>(undefined);
  const hoverTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  // The linked plot type, else the first one.
  useEffect(() => {
    if (plotTypeId === undefined && catalog.plotTypes?.length) {
      const linked = catalog.plotTypes.find((p) => p.name === queryParam(location.search, 'plotType'));
      setPlotTypeId((linked ?? catalog.plotTypes[0]!).id);
    }
  }, [catalog.plotTypes, location.search, plotTypeId]);

  const plotType = catalog.plotTypes?.find((p) => p.id === plotTypeId);
  const deployment = plotType?.deployment;
  const classes = useMemo(() => plotType?.classes ?? [], [plotType]);
  const query = useMemo(() => (plotType ? toQuery(plotType.id, filters) : undefined), [plotType, filters]);
  const reload = useCallback(() => setReloadKey((key) => key + 1), []);
  const queue = useQueue(client, query, filters.sort, reloadKey);
  const applies = useApplyHistory(client, me?.name, reload);
  const { ensure, items } = queue;
  // The cells' handlers read the items through a ref, so a chunk's arrival does not re-render every cell on screen.
  const itemsRef = useRef(items);
  itemsRef.current = items;

  useEffect(() => {
    setSelection(NO_SELECTION);
    setPending(new Map());
  }, [query, filters.sort]);

  const onRangeChange = useCallback(
    (rendered: [number, number], onScreen: [number, number]) => {
      visible.current = onScreen;
      ensure(...rendered);
    },
    [ensure]
  );
  const onClick = useCallback(
    (index: number, shift: boolean) =>
      setSelection((current) => clickSelection(current, itemsRef.current, index, shift)),
    []
  );
  const onHover = useCallback(
    (index: number | undefined) => {
      hovered.current = index;
      clearTimeout(hoverTimer.current);
      const item = index === undefined ? undefined : itemsRef.current[index];
      if (hoverPreview && item) {
        hoverTimer.current = setTimeout(() => setPreviewId(item.imageId), 300);
      }
    },
    [hoverPreview]
  );
  const assign = useCallback(
    (className: string) => {
      if (!selection.ids.size) {
        return;
      }
      setPending((previous) => {
        const next = new Map(previous);
        selection.ids.forEach((id) => next.set(id, className));
        return next;
      });
      setSelection(NO_SELECTION);
    },
    [selection]
  );
  // Stable callbacks: the bar and the actions are memoized, so a chunk of the queue arriving renders the grid alone.
  const { apply: applyLabels, applyToFilter: labelAllMatching } = applies;
  const apply = useCallback(async () => {
    if (await applyLabels(pending)) {
      setPending(new Map());
    }
  }, [applyLabels, pending]);
  const applyToFilter = useCallback(
    (className: string) => query && labelAllMatching(query, className, queue.total ?? 0),
    [labelAllMatching, query, queue.total]
  );
  const selectVisible = useCallback(
    () => setSelection((current) => selectRange(current, itemsRef.current, ...visible.current)),
    []
  );
  const clear = useCallback(() => {
    setSelection(NO_SELECTION);
    setPending(new Map());
  }, []);
  const toggleEditorMode = useCallback(() => {
    setEditorMode((on) => !on);
    if (!editorMode) {
      setFilters((current) => ({ ...current, filter: 'all', sort: 'run' }));
    }
  }, [editorMode]);
  const toggleHoverPreview = useCallback(() => setHoverPreview((on) => !on), []);
  const toggleClustersMode = useCallback(() => setClustersMode((on) => !on), []);
  const labelCluster = useCallback(
    (imageIds: number[], className: string) => void applyLabels(new Map(imageIds.map((id) => [id, className]))),
    [applyLabels]
  );

  useLabelerKeys({
    onUndo: applies.undo,
    onRedo: applies.redo,
    onSpace: () => {
      const item = hovered.current === undefined ? undefined : items[hovered.current];
      setPreviewId((open) => (open !== undefined && (!item || open === item.imageId) ? undefined : item?.imageId));
    },
    onEscape: () => (previewId !== undefined ? setPreviewId(undefined) : setSelection(NO_SELECTION)),
  });

  const previewItem = items.find((item) => item?.imageId === previewId);
  const mayLabel = can('label');

  let body: React.ReactNode;
  if (catalog.error) {
    body = <Alert title="Cannot load the plot types">{catalog.error}</Alert>;
  } else if (!catalog.plotTypes) {
    body = <LoadingPlaceholder text="Loading deployments and plot types…" />;
  } else if (catalog.plotTypes.length === 0) {
    body = (
      <Alert severity="info" title="Nothing to label yet" data-testid={testIds.labeler.empty}>
        The inference server has no plot types. Register a deployment and its plot types (`hydra demo` makes a simulated
        one), then upload plots.
      </Alert>
    );
  } else if (!plotType) {
    body = <LoadingPlaceholder text="Loading deployments and plot types…" />;
  } else if (clustersMode) {
    body = (
      <ClustersView
        plotType={plotType}
        reloadKey={reloadKey}
        busy={applies.busy}
        canUndo={applies.canUndo}
        onUndo={applies.undo}
        onLabel={labelCluster}
      />
    );
  } else if (queue.error) {
    body = (
      <Alert title="Cannot load the images" data-testid={testIds.labeler.error}>
        {queue.error}
      </Alert>
    );
  } else if (queue.total === undefined) {
    body = <LoadingPlaceholder text={`Loading the images of ${plotType.name}…`} />;
  } else if (queue.total === 0) {
    body = (
      <Alert severity="info" title="No images" data-testid={testIds.labeler.empty}>
        {filters === DEFAULT_FILTERS
          ? `${plotType.name} has no images yet: they come with each plot the DAQ uploads.`
          : `No image of ${plotType.name} matches these filters. Widen them to see more.`}
      </Alert>
    );
  } else {
    body = (
      <div className={styles.content}>
        <div className={styles.grid}>
          <ThumbnailGrid
            apiUrl={client.apiUrl}
            items={items}
            total={queue.total}
            classes={classes}
            selected={selection.ids}
            pending={pending}
            showLabels={editorMode}
            onClick={onClick}
            onHover={onHover}
            onRangeChange={onRangeChange}
          />
        </div>
        {previewId !== undefined && (
          <Preview
            client={client}
            imageId={previewId}
            title={
              previewItem
                ? `${previewItem.plotType}, run ${previewItem.run ?? '–'}: ${previewItem.verdict ?? 'no verdict'}`
                : `${plotType.name}: the linked image`
            }
            noMapReason={previewItem && !previewItem.verdict ? 'No verdict to explain: no model judged it.' : undefined}
            classes={classes}
            version={reloadKey}
            onClose={() => setPreviewId(undefined)}
          />
        )}
      </div>
    );
  }

  return (
    <PluginPage>
      <div className={styles.page}>
        <RightsNotice right="label" actions="labelling, Apply and undo" />
        <ActingAs />
        <LabelerBar
          deployments={catalog.deployments}
          plotTypes={catalog.plotTypes}
          deployment={deployment}
          plotTypeId={plotTypeId}
          onPlotType={setPlotTypeId}
          editorMode={editorMode}
          onEditorMode={toggleEditorMode}
          hoverPreview={hoverPreview}
          onHoverPreview={toggleHoverPreview}
          clustersMode={clustersMode}
          onClustersMode={toggleClustersMode}
          total={queue.total}
        />
        {!clustersMode && <QueueFilters value={filters} classes={classes} onChange={setFilters} />}
        {editorMode && !clustersMode && !(filters.runFrom && filters.runTo) && (
          <span className={styles.hint}>Editor mode: give a run range to see all of its images with their labels.</span>
        )}
        {mayLabel && plotType && !clustersMode && (
          <LabelerActions
            classes={classes}
            selectedCount={selection.ids.size}
            pendingCount={pending.size}
            total={queue.total ?? 0}
            busy={applies.busy}
            canUndo={applies.canUndo}
            canRedo={applies.canRedo}
            onPick={assign}
            onSelectVisible={selectVisible}
            onClear={clear}
            onApply={apply}
            onApplyToFilter={applyToFilter}
            onUndo={applies.undo}
            onRedo={applies.redo}
          />
        )}
        {applies.status && (
          <span data-testid={testIds.labeler.status} className={applies.status.ok ? styles.hint : styles.error}>
            {applies.status.message}
          </span>
        )}
        {body}
        <Collapse label="Leaderboard" collapsible isOpen={leaderboardOpen} onToggle={setLeaderboardOpen}>
          {leaderboardOpen && (
            <Leaderboard client={client} deploymentId={catalog.deployments?.find((d) => d.name === deployment)?.id} />
          )}
        </Collapse>
      </div>
    </PluginPage>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  hint: css({ color: theme.colors.text.secondary }),
  error: css({ color: theme.colors.error.text }),
  content: css({ display: 'flex', gap: theme.spacing(1) }),
  grid: css({ flex: 1, minWidth: 0 }),
});
