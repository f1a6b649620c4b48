import React, { useMemo, useState } from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, LoadingPlaceholder, Slider, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { ModelVersion } from '@hydra/inference-server/api';
import { thresholdMetrics, type ThresholdMetrics } from '@hydra/inference-server/metrics';
import { describeError } from '@hydra/plugin-kit/client';
import { useApp } from '../../../components/App/AppContext';
import { metric, percent, versionName } from './format';
import { getEvaluationStyles } from './styles';
import { NoSplitPredictions } from './TestSplitCharts';
import { evaluationTestIds as ids } from './testIds';
import { labeledProbabilities, useSplitPredictions } from './useSplitPredictions';

type Thresholds = Record<string, number>;
const METRICS = ['precision', 'recall', 'f1', 'confirmedFraction'] as const;
const HEADINGS: Record<(typeof METRICS)[number], string> = {
  precision: 'Precision',
  recall: 'Recall',
  f1: 'F1',
  confirmedFraction: 'Confirmed',
};

interface ThresholdEditorProps {
  version: ModelVersion;
  canEdit: boolean;
  onSaved: (version: ModelVersion) => void;
}

/**
 * Per class, the probability a verdict needs to be confirmed. As a slider moves, precision, recall, F1 and the share
 * of confirmed verdicts on the validation split are recomputed here (the same functions as the server's); Save
 * stores the thresholds, which the server uses for every verdict from then on.
 */
export function ThresholdEditor({ version, canEdit, onSaved }: ThresholdEditorProps) {
  const styles = useStyles2(getStyles);
  const shared = useStyles2(getEvaluationStyles);
  const { client, me } = useApp();
  const saved = useMemo(() => withDefaults(version), [version]);
  const [draft, setDraft] = useState<Thresholds>(saved);
  const [status, setStatus] = useState<{ kind: 'success' | 'error'; text: string }>();
  const [saving, setSaving] = useState(false);
  const validation = useSplitPredictions(version.plotTypeId, version.id, 'validation');
  const changed = version.classes.some((name) => draft[name] !== saved[name]);

  const preview = useMemo(() => {
    if (!validation.data || validation.data.items.length === 0) {
      return undefined;
    }
    const { probabilities, labels } = labeledProbabilities(validation.data);
    const at = (thresholds: Thresholds) =>
      thresholdMetrics(probabilities, labels, validation.data!.classes, thresholds);
    return { draft: at(draft), saved: at(saved), images: probabilities.length };
  }, [validation.data, draft, saved]);

  const save = async () => {
    setSaving(true);
    try {
      const updated = await client.setThresholds(version.plotTypeId, version.id, draft);
      setStatus({
        kind: 'success',
        text: `Saved the thresholds of ${versionName(updated)}: ${listThresholds(updated)}.`,
      });
      onSaved(updated);
    } catch (error) {
      setStatus({ kind: 'error', text: `Thresholds not saved: ${describeError(error)}` });
    } finally {
      setSaving(false);
    }
  };

  const cell = (metrics: ThresholdMetrics | undefined, name: string, key: (typeof METRICS)[number]) => {
    const value = metrics?.perClass[name]?.[key];
    return value === undefined ? '–' : key === 'confirmedFraction' ? percent(value) : metric(value);
  };

  return (
    <div className={shared.section} data-testid={ids.thresholds}>
      {!canEdit && (
        <Alert severity="info" title="Read only: saving thresholds needs the expert role" data-testid={ids.readOnly}>
          Move the sliders to see what a threshold would do; saving is for experts.
          {me && ` The app reaches the server with the token “${me.token.name}”, whose role is ${me.role}.`}
        </Alert>
      )}
      {validation.error && <Alert title="Cannot load the validation split's predictions">{validation.error}</Alert>}
      {!validation.data && !validation.error && <LoadingPlaceholder text="Loading the validation split…" />}
      {validation.data?.items.length === 0 && <NoSplitPredictions split="validation" />}
      <table className={shared.table}>
        <thead>
          <tr>
            <th>Class</th>
            <th className={styles.sliderColumn}>Threshold</th>
            {preview && METRICS.map((key) => <th key={key}>{HEADINGS[key]}</th>)}
          </tr>
        </thead>
        <tbody>
          {version.classes.map((name) => (
            <tr key={name} data-testid={ids.threshold(name)}>
              <th scope="row">{name}</th>
              <td className={styles.sliderColumn}>
                <Slider
                  min={0}
                  max={1}
                  step={0.01}
                  // Shown to the slider's step; the saved value stays exact until the slider moves.
                  value={Math.round(draft[name]! * 100) / 100}
                  ariaLabelForHandle={`Threshold of ${name}`}
                  onChange={(value) => setDraft((previous) => ({ ...previous, [name]: value }))}
                />
              </td>
              {preview &&
                METRICS.map((key) => {
                  const now = cell(preview.draft, name, key);
                  const before = cell(preview.saved, name, key);
                  return (
                    <td key={key} data-testid={ids.thresholdMetric(name, key)}>
                      {now}
                      {now !== before && <span className={shared.secondary}> (saved: {before})</span>}
                    </td>
                  );
                })}
            </tr>
          ))}
        </tbody>
      </table>
      {preview && (
        <span data-testid={ids.confirmedFraction}>
          Confirmed verdicts on the validation split ({preview.images} images):{' '}
          {percent(preview.draft.confirmedFraction)}
          {changed && ` (saved thresholds: ${percent(preview.saved.confirmedFraction)})`}. Confirmed for a class is the
          share of the images predicted as it whose probability reaches its threshold.
        </span>
      )}
      <div className={styles.actions}>
        {canEdit && (
          <Button data-testid={ids.saveThresholds} disabled={!changed || saving} onClick={save}>
            {saving ? 'Saving…' : 'Save thresholds'}
          </Button>
        )}
        <Button
          variant="secondary"
          data-testid={ids.resetThresholds}
          disabled={!changed}
          onClick={() => {
            setDraft(saved);
            setStatus(undefined);
          }}
        >
          Reset
        </Button>
        {status && (
          <span
            data-testid={ids.thresholdsStatus}
            className={status.kind === 'error' ? styles.error : shared.secondary}
            role="status"
          >
            {status.text}
          </span>
        )}
      </div>
    </div>
  );
}

/** A class without a threshold confirms everything, as the server rules: its slider starts at 0. */
const withDefaults = (version: ModelVersion): Thresholds =>
  Object.fromEntries(version.classes.map((name) => [name, version.thresholds[name] ?? 0]));

const listThresholds = (version: ModelVersion) =>
  version.classes.map((name) => `${name} ${(version.thresholds[name] ?? 0).toFixed(2)}`).join(', ');

const getStyles = (theme: GrafanaTheme2) => ({
  sliderColumn: css({ minWidth: 280, textAlign: 'left !important' as 'left' }),
  actions: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1) }),
  error: css({ color: theme.colors.error.text }),
});
