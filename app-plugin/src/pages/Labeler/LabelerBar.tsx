import React, { memo } from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import { LabeledSwitch } from '../../components/LabeledSwitch/LabeledSwitch';
import { PlotTypePicker, type PlotTypePickerProps } from '../../components/PlotTypePicker/PlotTypePicker';
import { testIds } from '../../testIds';

interface Props extends Omit<PlotTypePickerProps, 'testIds'> {
  editorMode: boolean;
  onEditorMode: () => void;
  hoverPreview: boolean;
  onHoverPreview: () => void;
  clustersMode: boolean;
  onClustersMode: () => void;
  /** The server's count of the queue, once it came. */
  total?: number;
}

/**
 * The Labeler's first line: deployment, plot type, editor mode, preview on hover, clusters mode, and the count. Memoized: the queue's
 * chunks arriving as the grid scrolls do not render it again.
 */
export const LabelerBar = memo(function LabelerBar(props: Props) {
  const styles = useStyles2(getStyles);
  const { total } = props;
  return (
    <div className={styles.bar}>
      <PlotTypePicker
        deployments={props.deployments}
        plotTypes={props.plotTypes}
        deployment={props.deployment}
        plotTypeId={props.plotTypeId}
        onPlotType={props.onPlotType}
        testIds={testIds.labeler}
      />
      {[
        {
          label: 'Editor mode',
          tooltip: 'Every image of a run range in run order with its label, to relabel',
          testId: testIds.labeler.editorMode,
          value: props.editorMode,
          onChange: props.onEditorMode,
        },
        {
          label: 'Preview on hover',
          tooltip: 'Or press space over an image',
          testId: testIds.labeler.hoverPreview,
          value: props.hoverPreview,
          onChange: props.onHoverPreview,
        },
        {
          label: 'Clusters',
          tooltip: 'The unlabeled images in clusters of look-alikes, each labeled at once',
          testId: testIds.labeler.clustersMode,
          value: props.clustersMode,
          onChange: props.onClustersMode,
        },
      ].map((toggle) => (
        <LabeledSwitch key={toggle.label} {...toggle} />
      ))}
      {total !== undefined && !props.clustersMode && (
        <span data-testid={testIds.labeler.total} className={styles.total}>
          {total} image{total === 1 ? '' : 's'} match
        </span>
      )}
    </div>
  );
});

const getStyles = (theme: GrafanaTheme2) => ({
  bar: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(0.5, 1) }),
  total: css({ color: theme.colors.text.secondary, marginLeft: 'auto' }),
});
