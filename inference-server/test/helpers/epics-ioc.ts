import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { promisify } from 'node:util';
import { freePort, waitFor } from './services.ts';

/**
 * A real EPICS IOC for tests: `softIoc` from EPICS base (built by `scripts/epics-base.sh`) on a free loopback
 * port, with records for the PVs a test names, and `caget`/`caput`/`camonitor` from the same build as a
 * client independent of the server's own.
 *
 *   const ioc = await EpicsIoc.start([numericPv('T:beam'), stringPv('T:last')]);
 *   t.after(() => ioc.stop());
 *   config = { ...config, ...ioc.serverConfig() };
 *   await ioc.caput('T:beam', 5);  await ioc.cagetNumber('T:beam');  // 5
 *   await ioc.kill();  ...  await ioc.restart();  // same port, records back at their initial values
 */

/** A record of the IOC's database; `value` is its initial value. */
export interface IocRecord {
  name: string;
  /** `ai` for numbers, `longout` for integers (a run number), `stringout` for strings. */
  type: 'ai' | 'longout' | 'stringout';
  value?: number | string;
}

export const numericPv = (name: string, value = 0): IocRecord => ({ name, type: 'ai', value });
export const integerPv = (name: string, value = 0): IocRecord => ({ name, type: 'longout', value });
export const stringPv = (name: string, value = ''): IocRecord => ({ name, type: 'stringout', value });

/** One value change seen by `camonitor`, with the time (Date.now) this process read it. */
export interface MonitorEvent {
  pv: string;
  value: string;
  receivedAt: number;
}

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../../..');
let binDir: Promise<string> | undefined;

/** EPICS base's bin folder: `HYDRA_TEST_EPICS_BIN` (set by `.ci/run`), else built or found by the script. */
export function epicsBin(): Promise<string> {
  binDir ??= process.env.HYDRA_TEST_EPICS_BIN
    ? Promise.resolve(process.env.HYDRA_TEST_EPICS_BIN)
    : run(path.join(repoRoot, 'scripts/epics-base.sh'), { maxBuffer: 1 << 20 }).then(({ stdout }) =>
        stdout.trim().split('\n').at(-1)!,
      );
  return binDir;
}

let repeaterStarted = false;

/**
 * Starts caRepeater with no stdio of ours. Otherwise the first CA tool (caget, softIoc) to run spawns it, it
 * inherits that tool's stdout pipe and outlives it, and execFile waits for the pipe to close forever. A second
 * caRepeater (one already runs) exits at once.
 */
function startRepeater(bin: string): void {
  if (repeaterStarted) return;
  repeaterStarted = true;
  spawn(path.join(bin, 'caRepeater'), [], { stdio: 'ignore', detached: true }).unref();
}

export class EpicsIoc {
  private process: ChildProcess | undefined;
  private readonly monitors = new Set<ChildProcess>();

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly bin: string,
    readonly records: readonly IocRecord[],
  ) {}

  /** Starts softIoc with these records and waits until it answers. */
  static async start(records: readonly IocRecord[]): Promise<EpicsIoc> {
    const bin = await epicsBin();
    startRepeater(bin);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hydra-ioc-'));
    await fs.writeFile(path.join(dir, 'test.db'), records.map(recordText).join('\n'));
    const ioc = new EpicsIoc(await freePort(), dir, bin, records);
    await ioc.restart();
    return ioc;
  }

  /** The server's settings that point it at this IOC. */
  serverConfig() {
    return { HYDRA_EPICS_CA_ADDR_LIST: '127.0.0.1', HYDRA_EPICS_CA_SERVER_PORT: this.port };
  }

  /** The environment of a CA client (ours or EPICS's tools) that talks to this IOC only. */
  clientEnv(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      PATH: `${this.bin}:${process.env.PATH ?? ''}`,
      EPICS_CA_ADDR_LIST: '127.0.0.1',
      EPICS_CA_AUTO_ADDR_LIST: 'NO',
      EPICS_CA_SERVER_PORT: String(this.port),
      EPICS_CAS_INTF_ADDR_LIST: '127.0.0.1',
      EPICS_CAS_BEACON_ADDR_LIST: '127.0.0.1',
      EPICS_CAS_AUTO_BEACON_ADDR_LIST: 'NO',
    };
  }

  /** Starts softIoc (again, after kill) on the same port; records start at their initial values. */
  async restart(): Promise<void> {
    if (this.process) throw new Error('the IOC is running');
    // softIoc exits when its shell's stdin closes: the pipe stays open until the IOC is killed.
    const child = spawn(path.join(this.bin, 'softIoc'), ['-d', path.join(this.dir, 'test.db')], {
      env: this.clientEnv(),
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    this.process = child;
    child.once('exit', () => {
      if (this.process === child) this.process = undefined;
    });
    const probe = this.records[0]?.name;
    if (!probe) return;
    await waitFor(async () => (await this.tool('caget', ['-w', '0.5', probe])) && true, {
      timeoutMs: 20_000,
      what: `softIoc on port ${this.port} to answer`,
    });
  }

  /** SIGKILL (softIoc ignores SIGTERM), and waits for the process to be gone. */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Kills the IOC and every camonitor, and removes the database folder. */
  async stop(): Promise<void> {
    for (const monitor of this.monitors) monitor.kill('SIGKILL');
    await this.kill();
    await fs.rm(this.dir, { recursive: true, force: true });
  }

  /** The PV's value as caget prints it (`-t`: the value only). */
  async caget(pv: string): Promise<string> {
    return (await this.tool('caget', ['-t', '-w', '2', pv])).trim();
  }

  async cagetNumber(pv: string): Promise<number> {
    const text = await this.tool('caget', ['-t', '-w', '2', '-g', '12', pv]);
    const value = Number(text.trim());
    if (!Number.isFinite(value)) throw new Error(`caget ${pv} printed ${JSON.stringify(text)}`);
    return value;
  }

  async caput(pv: string, value: number | string): Promise<void> {
    await this.tool('caput', ['-t', '-w', '2', pv, String(value)]);
  }

  /** Runs `camonitor` on the PVs until stopped; every change (and the first value of each) is reported. */
  camonitor(pvs: readonly string[], onEvent: (event: MonitorEvent) => void): { stop(): void } {
    const child = spawn(path.join(this.bin, 'camonitor'), ['-g', '12', ...pvs], {
      env: this.clientEnv(),
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    this.monitors.add(child);
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      // "<pv> <date> <time> <value> [<status> <severity>]"
      const [pv, , , value] = line.trim().split(/\s+/);
      if (pv && value !== undefined) onEvent({ pv, value, receivedAt: Date.now() });
    });
    return {
      stop: () => {
        child.kill('SIGKILL');
        this.monitors.delete(child);
      },
    };
  }

  private async tool(name: 'caget' | 'caput', args: string[]): Promise<string> {
    const { stdout } = await run(path.join(this.bin, name), args, { env: this.clientEnv() });
    return stdout;
  }
}

function recordText({ name, type, value }: IocRecord): string {
  const initial = value === undefined ? '' : `  field(VAL, "${String(value)}")\n`;
  // MDEL -1: every put reaches monitors, even of the value the PV already holds.
  const numeric = type === 'ai' ? '  field(PREC, "6")\n  field(MDEL, "-1")\n' : '';
  return `record(${type}, "${name}") {\n${initial}${numeric}}\n`;
}
