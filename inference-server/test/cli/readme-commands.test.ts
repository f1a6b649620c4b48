import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from '../helpers/services.ts';

// Every command in the docs' code blocks, run as written from its folder: the short ones run here, and every other
// one says why it does not. A command added to the docs without a line here fails the test, and so does a line
// here whose command left the docs.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** One step of a documented command line, and the folder it runs in (relative to the repository root). */
interface DocumentedStep {
  file: string;
  folder: string;
  command: string;
}

/**
 * The shell steps of the docs' ```sh blocks: a block starts at the repository root, `cd` moves it, comments go,
 * continued lines join, and `a && b` is two steps.
 */
function documentedSteps(): DocumentedStep[] {
  const workspaces = readdirSync(ROOT).filter((name) => existsSync(path.join(ROOT, name, 'README.md')));
  const docs = ['README.md', ...workspaces.map((name) => `${name}/README.md`), 'docs/simulator.md'];
  const steps: DocumentedStep[] = [];
  for (const file of docs) {
    const blocks = readFileSync(path.join(ROOT, file), 'utf8').matchAll(/^```sh\n([\s\S]*?)^```$/gm);
    for (const [, block] of blocks) {
      let folder = '.';
      const lines = block!
        .replace(/\\\n\s*/g, '')
        .split('\n')
        .map((line) => line.replace(/(^|\s+)#\s.*$/, '').trim())
        .filter(Boolean);
      for (const line of lines) {
        for (const command of line.split(' && ')) {
          const cd = command.match(/^cd (\S+)$/);
          if (cd) folder = path.normalize(path.join(folder, cd[1]!));
          else steps.push({ file, folder, command });
        }
      }
    }
  }
  return steps;
}

type Check =
  /** Runs to its end: exit 0, and the output (or what it leaves behind) checked. */
  | { run: (output: string) => void | Promise<void>; timeoutS: number; cleanup?: string[] }
  /** A server: it must answer `ready` (a path and a check of the body), then stop on Ctrl+C. */
  | { serve: { path: string; body: RegExp } }
  | { skip: string };

const SUITE = 'a test suite of its own, which `npm test` and CI run';
const SCALING =
  'two replicas on a PostgreSQL database: test/replicas/replicas.test.ts starts them as the Scaling out section says';
const PLACEHOLDERS = 'holds placeholders for your token, model and plot (TOKEN=..., ./my-model)';
const REPROCESS_CLI =
  'needs a server holding that plot type, version and job; test/reprocess/reprocess-cli.test.ts runs each subcommand against a real one';

/** Each documented step, by its folder and its text, and what this test does with it. */
const CHECKS: Record<string, Check> = {
  '. npm ci': {
    skip: 'this checkout is installed; a second `npm ci` would replace node_modules under the tests',
  },
  '. npm start': { serve: { path: '/api/v1/health', body: /"status":"ok"/ } },
  '. npm test': { skip: 'every test, this one included' },
  'inference-server npx hydra token create --role admin --name me': {
    run: (output) => assert.match(output, /^hydra_[\w-]{32}$/m),
    timeoutS: 60,
  },
  '. TOKEN=...': { skip: PLACEHOLDERS },
  '. curl -s -H "Authorization: Bearer $TOKEN" -H \'content-type: application/json\' -d \'{"name":"halld"}\' http://127.0.0.1:8080/api/v1/deployments':
    { skip: PLACEHOLDERS },
  '. curl -s -H "Authorization: Bearer $TOKEN" -H \'content-type: application/json\' -d \'{"deployment":"halld","name":"CDC_occupancy","group":"CDC"}\' http://127.0.0.1:8080/api/v1/plot-types':
    { skip: PLACEHOLDERS },
  '. npx hydra model add ./my-model --deployment halld --plot-type CDC_occupancy --classes Good,Bad,NoData --thresholds Bad=0.8 --activate':
    { skip: PLACEHOLDERS },
  '. curl -s -H "Authorization: Bearer $TOKEN" -F deployment=halld -F plotType=CDC_occupancy -F run=131458 -F file=@CDC_occupancy.png http://127.0.0.1:8080/api/v1/images':
    { skip: PLACEHOLDERS },
  '. curl -s -H "Authorization: Bearer $TOKEN" \'http://127.0.0.1:8080/api/v1/plots?deployment=halld\'': {
    skip: PLACEHOLDERS,
  },
  'inference-server npx hydra --help': {
    run: (output) =>
      assert.match(output, /^Usage: hydra[\s\S]*^ {2}serve \[options\][\s\S]*^ {2}demo \[options\]/m),
    timeoutS: 60,
  },
  'inference-server npx hydra simulate --out /tmp/plots --runs 10 --bad-rate 0.3 --seed 1': {
    run: async () => assert.equal(await lineCount('/tmp/plots/manifest.jsonl'), 70),
    timeoutS: 180,
    cleanup: ['/tmp/plots'],
  },
  'inference-server npx hydra simulate --contact-sheet sheet.png': {
    run: async () => assert.ok((await fs.stat(path.join(ROOT, 'inference-server/sheet.png'))).size > 10_000),
    timeoutS: 180,
    cleanup: ['inference-server/sheet.png'],
  },
  'inference-server npm run bench:simulate': {
    skip: 'the same benchmark runs from the root, through its script',
  },
  '. npm run demo': {
    serve: { path: '/', body: /<title>Hydra: preview of the plot grid<\/title>/ },
  },
  '. npm run build:preview': {
    run: (output) => assert.match(output, /^preview page (built in [\d.]+ s|up to date): preview\/dist$/m),
    timeoutS: 180,
  },
  'inference-server HYDRA_AUTH=false npx hydra serve --preview': {
    serve: { path: '/', body: /<script type="module" src="preview\.js">/ },
  },
  // The bug this test was written for: npm took `--duration` as its own option after a root script.
  '. npm run demo -- --duration 10 --no-train': {
    run: (output) => {
      assert.match(output, /^at the end, after 10 s: rss \d+\.\d MiB/m);
      assert.doesNotMatch(output, /demo models were/, '--no-train reached the demo too');
    },
    timeoutS: 240,
  },
  '. npm run demo -- --duration 600': {
    skip: 'ten minutes: the ten-second run above proves the same flags arrive',
  },
  '. scripts/epics-base.sh': {
    skip: 'builds EPICS base (80 s and apt packages the first time); .ci/run runs it',
  },
  'inference-server node --import tsx --test --test-concurrency=1 test/epics/*.test.ts': { skip: SUITE },
  '. npm run bench:alarm': {
    skip: 'minutes, against a softIoc; the root script forwards flags (checked below)',
  },
  'inference-server node --import tsx --test --test-concurrency=1 test/alerts/*.test.ts': { skip: SUITE },
  '. npm run bench:alert-webhook': {
    skip: '40 s of benchmark; the root script forwards flags (checked below)',
  },
  '. npm run build': {
    skip: "webpack builds of every plugin (minutes); CI's typecheck and plugin tests cover them",
  },
  '. cp docker-compose.env.example .env': { skip: "would overwrite this checkout's .env" },
  '. docker compose up -d': { skip: 'no Docker engine here; test/provisioning validates the compose file' },
  '. docker compose up -d grafana': { skip: 'no Docker engine here' },
  'inference-server npx hydra simulate --out /tmp/bad --runs 3 --bad-rate 1 --seed 7': {
    run: async () => assert.equal(await lineCount('/tmp/bad/manifest.jsonl'), 21),
    timeoutS: 180,
    cleanup: ['/tmp/bad'],
  },
  'inference-server HYDRA_TOKEN=... npx hydra ingest /tmp/bad/*/CDC_occupancy.png --deployment halld': {
    skip: 'holds a placeholder for your token, and needs a Grafana-provisioned server',
  },
  'inference-server node --import tsx --test --test-concurrency=1 test/provisioning/*.test.ts test/influx/server-points.test.ts':
    { skip: SUITE },
  '. npm run bench:pipeline': {
    skip: 'minutes of benchmark; the root script forwards flags (checked below)',
  },
  '. npm run bench:simulate': {
    run: (output) => assert.match(output, /^280 plots \(40 runs × 7 kinds.*plots\/s/m),
    timeoutS: 240,
  },
  '. npm run bench:train': { skip: 'minutes of training; the root script forwards flags (checked below)' },
  '. npm run bench:gradcam': { skip: 'minutes; the root script forwards flags (checked below)' },
  '. npm run bench:verdicts': { skip: 'minutes; the root script forwards flags (checked below)' },
  '. npm run bench:labeler': { skip: 'fills 100,000 images on two engines; the root script forwards flags' },
  '. npm run bench:summary': {
    skip: 'seeds 1,000,000 images on two engines; the root script forwards flags (checked below)',
  },
  '. createdb -h 127.0.0.1 -U postgres hydra': { skip: SCALING },
  '. export HYDRA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/hydra HYDRA_DATA_DIR=/tmp/hydra-shared': {
    skip: SCALING,
  },
  '. HYDRA_INSTANCE_ID=hydra-1 HYDRA_PORT=8081 npx hydra serve &': { skip: SCALING },
  '. HYDRA_INSTANCE_ID=hydra-2 HYDRA_PORT=8082 npx hydra serve &': { skip: SCALING },
  '. docker compose exec inference-server node inference-server/bin/hydra.js token create --role expert --name grafana --grafana-proxy':
    { skip: 'no Docker engine here' },
  'inference-server npx hydra token create --role labeler --name grafana --grafana-proxy': {
    skip: 'the same command as `token create` above with one flag; test/cli/cli.test.ts creates a proxy token',
  },
  '. npm run seed:catalog': {
    skip: 'a million images, minutes; test/catalog/seed-catalog.test.ts seeds 6,000 on both engines through it',
  },
  '. npm run bench:catalog': {
    skip: 'seeds a million images on each engine, many minutes; the root script forwards flags',
  },
  'inference-server export HYDRA_URL=http://127.0.0.1:8080 HYDRA_TOKEN=...': { skip: PLACEHOLDERS },
  'inference-server npx hydra reprocess start --deployment halld --plot-type CDC_occupancy --runs 131000-131500 --model-version 7':
    { skip: REPROCESS_CLI },
  'inference-server npx hydra reprocess follow 3': { skip: REPROCESS_CLI },
  'inference-server npx hydra reprocess compare 3': { skip: REPROCESS_CLI },
  'inference-server npx hydra reprocess cancel 3': { skip: REPROCESS_CLI },
  'inference-server npx hydra reprocess list': { skip: REPROCESS_CLI },
  '. curl -s -H "Authorization: Bearer $HYDRA_TOKEN" -H \'content-type: application/json\' -d \'{"deployment":"halld","plotType":"CDC_occupancy","runFrom":131000,"runTo":131500,"modelVersionId":7}\' http://127.0.0.1:8080/api/v1/reprocess':
    { skip: PLACEHOLDERS },
  'inference-server node --import tsx --test --test-concurrency=1 test/reprocess/*.test.ts': { skip: SUITE },
  'inference-server npx hydra logbook import logbook-2024-02.csv --deployment hallb': {
    skip: 'needs a server and a logbook file; test/incidents/logbook-import.test.ts runs hydra logbook import against a real one',
  },
  '. curl -s -X POST -H "Authorization: Bearer $HYDRA_TOKEN" "$HYDRA_URL/api/v1/incidents/report/influx?deploymentId=1&from=2024-02-01T00:00:00Z&to=2024-03-01T00:00:00Z"':
    {
      skip: 'needs a server holding that deployment and InfluxDB; test/incidents/simulated-period.test.ts posts it and reads the points back',
    },
  'inference-server node --import tsx --test --test-concurrency=1 test/incidents/*.test.ts': { skip: SUITE },
  '. npm run bench:reprocess': {
    skip: 'minutes of benchmark; the root script forwards flags (checked below)',
  },
  '. npm run bench:anomaly': {
    skip: 'trains an autoencoder per plot kind, many minutes; the root script forwards flags (checked below)',
  },
  '. npm run bench:anomaly -- --kinds FCAL_occupancy,TOF_timing --held-out 1000': {
    skip: 'trains two autoencoders, minutes; the root script forwards flags (checked below)',
  },
  '. npm run bench:reference': {
    skip: 'trains a Siamese encoder per plot kind, many minutes; the root script forwards flags (checked below)',
  },
  '. npm run bench:reference -- --kinds FCAL_occupancy,TOF_timing --epochs 20': {
    skip: 'trains two Siamese encoders, minutes; the root script forwards flags (checked below)',
  },
  '. npm run bench:label-efficiency': {
    skip: 'trains two models per plot kind, many minutes; the root script forwards flags (checked below)',
  },
  '. npm run bench:clusters': {
    skip: 'simulates and sends 2,000 plots, minutes; the root script forwards flags (checked below)',
  },
  '. npm run build -w app-plugin': { skip: "a webpack build (a minute); the app's tests cover its code" },
  '. npm test -w app-plugin': { skip: SUITE },
  '. npm run e2e -w app-plugin': { skip: SUITE },
  '. npm run bench:labeler-scroll': {
    skip: 'a Chromium trace of 10,000 images; the root script forwards flags',
  },
  'inference-server npx hydra simulate --out plots --runs 100 --bad-rate 0.3 --seed 1': {
    skip: '700 plots, a minute or more here; the two simulate commands below it run',
  },
  'inference-server npx hydra simulate --out bad --runs 50 --kinds FCAL_occupancy,BCAL_occupancy --modes dead-region,hot-channel --bad-rate 1':
    {
      run: async () =>
        assert.equal(await lineCount(path.join(ROOT, 'inference-server/bad/manifest.jsonl')), 100),
      timeoutS: 180,
      cleanup: ['inference-server/bad'],
    },
  'inference-server npx hydra simulate --contact-sheet sheet.png --contact-sheet-strength normal': {
    run: async () => assert.ok((await fs.stat(path.join(ROOT, 'inference-server/sheet.png'))).size > 10_000),
    timeoutS: 180,
    cleanup: ['inference-server/sheet.png'],
  },
};

const keyOf = (step: DocumentedStep) => `${step.folder} ${step.command}`;

async function lineCount(file: string): Promise<number> {
  return (await fs.readFile(file, 'utf8')).trim().split('\n').length;
}

/** The server's settings for every command: a free port, a data folder of the test's, one worker, few logs. */
let env: NodeJS.ProcessEnv = {};
let port = 0;

/** A documented step under bash, in its folder, in a process group of its own (Ctrl+C reaches all of it). */
function start(step: DocumentedStep) {
  const child = spawn('bash', ['-c', step.command], {
    cwd: path.join(ROOT, step.folder),
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function runToEnd(step: DocumentedStep, check: Extract<Check, { run: unknown }>) {
  // What the command writes is removed after it, unless it was there before (someone's own).
  const created = (check.cleanup ?? [])
    .map((leftover) => path.resolve(ROOT, leftover))
    .filter((p) => !existsSync(p));
  const running = start(step);
  const timer = setTimeout(() => process.kill(-running.child.pid!, 'SIGKILL'), check.timeoutS * 1000);
  try {
    const code = await running.exited;
    assert.equal(code, 0, `\`${step.command}\` in ${step.folder} exited with ${code}:\n${running.output()}`);
    await check.run(running.output());
  } finally {
    clearTimeout(timer);
    for (const leftover of created) await fs.rm(leftover, { recursive: true, force: true });
  }
}

const answers = (path: string) =>
  fetch(`http://127.0.0.1:${port}${path}`).then(
    async (response) => ({ ok: response.ok, body: await response.text() }),
    () => undefined,
  );

async function serveThenStop(step: DocumentedStep, ready: { path: string; body: RegExp }) {
  const running = start(step);
  try {
    await waitFor(
      async () => {
        const response = await answers(ready.path);
        return response?.ok && ready.body.test(response.body);
      },
      { timeoutMs: 180_000, intervalMs: 500, what: `${ready.path} of \`${step.command}\`` },
    );
  } catch (error) {
    process.kill(-running.child.pid!, 'SIGKILL');
    throw new Error(`${(error as Error).message}\n${running.output()}`, { cause: error });
  }
  // Ctrl+C in a terminal signals the whole foreground group.
  process.kill(-running.child.pid!, 'SIGINT');
  const stopped = await Promise.race([running.exited.then(() => true), sleep(60_000).then(() => false)]);
  if (!stopped) process.kill(-running.child.pid!, 'SIGKILL');
  assert.ok(stopped, `\`${step.command}\` did not stop on Ctrl+C within a minute:\n${running.output()}`);
  // npm may go first: the server under it must have gone too.
  await waitFor(async () => (await answers('/api/v1/health')) === undefined, {
    timeoutMs: 30_000,
    what: `the server of \`${step.command}\` to stop`,
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the commands of the README and the docs, as written', () => {
  const steps = documentedSteps();
  let dataDir = '';
  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hydra-readme-'));
    port = await freePort();
    env = {
      ...process.env,
      HYDRA_PORT: String(port),
      HYDRA_DATA_DIR: dataDir,
      HYDRA_WORKERS: '1',
      HYDRA_LOG_LEVEL: 'warn',
    };
  });
  after(() => fs.rm(dataDir, { recursive: true, force: true }));

  test('every documented command is known here, and every command known here is documented', () => {
    const documented = new Set(steps.map(keyOf));
    assert.deepEqual(
      [...documented].filter((key) => !(key in CHECKS)),
      [],
      'documented commands this test does not know: run them or say why not',
    );
    assert.deepEqual(
      Object.keys(CHECKS).filter((key) => !documented.has(key)),
      [],
      'commands no longer documented',
    );
    for (const [key, check] of Object.entries(CHECKS)) {
      if ('skip' in check) assert.ok(check.skip.length > 10, `say why \`${key}\` is not run`);
    }
  });

  test("every root script that runs a workspace's script passes the arguments after -- on to it", () => {
    const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const delegating = Object.entries(scripts).filter(([, script]) => /^npm run \S+ -w \S+/.test(script));
    assert.ok(delegating.length >= 10);
    for (const [name, script] of delegating) assert.match(script, / --$/, `root script ${name}`);
  });

  // Unique steps, in the docs' order; a step documented twice runs once.
  const unique = [...new Map(steps.map((step) => [keyOf(step), step])).values()];
  for (const step of unique) {
    const check = CHECKS[keyOf(step)];
    if (!check || 'skip' in check) continue;
    test(`${step.folder === '.' ? '' : `(${step.folder}) `}${step.command}`, async () => {
      if ('serve' in check) await serveThenStop(step, check.serve);
      else await runToEnd(step, check);
    });
  }
});
