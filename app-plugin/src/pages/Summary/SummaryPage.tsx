import React from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { Deployment } from '@hydra/inference-server/api';
import type { DeploymentSummary } from '@hydra/plugin-kit/client';
import { useApp } from '../../components/App/AppContext';
import { useCatalog } from '../../hooks/useCatalog';
import { useRequest } from '../../hooks/useRequest';
import { testIds } from '../../testIds';

const count = new Intl.NumberFormat('en');
const rate = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const percent = (part: number, whole: number) => (whole ? `${Math.round((100 * part) / whole)}%` : '–');

/**
 * Where each deployment stands. Each part of the page is a section that loads and fails on its own, so a later one
 * (e.g. the time to detect a problem) is one more line here.
 */
export function SummaryPage() {
  const styles = useStyles2(getStyles);
  return (
    <PluginPage>
      <div className={styles.page}>
        <DeploymentsSection />
      </div>
    </PluginPage>
  );
}

/** Per deployment: labeled and classified images, active models, images per hour, runs that went Bad. */
function DeploymentsSection() {
  const styles = useStyles2(getStyles);
  const { client } = useApp();
  const catalog = useCatalog(client);
  const summary = useRequest('all', () => client.summary());

  let body: React.ReactNode;
  if (summary.error) {
    body = (
      <Alert title="Cannot load the summary" data-testid={testIds.summary.error}>
        {summary.error}
      </Alert>
    );
  } else if (!summary.data) {
    body = <LoadingPlaceholder text="Loading the summary…" />;
  } else if (summary.data.items.length === 0) {
    body = (
      <Alert severity="info" title="Nothing to sum up yet" data-testid={testIds.summary.empty}>
        The inference server has no deployment. Register one and its plot types (`hydra demo` makes a simulated one),
        then upload plots: this page then says how many are labeled and classified, and how many runs went Bad.
      </Alert>
    );
  } else {
    body = (
      <div className={styles.cards}>
        {summary.data.items.map((item) => (
          <DeploymentCard
            key={item.deployment}
            item={item}
            deployment={catalog.deployments?.find((d) => d.name === item.deployment)}
          />
        ))}
      </div>
    );
  }
  return (
    <section className={styles.section}>
      <h3>Deployments</h3>
      {body}
    </section>
  );
}

function DeploymentCard({ item, deployment }: { item: DeploymentSummary; deployment?: Deployment }) {
  const styles = useStyles2(getStyles);
  const figures: Array<[string, string, string?]> = [
    [
      'Labeled',
      `${count.format(item.labeledImages)} of ${count.format(item.totalImages)}`,
      percent(item.labeledImages, item.totalImages),
    ],
    ['Classified', count.format(item.classified), percent(item.classified, item.totalImages)],
    ['Active models', count.format(item.activeModels)],
    ['Images per hour', rate.format(item.imagesPerHour), 'over the last 24 h'],
    ['Runs with a Bad plot', count.format(item.runsWithBad)],
  ];
  return (
    <div className={styles.card} data-testid={testIds.summary.card(item.deployment)}>
      <h4>
        {deployment?.title || item.deployment}
        {deployment?.title && <span className={styles.secondary}> ({item.deployment})</span>}
      </h4>
      <dl className={styles.figures}>
        {figures.map(([name, value, note]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>
              <span className={styles.value}>{value}</span>
              {note && <span className={styles.secondary}> {note}</span>}
            </dd>
          </div>
        ))}
      </dl>
      <div
        className={styles.bar}
        role="meter"
        aria-label="Share of images labeled"
        aria-valuemin={0}
        aria-valuemax={item.totalImages}
        aria-valuenow={item.labeledImages}
      >
        <div style={{ width: percent(item.labeledImages, item.totalImages).replace('–', '0%') }} />
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  section: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  cards: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(2) }),
  card: css({
    width: 360,
    padding: theme.spacing(2),
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  figures: css({
    display: 'grid',
    gridTemplateColumns: '1fr',
    gap: theme.spacing(0.5),
    margin: 0,
    '& > div': { display: 'flex', justifyContent: 'space-between', gap: theme.spacing(2) },
    dt: { color: theme.colors.text.secondary, fontWeight: 'normal' },
    dd: { margin: 0, textAlign: 'right' },
  }),
  value: css({ fontSize: theme.typography.h5.fontSize, fontWeight: theme.typography.fontWeightMedium }),
  secondary: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  bar: css({
    marginTop: theme.spacing(1),
    height: 6,
    background: theme.colors.background.canvas,
    borderRadius: theme.shape.radius.default,
    overflow: 'hidden',
    '& > div': { height: '100%', background: theme.colors.primary.main },
  }),
});
