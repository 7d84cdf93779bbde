// grafana/scripts/push-to-grafana-cloud.ts run as a user runs it, against a small local HTTP
// server standing in for Grafana and Grafana Cloud's Prometheus ruler.
import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadDashboards, loadRuleFiles, paths } from '../src/index.ts';

const run = promisify(execFile);
const script = join(paths.packageRoot, 'scripts', 'push-to-grafana-cloud.ts');

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let base = '';
let received: Received[] = [];
let failPath: string | undefined;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
      });
      const fail = failPath !== undefined && (request.url ?? '').startsWith(failPath);
      response.writeHead(fail ? 500 : 200, { 'Content-Type': 'application/json' });
      response.end(fail ? '{"message":"boom"}' : '{"status":"success"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received = [];
  failPath = undefined;
});

async function push(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('GRAFANA')),
  ) as Record<string, string>;
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args], {
      env: { ...clean, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const credentials = {
  GRAFANA_SERVICE_ACCOUNT_TOKEN: 'glsa_token',
  GRAFANA_CLOUD_PROMETHEUS_INSTANCE_ID: '222222',
  GRAFANA_CLOUD_API_KEY: 'glc_rules_key',
};

describe('push-to-grafana-cloud', () => {
  it('with --dry-run lists every dashboard and rule group it would send, and sends nothing', async () => {
    const { code, stdout } = await push(['--dry-run'], {
      GRAFANA_URL: base,
      GRAFANA_CLOUD_PROMETHEUS_ENDPOINT: `${base}/api/prom/push`,
    });
    expect(code).toBe(0);
    for (const { dashboard } of loadDashboards()) {
      expect(stdout).toContain(`POST ${base}/api/dashboards/db  dashboard ${dashboard.uid}`);
    }
    for (const group of loadRuleFiles().flatMap((file) => file.groups)) {
      expect(stdout).toContain(
        `POST ${base}/api/prom/config/v1/rules/game-scheduler  rule group ${group.name}`,
      );
    }
    expect(stdout).toContain('A real run also needs GRAFANA_SERVICE_ACCOUNT_TOKEN');
    expect(received).toEqual([]);
  });

  it('pushes the dashboards to the Grafana API and each rule group to the ruler, with their credentials', async () => {
    const { code, stdout, stderr } = await push([], {
      GRAFANA_URL: `${base}/`,
      GRAFANA_CLOUD_PROMETHEUS_ENDPOINT: `${base}/api/prom/push`,
      ...credentials,
    });
    expect(code, stderr).toBe(0);
    expect(stdout).not.toContain('glc_rules_key');

    const [folder, ...rest] = received;
    expect(folder).toMatchObject({ method: 'POST', url: '/api/folders' });
    expect(JSON.parse(folder?.body ?? '{}')).toEqual({
      uid: 'game-scheduler',
      title: 'Game Scheduler',
    });

    const dashboards = rest.filter((request) => request.url === '/api/dashboards/db');
    expect(
      dashboards
        .map(
          (request) => (JSON.parse(request.body) as { dashboard: { uid: string } }).dashboard.uid,
        )
        .sort(),
    ).toEqual(
      loadDashboards()
        .map((file) => file.dashboard.uid)
        .sort(),
    );
    for (const request of dashboards) {
      expect(request.headers.authorization).toBe('Bearer glsa_token');
      expect(JSON.parse(request.body)).toMatchObject({
        overwrite: true,
        folderUid: 'game-scheduler',
        dashboard: { id: null },
      });
    }

    const rules = rest.filter((request) => request.url.startsWith('/api/prom/config/v1/rules/'));
    const groups = loadRuleFiles().flatMap((file) => file.groups);
    expect(rules.length).toBe(groups.length);
    for (const request of rules) {
      expect(request.url).toBe('/api/prom/config/v1/rules/game-scheduler');
      expect(request.headers['content-type']).toBe('application/yaml');
      expect(request.headers.authorization).toBe(
        `Basic ${Buffer.from('222222:glc_rules_key').toString('base64')}`,
      );
    }
    expect(rules.map((request) => parse(request.body) as unknown)).toEqual(groups);
  });

  it('stops and exits non-zero when the ruler refuses a group', async () => {
    failPath = '/api/prom/config/v1/rules/';
    const { code, stdout } = await push([], {
      GRAFANA_URL: base,
      GRAFANA_CLOUD_PROMETHEUS_ENDPOINT: `${base}/api/prom/push`,
      ...credentials,
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(/FAIL 500 POST .*\/config\/v1\/rules\/game-scheduler/);
    expect(received.filter((request) => request.url.includes('/config/v1/rules/')).length).toBe(1);
  });

  it('refuses to run without its settings, naming what is missing', async () => {
    const { code, stderr } = await push([], { GRAFANA_URL: base });
    expect(code).toBe(2);
    expect(stderr).toContain('GRAFANA_CLOUD_PROMETHEUS_ENDPOINT');
    expect(stderr).toContain('GRAFANA_SERVICE_ACCOUNT_TOKEN');
    expect(received).toEqual([]);
  });
});
