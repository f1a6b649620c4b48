import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { parse } from 'yaml';
import { REPO_ROOT, pluginJson } from './provisioning-files.ts';

const hasDockerCompose = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;

test(
  'docker-compose.yml passes `docker-compose config`, mounts each plugin under its id and allows only those unsigned',
  {
    skip: hasDockerCompose
      ? false
      : 'docker-compose is not installed here (apt-get install docker-compose; CI installs it)',
  },
  () => {
    const config = parse(
      execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      }),
    ) as {
      services: Record<
        string,
        {
          environment: Record<string, string>;
          volumes: Array<{ source: string; target: string } | string>;
          depends_on?: object;
        }
      >;
    };
    const grafana = config.services.grafana!;
    const ids = ['datasource-plugin', 'panel-plugin', 'app-plugin'].map(
      (folder) => pluginJson(folder)?.id ?? `hydra-dqm-${folder.replace('-plugin', '')}`,
    );
    assert.deepEqual(
      grafana.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS!.split(',').sort(),
      [...ids].sort(),
    );
    const mounts = grafana.volumes.map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}`));
    for (const [i, folder] of ['datasource-plugin', 'panel-plugin', 'app-plugin'].entries()) {
      assert.ok(
        mounts.some((m) => m.includes(`${folder}/dist:/var/lib/grafana/plugins/${ids[i]}`)),
        `${folder}/dist mounted as ${ids[i]}: ${mounts.join(', ')}`,
      );
    }
    assert.ok(
      mounts.some((m) => m.includes('/provisioning:/etc/grafana/provisioning')),
      'provisioning mounted',
    );
    assert.deepEqual(Object.keys(config.services).sort(), [
      'grafana',
      'inference-server',
      'influxdb',
      'postgres',
    ]);
    assert.ok(config.services['inference-server']!.depends_on, 'the server waits for InfluxDB');
  },
);
