import type { Catalog } from '../catalog/catalog.ts';
import type { AlertEventRow } from '../catalog/repositories/alert-events-repository.ts';
import type { PvNames } from '../epics/pv-names.ts';
import { UnauthorizedError } from '../errors.ts';
import type { GrafanaNotification } from '../schemas/index.ts';
import type { AlertDispatcher } from './alert-dispatcher.ts';
import { planAlarmWrites } from './alarm-writes.ts';

export interface VerifiedSignature {
  signature: string;
  /** Epoch ms from the timestamp header; null when the body alone is signed. */
  signedAt: number | null;
}

export interface RecordedAlertEvent {
  eventId: number;
  alerts: number;
  writes: number;
}

/**
 * Grafana alert notifications: each is recorded with its planned EPICS writes in one transaction before it is
 * answered (Grafana never sends a notification again), and the dispatcher does the writes afterwards.
 */
export class AlertService {
  constructor(
    private readonly catalog: Catalog,
    private readonly names: PvNames,
    private readonly dispatcher: AlertDispatcher,
  ) {}

  /** Records a verified notification; a signature already recorded is a replay, refused. */
  async record(notification: GrafanaNotification, signed: VerifiedSignature): Promise<RecordedAlertEvent> {
    const now = Date.now();
    const statuses = new Map(notification.alerts.map((a) => [a.fingerprint, a.status]));
    const recorded = await this.catalog.transaction(async ({ alertEvents }) => {
      const eventId = await alertEvents.insertEvent({
        signature: signed.signature,
        receiver: notification.receiver,
        status: notification.status,
        groupKey: notification.groupKey,
        title: notification.title,
        signedAt: signed.signedAt,
        receivedAt: now,
      });
      if (eventId === undefined) return undefined;
      const changed = await alertEvents.claimTransitions(
        [...statuses].map(([fingerprint, status]) => ({ fingerprint, status })),
        eventId,
        now,
      );
      const plan = planAlarmWrites(notification, changed, this.names);
      await alertEvents.completeEvent(eventId, plan, now);
      return { eventId, alerts: notification.alerts.length, writes: plan.writes.length };
    });
    if (!recorded) {
      const firstAt = await this.catalog.alertEvents.receivedAtOf(signed.signature);
      throw new UnauthorizedError(
        `a replay: this signature came with a notification already received` +
          (firstAt === undefined ? '' : ` at ${new Date(firstAt).toISOString()}`),
      );
    }
    this.dispatcher.kick();
    return recorded;
  }

  list(limit: number, offset: number): Promise<{ items: AlertEventRow[]; total: number }> {
    return this.catalog.alertEvents.list(limit, offset);
  }
}
