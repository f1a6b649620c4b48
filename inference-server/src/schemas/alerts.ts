import { Type, type Static } from 'typebox';
import { ALERT_STATUSES, ALERT_WRITE_STATUSES } from '../enums.ts';
import { Id, IsoTime, Pagination } from './common.ts';

// Grafana's webhook body, default format (no payload template): grafana/alerting receivers/webhook/v1/webhook.go
// `webhookMessage` and templates/template_data.go `ExtendedData`/`ExtendedAlert` (see shared GRAFANA.md §2).
// Fields that Grafana always sends are required; the omitempty ones are optional. Grafana adds fields between
// versions (appVersion, ruleUID, enrichments), so unknown fields are accepted everywhere.

const StringMap = Type.Record(Type.String(), Type.String());
const AlertStatus = Type.Enum(ALERT_STATUSES);

/** A Grafana time; Go's zero time (`0001-01-01T00:00:00Z`) is `endsAt` while an alert fires. */
const GrafanaTime = Type.String({ minLength: 1, description: 'RFC 3339' });

export const GrafanaAlert = Type.Object(
  {
    status: AlertStatus,
    labels: StringMap,
    annotations: StringMap,
    startsAt: GrafanaTime,
    endsAt: GrafanaTime,
    values: Type.Union([Type.Record(Type.String(), Type.Number()), Type.Null()]),
    valueString: Type.String(),
    generatorURL: Type.String(),
    fingerprint: Type.String({ minLength: 1, maxLength: 200 }),
    silenceURL: Type.String(),
    dashboardURL: Type.String(),
    panelURL: Type.String(),
    ruleUID: Type.Optional(Type.String()),
    imageURL: Type.Optional(Type.String()),
    embeddedImage: Type.Optional(Type.String()),
    orgId: Type.Optional(Type.Integer()),
  },
  { additionalProperties: true },
);
export type GrafanaAlert = Static<typeof GrafanaAlert>;

export const GrafanaNotification = Type.Object(
  {
    receiver: Type.String(),
    status: AlertStatus,
    orgId: Type.Integer(),
    alerts: Type.Array(GrafanaAlert),
    groupLabels: StringMap,
    commonLabels: StringMap,
    commonAnnotations: StringMap,
    externalURL: Type.String(),
    version: Type.String(),
    groupKey: Type.String(),
    truncatedAlerts: Type.Integer({ minimum: 0 }),
    title: Type.String(),
    state: Type.String({ description: '"alerting" when any alert fires, else "ok"' }),
    message: Type.String(),
    appVersion: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export type GrafanaNotification = Static<typeof GrafanaNotification>;

export const AlertAccepted = Type.Object({
  eventId: Id,
  alerts: Type.Integer({ description: 'Alerts in the notification' }),
  writes: Type.Integer({ description: 'EPICS writes planned; they run after this answer' }),
});
export type AlertAccepted = Static<typeof AlertAccepted>;

const AlertWriteStatus = Type.Enum(ALERT_WRITE_STATUSES, {
  description: 'superseded: a newer write to the same PV came first, so this one is never sent',
});

export const AlertWrite = Type.Object({
  pv: Type.String(),
  value: Type.Union([Type.Number(), Type.String()]),
  fingerprint: Type.Union([Type.String(), Type.Null()], {
    description: 'The alert it comes from; null for the message write',
  }),
  status: AlertWriteStatus,
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: IsoTime,
  writtenAt: Type.Union([IsoTime, Type.Null()]),
});
export type AlertWrite = Static<typeof AlertWrite>;

export const AlertSummary = Type.Object({
  fingerprint: Type.String(),
  status: AlertStatus,
  labels: StringMap,
  summary: Type.String({ description: 'The summary annotation, else the notification title' }),
  alarmPv: Type.Union([Type.String(), Type.Null()], { description: 'null when its labels name no plot' }),
  repeated: Type.Boolean({ description: 'Same status as last notified: nothing written for it' }),
});
export type AlertSummary = Static<typeof AlertSummary>;

export const AlertEvent = Type.Object({
  id: Id,
  receiver: Type.String(),
  status: AlertStatus,
  groupKey: Type.String(),
  title: Type.String(),
  alerts: Type.Array(AlertSummary),
  notes: Type.Array(Type.String(), { description: 'Why an alert wrote less than it could' }),
  writes: Type.Array(AlertWrite),
  signedAt: Type.Union([IsoTime, Type.Null()]),
  receivedAt: IsoTime,
});
export type AlertEvent = Static<typeof AlertEvent>;

export const AlertEventQuery = Type.Object(Pagination);
export type AlertEventQuery = Static<typeof AlertEventQuery>;

export const AlertEventList = Type.Object({ items: Type.Array(AlertEvent), total: Type.Integer() });
export type AlertEventList = Static<typeof AlertEventList>;
