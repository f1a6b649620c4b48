import type { AlertSummaryRow, PlannedWrite } from '../catalog/repositories/alert-events-repository.ts';
import type { PvNames } from '../epics/pv-names.ts';
import type { GrafanaAlert, GrafanaNotification } from '../schemas/index.ts';

/**
 * The alert labels that name a plot's alarm PV. Hydra's alert rules group by the InfluxDB tags of
 * `hydra_prediction`, so their alerts carry `deployment` and `plot_type`; a rule over a group of plot types
 * carries `group` instead.
 */
export const ALARM_LABELS = { deployment: 'deployment', plotType: 'plot_type', group: 'group' } as const;

/** The value an alarm PV gets: 1 while the alert fires, 0 once it is resolved. */
const ALARM_VALUE = { firing: 1, resolved: 0 } as const;

/** EPICS string PVs (stringout, DBF_STRING) hold 40 bytes with the terminating NUL. */
const MESSAGE_BYTES = 39;

export interface AlertPlan {
  alerts: AlertSummaryRow[];
  notes: string[];
  writes: PlannedWrite[];
}

/** The alarm PV an alert's labels name, or why they name none. */
export function alarmPvOf(labels: Record<string, string>, names: PvNames): { pv: string } | { why: string } {
  const deployment = labels[ALARM_LABELS.deployment];
  const plot = labels[ALARM_LABELS.plotType] || labels[ALARM_LABELS.group];
  if (!deployment) return { why: `no "${ALARM_LABELS.deployment}" label` };
  if (!plot) return { why: `no "${ALARM_LABELS.plotType}" or "${ALARM_LABELS.group}" label` };
  return { pv: names.alarm(deployment, plot) };
}

/** The text of the message PV, cut to what a string PV holds. */
export function messageText(text: string): string {
  let cut = text.replace(/\s+/g, ' ').trim();
  while (Buffer.byteLength(cut, 'utf8') > MESSAGE_BYTES) cut = cut.slice(0, -1);
  return cut;
}

function alertName(alert: GrafanaAlert): string {
  return alert.labels.alertname ?? alert.fingerprint;
}

/**
 * The EPICS writes of one notification: for each alert whose status changed since it was last notified, its
 * alarm PV (when its labels name one); and, when any alert changed, one message: that alert's summary, or the
 * notification's title when several changed.
 */
export function planAlarmWrites(
  notification: GrafanaNotification,
  changed: ReadonlySet<string>,
  names: PvNames,
): AlertPlan {
  const plan: AlertPlan = { alerts: [], notes: [], writes: [] };
  const changedSummaries: string[] = [];
  for (const alert of notification.alerts) {
    const target = alarmPvOf(alert.labels, names);
    const summary = alert.annotations.summary || notification.title;
    const repeated = !changed.has(alert.fingerprint);
    plan.alerts.push({
      fingerprint: alert.fingerprint,
      status: alert.status,
      labels: alert.labels,
      summary,
      alarmPv: 'pv' in target ? target.pv : null,
      repeated,
    });
    if (repeated) continue;
    changedSummaries.push(`${alert.status.toUpperCase()} ${summary}`);
    if ('pv' in target) {
      plan.writes.push({ fingerprint: alert.fingerprint, pv: target.pv, value: ALARM_VALUE[alert.status] });
    } else {
      plan.notes.push(`${alertName(alert)} (${alert.fingerprint}) wrote the message only: ${target.why}`);
    }
  }
  if (changedSummaries.length > 0) {
    const text = changedSummaries.length === 1 ? changedSummaries[0]! : notification.title;
    plan.writes.push({ fingerprint: null, pv: names.alertMessage(), value: messageText(text) });
  }
  return plan;
}
