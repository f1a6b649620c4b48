import type { AlertEventRow, AlertWriteRow } from '../catalog/repositories/alert-events-repository.ts';
import type { AlertEvent, AlertWrite } from '../schemas/index.ts';

// Alert event rows → the API's shapes.

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

function alertWriteView(w: AlertWriteRow): AlertWrite {
  return {
    pv: w.pv,
    value: w.value,
    fingerprint: w.fingerprint,
    status: w.status,
    attempts: w.attempts,
    lastError: w.lastError,
    createdAt: iso(w.createdAt),
    writtenAt: isoOrNull(w.writtenAt),
  };
}

export function alertEventView(e: AlertEventRow): AlertEvent {
  return {
    id: e.id,
    receiver: e.receiver,
    status: e.status,
    groupKey: e.groupKey,
    title: e.title,
    alerts: e.alerts,
    notes: e.notes,
    writes: e.writes.map(alertWriteView),
    signedAt: isoOrNull(e.signedAt),
    receivedAt: iso(e.receivedAt),
  };
}
