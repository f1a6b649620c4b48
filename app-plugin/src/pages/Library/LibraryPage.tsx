import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import type { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, Button, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { ModelVersion } from '@hydra/inference-server/api';
import { useApp } from '../../components/App/AppContext';
import { ActingAs } from '../../components/ActingAs/ActingAs';
import { PlotTypePicker } from '../../components/PlotTypePicker/PlotTypePicker';
import { RightsNotice } from '../../components/RightsNotice/RightsNotice';
import { useCatalog } from '../../hooks/useCatalog';
import { testIds } from '../../testIds';
import { ActivationHistory } from './ActivationHistory';
import { AgreementTrend } from './AgreementTrend';
import { VersionComparison, VersionEvaluation } from './evaluation';
import { PromoteModal } from './PromoteModal';
import { TrainForm } from './TrainForm';
import { TrainingProgress } from './TrainingProgress';
import { useLibrary } from './useLibrary';
import { usePromotion, type Status } from './usePromotion';
import { useTraining } from './useTraining';
import { useVersionKeys } from './useVersionKeys';
import { versionName, VersionsTable } from './VersionsTable';

/**
 * The model Library of one plot type (`?deployment=&plotType=&version=` in the URL): its versions with the active
 * one starred, promotion through the gate, rollback, retirement, training new versions with live progress, the
 * activation history, agreement with human labels, and a version's evaluation or two versions compared.
 */
export function LibraryPage() {
  const styles = useStyles2(getStyles);
  const { client, can } = useApp();
  const location = useLocation();
  const navigate = useNavigate();
  const catalog = useCatalog(client);
  const search = useMemo(() => new URLSearchParams(location.search), [location.search]);
  const plotType =
    catalog.plotTypes?.find(
      (p) =>
        p.name === search.get('plotType') && (!search.get('deployment') || p.deployment === search.get('deployment'))
    ) ?? catalog.plotTypes?.[0];
  const library = useLibrary(client, plotType?.id);
  const { data, reload } = library;
  const [status, setStatus] = useState<Status>();
  const [picked, setPicked] = useState<number[]>([]);
  const [comparing, setComparing] = useState<[number, number]>();
  const [trainOpen, setTrainOpen] = useState(false);
  const mayChange = can('expert');

  const go = useCallback(
    (changes: Record<string, string | undefined>) => {
      const next = new URLSearchParams(location.search);
      Object.entries(changes).forEach(([key, value]) =>
        value === undefined ? next.delete(key) : next.set(key, value)
      );
      navigate({ search: `?${next}` }, { replace: true });
    },
    [location.search, navigate]
  );
  const pickPlotType = (id: number | undefined) => {
    const next = catalog.plotTypes?.find((p) => p.id === id);
    go({ deployment: next?.deployment, plotType: next?.name, version: undefined });
  };
  const select = useCallback(
    (versionId: number) => {
      setComparing(undefined);
      go({ version: String(versionId) });
    },
    [go]
  );

  useEffect(() => {
    setPicked([]);
    setComparing(undefined);
    setStatus(undefined);
  }, [plotType?.id]);

  const versions = useMemo(() => data?.versions ?? [], [data]);
  // The version in the URL, else the active one.
  const selected = Number(search.get('version')) || versions.find((v) => v.status === 'active')?.id;
  const name = useCallback(
    (version: Pick<ModelVersion, 'model' | 'version'>) => versionName(version, versions),
    [versions]
  );
  const nameOf = (versionId: number) => {
    const version = versions.find((v) => v.id === versionId);
    return version ? name(version) : `version ${versionId}`;
  };
  const changed = useCallback(
    (next: Status) => {
      setStatus(next);
      reload();
    },
    [reload]
  );
  const promotion = usePromotion(client, name, changed);
  useVersionKeys(versions, selected, select);

  const training = useTraining(client, plotType?.id, data?.jobs ?? [], (next, reloaded) =>
    reloaded ? changed(next) : setStatus(next)
  );
  const togglePick = (versionId: number) =>
    setPicked((current) =>
      current.includes(versionId) ? current.filter((id) => id !== versionId) : [...current, versionId].slice(-2)
    );

  let body: React.ReactNode;
  if (catalog.error || library.error) {
    body = (
      <Alert title="Cannot load the model library" data-testid={testIds.library.error}>
        {catalog.error ?? library.error}
      </Alert>
    );
  } else if (catalog.plotTypes?.length === 0) {
    body = (
      <Alert severity="info" title="No plot types" data-testid={testIds.library.empty}>
        The inference server has no plot types. Register a deployment and its plot types (`hydra demo` makes a simulated
        one); each gets its models here.
      </Alert>
    );
  } else if (!plotType || !data) {
    body = <LoadingPlaceholder text="Loading the model library…" />;
  } else if (versions.length === 0) {
    body = (
      <Alert
        severity="info"
        title={`No model for ${plotType.title || plotType.name} yet`}
        data-testid={testIds.library.empty}
      >
        Label its images in the Labeler, then{' '}
        {mayChange ? 'train a first version with “Train new version”' : 'an expert can train a first version here'}, or
        import one with `hydra model import`.
      </Alert>
    );
  } else {
    const previous = data.activations[0]?.fromVersionId ?? null;
    body = (
      <>
        <VersionsTable
          versions={versions}
          jobs={data.jobs}
          selected={selected}
          picked={picked}
          actions={
            mayChange
              ? { busy: promotion.busy, onPromote: promotion.promote, onStatus: promotion.setStatus }
              : undefined
          }
          onSelect={select}
          onPick={togglePick}
        />
        <div className={styles.bar}>
          <Button
            size="sm"
            variant="secondary"
            icon="columns"
            data-testid={testIds.library.compare}
            disabled={picked.length !== 2}
            tooltip={picked.length === 2 ? 'On the test images both were tested on' : 'Tick two versions to compare'}
            onClick={() => setComparing([picked[0]!, picked[1]!])}
          >
            Compare{' '}
            {picked.length === 2
              ? picked.map((id) => name(versions.find((v) => v.id === id)!)).join(' and ')
              : 'two versions'}
          </Button>
          <span className={styles.hint}>↑/↓: the next or previous version’s evaluation</span>
        </div>
        <div className={styles.columns}>
          <section>
            <div className={styles.bar}>
              <h4 className={styles.heading}>Activation history</h4>
              {mayChange && (
                <Button
                  size="sm"
                  variant="secondary"
                  icon="history-alt"
                  data-testid={testIds.library.rollback}
                  disabled={promotion.busy || previous === null}
                  tooltip={
                    previous === null
                      ? 'Nothing to roll back to: no version was active before the current one'
                      : 'Make the version that was active before the current one active again'
                  }
                  onClick={() => promotion.rollback(plotType.id)}
                >
                  Roll back
                </Button>
              )}
            </div>
            <ActivationHistory activations={data.activations} name={nameOf} />
          </section>
          <section>
            <h4 className={styles.heading}>Agreement with human labels</h4>
            <AgreementTrend items={data.agreement} name={nameOf} />
          </section>
        </div>
        {comparing ? (
          <section>
            <h4>
              {nameOf(comparing[0])} and {nameOf(comparing[1])} on the same test images
            </h4>
            <VersionComparison plotTypeId={plotType.id} a={comparing[0]} b={comparing[1]} />
          </section>
        ) : (
          selected !== undefined &&
          versions.some((v) => v.id === selected) && (
            <section>
              <h4>{nameOf(selected)} in detail</h4>
              <VersionEvaluation plotTypeId={plotType.id} versionId={selected} canEdit={mayChange} />
            </section>
          )
        )}
      </>
    );
  }

  const pendingVersion = promotion.pending?.version;
  return (
    <PluginPage>
      <div className={styles.page}>
        <RightsNotice right="expert" actions="training, promotion, rollback and retirement" />
        <ActingAs />
        <div className={styles.bar}>
          <PlotTypePicker
            deployments={catalog.deployments}
            plotTypes={catalog.plotTypes}
            deployment={plotType?.deployment}
            plotTypeId={plotType?.id}
            onPlotType={pickPlotType}
            testIds={testIds.library}
          />
          {mayChange && plotType && (
            <Button icon="plus" variant={trainOpen ? 'secondary' : 'primary'} onClick={() => setTrainOpen(!trainOpen)}>
              Train new version
            </Button>
          )}
        </div>
        {trainOpen && mayChange && (
          <TrainForm
            busy={training.starting}
            onTrain={async (request) => (await training.train(request)) && setTrainOpen(false)}
          />
        )}
        {training.watched.map((job) => (
          <TrainingProgress key={job.id} client={client} job={job} canCancel={mayChange} onEnded={training.ended} />
        ))}
        {status && (
          <span data-testid={testIds.library.status} className={status.ok ? styles.hint : styles.error}>
            {status.message}
          </span>
        )}
        {body}
        {promotion.pending && pendingVersion && (
          <PromoteModal
            name={name(pendingVersion)}
            gate={promotion.pending.gate}
            busy={promotion.busy}
            error={promotion.error}
            onConfirm={promotion.confirm}
            onDismiss={promotion.dismiss}
          />
        )}
      </div>
    </PluginPage>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  bar: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(0.5, 1) }),
  columns: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))',
    gap: theme.spacing(2),
    marginTop: theme.spacing(1),
  }),
  heading: css({ margin: 0 }),
  hint: css({ color: theme.colors.text.secondary }),
  error: css({ color: theme.colors.error.text }),
});
