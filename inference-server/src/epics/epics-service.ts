import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { MachineState } from '../pipeline/machine-state.ts';
import type { EpicsConnectionState } from '../enums.ts';
import { CaConnection } from './ca-connection.ts';
import { CaPvWriter, disabledPvWriter, type PutCounters } from './ca-pv-writer.ts';
import { PvMonitors, type MonitoredPv } from './pv-monitors.ts';
import type { PvWriter } from './pv-writer.ts';

export type EpicsSettings = Pick<
  Config,
  | 'HYDRA_EPICS_CA_ADDR_LIST'
  | 'HYDRA_EPICS_CA_SERVER_PORT'
  | 'HYDRA_EPICS_BEAM_CURRENT_PV'
  | 'HYDRA_EPICS_BEAM_THRESHOLD'
  | 'HYDRA_EPICS_RUN_NUMBER_PV'
  | 'HYDRA_EPICS_PUT_TIMEOUT_MS'
  | 'HYDRA_EPICS_RECONNECT_MAX_MS'
>;

/** The connection and its counters, as /api/v1/status and /metrics show them. */
export interface EpicsConnectionStatus {
  state: EpicsConnectionState;
  /** Since when the state holds (ms); null when EPICS is not configured. */
  since: number | null;
  addrList: string | null;
  lastError: string | null;
  puts: PutCounters;
}

/**
 * Hydra's side of Channel Access: the PV writer, the beam-current and run-number monitors that feed the
 * machine state, and the connection under both. With an empty address list it is off: a writer whose puts
 * fail with "EPICS is not configured", and a machine state that stays unknown.
 */
export class EpicsService {
  readonly writer: PvWriter;
  private readonly connection: CaConnection | undefined;
  private readonly caWriter: CaPvWriter | undefined;

  constructor(
    private readonly settings: EpicsSettings,
    machine: MachineState,
    logger: FastifyBaseLogger,
  ) {
    if (!settings.HYDRA_EPICS_CA_ADDR_LIST.trim()) {
      this.writer = disabledPvWriter;
      return;
    }
    const timeoutMs = settings.HYDRA_EPICS_PUT_TIMEOUT_MS;
    const monitored: MonitoredPv[] = [];
    if (settings.HYDRA_EPICS_BEAM_CURRENT_PV) {
      monitored.push({
        pv: settings.HYDRA_EPICS_BEAM_CURRENT_PV,
        onValue: (current) => machine.setBeamCurrent(current, settings.HYDRA_EPICS_BEAM_THRESHOLD),
      });
    }
    if (settings.HYDRA_EPICS_RUN_NUMBER_PV) {
      monitored.push({ pv: settings.HYDRA_EPICS_RUN_NUMBER_PV, onValue: (run) => machine.setRunNumber(run) });
    }
    // The callbacks run once the connection starts, after the writer and the monitors exist.
    const connection: CaConnection = new CaConnection({
      addrList: settings.HYDRA_EPICS_CA_ADDR_LIST,
      serverPort: settings.HYDRA_EPICS_CA_SERVER_PORT,
      timeoutMs,
      reconnectMaxMs: settings.HYDRA_EPICS_RECONNECT_MAX_MS,
      logger,
      probePvs: (): string[] => [...new Set([...monitors.pvs(), ...caWriter.pvs()])],
      onConnected: async () => {
        await monitors.subscribe();
        await caWriter.writeLatest();
      },
      onDisconnected: () => monitors.lost(),
    });
    const caWriter: CaPvWriter = new CaPvWriter(connection, logger, timeoutMs);
    const monitors: PvMonitors = new PvMonitors(connection, monitored, logger, timeoutMs);
    this.connection = connection;
    this.caWriter = caWriter;
    this.writer = caWriter;
  }

  /** Connects in the background; never waits for the IOC. */
  start(): void {
    this.connection?.start();
  }

  async close(): Promise<void> {
    await this.connection?.close();
  }

  status(): EpicsConnectionStatus {
    const { connection, caWriter } = this;
    if (!connection || !caWriter) {
      return {
        state: 'not_configured',
        since: null,
        addrList: null,
        lastError: null,
        puts: { ok: 0, failed: 0, droppedWhileDown: 0, catchUpWrites: 0 },
      };
    }
    return {
      state: connection.state,
      since: connection.since,
      addrList: this.settings.HYDRA_EPICS_CA_ADDR_LIST,
      lastError: connection.error,
      puts: { ...caWriter.counters },
    };
  }
}
