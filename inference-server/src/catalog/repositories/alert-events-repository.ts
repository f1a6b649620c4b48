import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { AlertStatus, AlertWriteStatus } from '../../enums.ts';
import type { AlertEventRecord, AlertWriteRecord, Database } from '../database.ts';
import { decodeJson, encodeJson } from './json-columns.ts';
import { inBatches } from './statement-batches.ts';

/** One alert of a notification, as the event keeps it. */
export interface AlertSummaryRow {
  fingerprint: string;
  status: AlertStatus;
  labels: Record<string, string>;
  summary: string;
  /** The alarm PV its labels name; null when they name no plot. */
  alarmPv: string | null;
  /** Its status is the one last notified: nothing is written for it. */
  repeated: boolean;
}

export interface AlertWriteRow {
  id: number;
  eventId: number;
  fingerprint: string | null;
  pv: string;
  value: number | string;
  status: AlertWriteStatus;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: number;
  createdAt: number;
  writtenAt: number | null;
}

export interface AlertEventRow {
  id: number;
  signature: string;
  receiver: string;
  status: AlertStatus;
  groupKey: string;
  title: string;
  alerts: AlertSummaryRow[];
  notes: string[];
  signedAt: number | null;
  receivedAt: number;
  writes: AlertWriteRow[];
}

export interface NewAlertEvent {
  signature: string;
  receiver: string;
  status: AlertStatus;
  groupKey: string;
  title: string;
  signedAt: number | null;
  receivedAt: number;
}

export interface PlannedWrite {
  fingerprint: string | null;
  pv: string;
  value: number | string;
}

/** What a put ended as; `retryAt` null after a failure means the write gives up. */
export type WriteOutcome =
  { ok: true; at: number } | { ok: false; at: number; error: string; retryAt: number | null };

function writeRow(row: AlertWriteRecord): AlertWriteRow {
  return {
    id: row.id,
    eventId: row.event_id,
    fingerprint: row.fingerprint,
    pv: row.pv,
    value: decodeJson<number | string>(row.value),
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    writtenAt: row.written_at,
  };
}

function eventRow(row: AlertEventRecord, writes: AlertWriteRow[]): AlertEventRow {
  return {
    id: row.id,
    signature: row.signature,
    receiver: row.receiver,
    status: row.status,
    groupKey: row.group_key,
    title: row.title,
    alerts: decodeJson<AlertSummaryRow[]>(row.alerts),
    notes: decodeJson<string[]>(row.notes),
    signedAt: row.signed_at,
    receivedAt: row.received_at,
    writes,
  };
}

/** Grafana alert notifications, the EPICS writes they plan and their outcomes, and each alert's last status. */
export class AlertEventsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records a notification; undefined when its signature is already recorded (a replay). */
  async insertEvent(event: NewAlertEvent): Promise<number | undefined> {
    const row = await this.db
      .insertInto('alert_event')
      .values({
        signature: event.signature,
        receiver: event.receiver,
        status: event.status,
        group_key: event.groupKey,
        title: event.title,
        alerts: encodeJson([]),
        notes: encodeJson([]),
        signed_at: event.signedAt,
        received_at: event.receivedAt,
      })
      .onConflict((oc) => oc.column('signature').doNothing())
      .returning('id')
      .executeTakeFirst();
    return row?.id;
  }

  /** When the signature was first received, for the replay's refusal. */
  async receivedAtOf(signature: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('alert_event')
      .select('received_at')
      .where('signature', '=', signature)
      .executeTakeFirst();
    return row?.received_at;
  }

  /**
   * Stores each alert's status and returns the fingerprints whose status changed (or are new): one upsert that
   * updates only a different status, so two notifications at once cannot both claim the same change.
   */
  async claimTransitions(
    alerts: ReadonlyArray<{ fingerprint: string; status: AlertStatus }>,
    eventId: number,
    now: number,
  ): Promise<Set<string>> {
    const changed = new Set<string>();
    for (const batch of inBatches(alerts)) {
      const rows = await this.db
        .insertInto('alert_instance')
        .values(batch.map((a) => ({ ...a, event_id: eventId, changed_at: now })))
        .onConflict((oc) =>
          oc
            .column('fingerprint')
            .doUpdateSet({
              status: (eb) => eb.ref('excluded.status'),
              event_id: (eb) => eb.ref('excluded.event_id'),
              changed_at: (eb) => eb.ref('excluded.changed_at'),
            })
            .where('alert_instance.status', '<>', (eb) => eb.ref('excluded.status')),
        )
        .returning('fingerprint')
        .execute();
      for (const row of rows) changed.add(row.fingerprint);
    }
    return changed;
  }

  /** Completes a recorded event with its alerts, notes and planned writes (all pending, due now). */
  async completeEvent(
    eventId: number,
    plan: { alerts: AlertSummaryRow[]; notes: string[]; writes: PlannedWrite[] },
    now: number,
  ): Promise<void> {
    await this.db
      .updateTable('alert_event')
      .set({ alerts: encodeJson(plan.alerts), notes: encodeJson(plan.notes) })
      .where('id', '=', eventId)
      .execute();
    for (const batch of inBatches(plan.writes)) {
      await this.db
        .insertInto('alert_write')
        .values(
          batch.map((w) => ({
            event_id: eventId,
            fingerprint: w.fingerprint,
            pv: w.pv,
            value: encodeJson(w.value),
            status: 'pending' as const,
            next_attempt_at: now,
            created_at: now,
          })),
        )
        .execute();
    }
  }

  /** Events newest first, each with its writes, and how many there are in all. */
  async list(limit: number, offset: number): Promise<{ items: AlertEventRow[]; total: number }> {
    const events = await this.db
      .selectFrom('alert_event')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    const writes = events.length
      ? await this.db
          .selectFrom('alert_write')
          .selectAll()
          .where(
            'event_id',
            'in',
            events.map((e) => e.id),
          )
          .orderBy('id')
          .execute()
      : [];
    const { count } = await this.db
      .selectFrom('alert_event')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return {
      items: events.map((e) => eventRow(e, writes.filter((w) => w.event_id === e.id).map(writeRow))),
      total: Number(count),
    };
  }

  /** The firing alerts of the events received in [from, to], oldest first, each with its event and place in it. */
  async firingAlerts(
    from: number,
    to: number,
  ): Promise<Array<{ eventId: number; place: number; receivedAt: number; alert: AlertSummaryRow }>> {
    const events = await this.db
      .selectFrom('alert_event')
      .selectAll()
      .where('received_at', '>=', from)
      .where('received_at', '<=', to)
      .orderBy('received_at')
      .orderBy('id')
      .execute();
    return events.flatMap((event) =>
      eventRow(event, [])
        .alerts.filter((alert) => alert.status === 'firing')
        .map((alert, place) => ({ eventId: event.id, place, receivedAt: event.received_at, alert })),
    );
  }

  /** A pending write that a newer write to the same PV follows would put an old value: it is never sent. */
  async supersedeStaleWrites(): Promise<number> {
    const result = await this.db
      .updateTable('alert_write')
      .set({ status: 'superseded' })
      .where('status', '=', 'pending')
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('alert_write as newer')
            .select(sql<number>`1`.as('one'))
            .whereRef('newer.pv', '=', 'alert_write.pv')
            .whereRef('newer.id', '>', 'alert_write.id'),
        ),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Pending writes whose next attempt is due, oldest first. */
  async dueWrites(now: number, limit: number): Promise<AlertWriteRow[]> {
    const rows = await this.db
      .selectFrom('alert_write')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(writeRow);
  }

  /** When the next pending write is due; undefined when none is pending. */
  async nextDueAt(): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('alert_write')
      .select((eb) => eb.fn.min<number>('next_attempt_at').as('due'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return row?.due === null || row?.due === undefined ? undefined : Number(row.due);
  }

  /** Every pending write due now: after a restart they are tried at once, whatever their back-off said. */
  async makePendingDue(now: number): Promise<number> {
    const result = await this.db
      .updateTable('alert_write')
      .set({ next_attempt_at: now })
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async recordAttempt(id: number, outcome: WriteOutcome): Promise<void> {
    const attempts = sql<number>`attempts + 1`;
    const update = outcome.ok
      ? { status: 'ok' as const, attempts, last_error: null, written_at: outcome.at }
      : outcome.retryAt === null
        ? { status: 'failed' as const, attempts, last_error: outcome.error }
        : { attempts, last_error: outcome.error, next_attempt_at: outcome.retryAt };
    await this.db.updateTable('alert_write').set(update).where('id', '=', id).execute();
  }
}
