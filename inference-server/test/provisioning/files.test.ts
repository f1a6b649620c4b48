import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import AjvModule from 'ajv';
import { PROVISIONING, pluginJson, provisioningFiles, readYaml, rules } from './provisioning-files.ts';

// No Grafana server runs here: each provisioning file is checked against a schema of the keys Grafana's
// provisioning code reads (provisioning/schemas, each citing its source). Grafana itself ignores unknown keys.

const Ajv = AjvModule.default;
const ajv = new Ajv({ allErrors: true, strict: false });
const validators = Object.fromEntries(
  fs
    .readdirSync(path.join(PROVISIONING, 'schemas'))
    .map((file) => [
      file.replace('.schema.json', ''),
      ajv.compile(JSON.parse(fs.readFileSync(path.join(PROVISIONING, 'schemas', file), 'utf8'))),
    ]),
);

/** Which schema a provisioning file answers to: by folder, and for alerting by what the file provisions. */
function schemaOf(file: string, content: Record<string, unknown>): string {
  const folder = file.split(path.sep)[0];
  if (folder === 'datasources') return 'datasources';
  if (folder === 'dashboards') return 'dashboard-providers';
  if (folder === 'plugins') return 'apps';
  if (folder !== 'alerting') throw new Error(`${file}: Grafana reads no provisioning from ${folder}/`);
  if ('groups' in content) return 'alert-rules';
  if ('contactPoints' in content) return 'contact-points';
  if ('policies' in content) return 'notification-policies';
  throw new Error(`${file} provisions nothing these schemas know`);
}

function validate(name: string, content: unknown): string[] {
  const check = validators[name]!;
  return check(content)
    ? []
    : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

test('every provisioning YAML parses and has only the keys Grafana reads', () => {
  const files = provisioningFiles('.yaml');
  assert.ok(files.length >= 6, `found ${files.join(', ')}`);
  for (const file of files) {
    const content = readYaml(file) as Record<string, unknown>;
    assert.deepEqual(validate(schemaOf(file, content), content), [], file);
  }
});

test('the schemas refuse an unknown key, two threshold conditions and an unknown no-data state', () => {
  const file = readYaml('alerting/rules.yaml') as {
    groups: Array<{ rules: Array<Record<string, unknown>> }>;
  };
  const rule = file.groups[0]!.rules[0]!;
  const broken = (change: (r: Record<string, unknown>) => void) => {
    const copy = structuredClone(file);
    change(copy.groups[0]!.rules[0]!);
    return validate('alert-rules', copy);
  };
  assert.deepEqual(validate('alert-rules', file), []);
  assert.notDeepEqual(
    broken((r) => (r.forr = '1m')),
    [],
    'a misspelt key',
  );
  assert.notDeepEqual(
    broken((r) => (r.noDataState = 'Ok')),
    [],
    'a state Grafana does not know',
  );
  const thresholdQuery = (rule.data as Array<{ model: { type?: string; conditions?: unknown[] } }>).find(
    (q) => q.model.type === 'threshold',
  )!;
  assert.ok(thresholdQuery, 'the first rule has a threshold');
  assert.notDeepEqual(
    broken((r) => {
      const q = (r.data as Array<{ model: { type?: string; conditions: unknown[] } }>).find(
        (d) => d.model.type === 'threshold',
      )!;
      q.model.conditions.push(q.model.conditions[0]);
    }),
    [],
    'a threshold takes exactly one condition',
  );
});

/** Grafana's provisioning interpolation (pkg/services/provisioning/values/values.go): `$$` is a literal `$`, then `$VAR`/`${VAR}` from the environment. */
function expandEnv(value: string, env: Record<string, string>): string {
  return value
    .split('$$')
    .map((part) =>
      part.replace(
        /\$\{([^}]*)\}|\$(\w+)/g,
        (_, braced?: string, bare?: string) => env[braced ?? bare!] ?? '',
      ),
    )
    .join('$');
}

test('the contact point signs as the inference server checks, and its templates survive env expansion', () => {
  const { contactPoints } = readYaml('alerting/contact-points.yaml') as {
    contactPoints: Array<{
      name: string;
      receivers: Array<{ type: string; settings: Record<string, unknown> }>;
    }>;
  };
  const receiver = contactPoints[0]!.receivers[0]!;
  assert.equal(receiver.type, 'webhook');
  const env = { HYDRA_URL: 'http://inference-server:8080', HYDRA_ALERT_WEBHOOK_SECRET: 's3cret' };
  const expand = (value: unknown): unknown =>
    typeof value === 'string'
      ? expandEnv(value, env)
      : Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, expand(v)]));
  const settings = expand(receiver.settings) as {
    url: string;
    hmacConfig: { secret: string; header: string; timestampHeader: string };
    message: string;
  };
  assert.equal(settings.url, 'http://inference-server:8080/api/v1/alerts/grafana');
  assert.equal(settings.hmacConfig.secret, 's3cret');
  // The inference server's defaults (src/config.ts), which Grafana must match: it has no timestamp default.
  assert.equal(settings.hmacConfig.header, 'X-Grafana-Alerting-Signature');
  assert.equal(settings.hmacConfig.timestampHeader, 'X-Grafana-Alerting-Timestamp');
  assert.match(settings.message, /\{\{ range \$alert := \.Alerts \}\}/);
  assert.doesNotMatch(settings.message, /\$\$/);
  // Written with a single `$`, the variable would be expanded to nothing: the check above can fail.
  assert.equal(expandEnv('{{ range $alert := .Alerts }}', env), '{{ range  := .Alerts }}');

  const policies = readYaml('alerting/policies.yaml') as {
    policies: Array<{ receiver: string; group_by: string[] }>;
  };
  for (const policy of policies.policies) {
    assert.ok(
      contactPoints.some((c) => c.name === policy.receiver),
      `policy receiver ${policy.receiver}`,
    );
    assert.ok(policy.group_by.includes('plot_type') && policy.group_by.includes('deployment'));
  }
});

test('rule titles, labels and conditions hold no `$`: Grafana expands them from the environment', () => {
  for (const rule of rules()) {
    for (const text of [rule.title, rule.condition, ...Object.values(rule.labels ?? {})]) {
      assert.doesNotMatch(text, /\$/, `${rule.uid}: ${text}`);
    }
    assert.ok(
      rule.data.some((q) => q.refId === rule.condition),
      `${rule.uid}: its condition is one of its queries`,
    );
  }
});

test('the data sources are the ones the rules and plugins need, with the settings their code reads', (t) => {
  const { datasources } = readYaml('datasources/hydra.yaml') as {
    datasources: Array<{
      uid: string;
      type: string;
      jsonData: Record<string, string>;
      secureJsonData?: Record<string, string>;
    }>;
  };
  const influx = datasources.find((ds) => ds.type === 'influxdb')!;
  assert.equal(influx.jsonData.version, 'InfluxQL');
  assert.ok(influx.jsonData.dbName, 'jsonData.dbName (the top-level database is deprecated)');
  assert.ok(['GET', 'POST'].includes(influx.jsonData.httpMode!), 'httpMode set: the backend defaults to GET');
  for (const rule of rules()) {
    for (const query of rule.data) {
      assert.ok(
        query.datasourceUid === '__expr__' || datasources.some((ds) => ds.uid === query.datasourceUid),
        `${rule.uid}/${query.refId}: ${query.datasourceUid}`,
      );
    }
  }

  const { apps } = readYaml('plugins/hydra-app.yaml') as {
    apps: Array<{ type: string; jsonData: Record<string, string>; secureJsonData: Record<string, string> }>;
  };
  // Every {{ .JsonData.x }} and {{ .SecureJsonData.y }} a plugin's proxy route reads is provisioned.
  const checkRoutes = (
    folder: string,
    provisioned: { type: string; jsonData: object; secureJsonData?: object },
  ) => {
    const plugin = pluginJson(folder);
    if (!plugin)
      return t.diagnostic(
        `${folder}/src/plugin.json is not in this checkout: its settings are not cross-checked`,
      );
    assert.equal(provisioned.type, plugin.id, folder);
    const routes = JSON.stringify(plugin.routes ?? []);
    for (const [, kind, key] of routes.matchAll(/\{\{ *\.(JsonData|SecureJsonData)\.(\w+) *\}\}/g)) {
      const settings = kind === 'JsonData' ? provisioned.jsonData : (provisioned.secureJsonData ?? {});
      assert.ok(key! in settings, `${folder}: ${kind}.${key} is provisioned`);
    }
  };
  checkRoutes(
    'datasource-plugin',
    datasources.find((ds) => ds.uid === 'hydra')!,
  );
  checkRoutes('app-plugin', apps[0]!);
});
