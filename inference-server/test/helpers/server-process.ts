import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from './services.ts';

const HYDRA_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/hydra.js');

/** `hydra serve` in a child process, as an operator runs it; it can be killed and started again. */
export class ServerProcess {
  private child: ChildProcess | undefined;
  log = '';

  private constructor(
    private readonly env: Record<string, string>,
    readonly port: number,
  ) {}

  static async start(env: Record<string, string>): Promise<ServerProcess> {
    const server = new ServerProcess(env, await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(process.execPath, [HYDRA_BIN, 'serve'], {
      env: { ...process.env, ...this.env, HYDRA_PORT: String(this.port), HYDRA_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    try {
      await waitFor(async () => (await fetch(`${this.url}/api/v1/health`)).ok, {
        // Workers compile the wasm backend at start-up: on two cores busy with other tests that took over 30 s.
        timeoutMs: 120_000,
        what: 'the server to answer /api/v1/health',
      });
    } catch (error) {
      // A server left running would keep the test process alive after the test failed.
      await this.kill();
      throw new Error(`${(error as Error).message}; its log ends:\n${this.log.slice(-2000)}`, {
        cause: error,
      });
    }
  }

  /** SIGKILL: no graceful close, no chance to finish a batch or release claims. */
  kill(): Promise<void> {
    return this.signal('SIGKILL');
  }

  stop(): Promise<void> {
    return this.signal('SIGTERM');
  }

  /** SIGSTOP: freezes the process where it is (its claims, its open transactions), until `resume` or `kill`. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }
}
