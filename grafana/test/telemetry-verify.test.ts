// telemetry:verify against a local OTLP receiver standing in for Alloy's 4318, and a small HTTP
// server standing in for Alloy's own 12345 (its /metrics counters and its component API), healthy
// and broken in the ways a user meets.
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startOtlpReceiver, type OtlpReceiver } from '@game-scheduler/telemetry/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { paths, verifyTelemetry, type Check } from '../src/index.ts';
import { freePort } from '@game-scheduler/testing';

const run = promisify(execFile);

interface AlloyState {
  failedExports: boolean;
  remoteWriteFailed: number;
  targets: { job: string; url: string; health: string; last_error: string }[];
}

let receiver: OtlpReceiver;
let alloy: Server;
let alloyUrl = '';
const state: AlloyState = { failedExports: false, remoteWriteFailed: 0, targets: [] };

/** Alloy's counters as it would show them after receiving what the receiver received. */
function alloyMetrics(): string {
  const accepted = {
    spans: receiver.spans().length,
    log_records: receiver.logs().length,
    metric_points: receiver.metrics().reduce((n, metric) => n + metric.dataPoints.length, 0),
  };
  const lines: string[] = [];
  for (const [signal, count] of Object.entries(accepted)) {
    lines.push(
      `otelcol_receiver_accepted_${signal}_total{receiver="otlp",transport="http"} ${String(count)}`,
      `otelcol_receiver_refused_${signal}_total{receiver="otlp",transport="http"} 0`,
      `otelcol_exporter_sent_${signal}_total{exporter="otlphttp"} ${String(state.failedExports ? 0 : count)}`,
      `otelcol_exporter_send_failed_${signal}_total{exporter="otlphttp"} ${String(state.failedExports ? count : 0)}`,
    );
  }
  lines.push(`prometheus_remote_storage_samples_failed_total ${String(state.remoteWriteFailed)}`);
  return `${lines.join('\n')}\n`;
}

const healthyTargets = [
  {
    job: 'integrations/postgres_exporter',
    url: 'http://127.0.0.1:1/metrics',
    health: 'up',
    last_error: '',
  },
  {
    job: 'integrations/rabbitmq',
    url: 'http://rabbitmq:15692/metrics/per-object',
    health: 'up',
    last_error: '',
  },
];

function statuses(checks: Check[]): string[] {
  return checks.map((check) => check.status);
}

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  alloy = createServer((request, response) => {
    const path = request.url ?? '/';
    if (path === '/metrics') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end(alloyMetrics());
    } else if (path === '/api/v0/web/components') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify([
          { localID: 'otelcol.receiver.otlp.default', health: { state: 'healthy' } },
          { localID: 'prometheus.scrape.postgres', health: { state: 'healthy' } },
        ]),
      );
    } else if (path === '/api/v0/web/components/prometheus.scrape.postgres') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          localID: 'prometheus.scrape.postgres',
          debugInfo: [{ targets: state.targets }],
        }),
      );
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => alloy.listen(0, '127.0.0.1', resolve));
  alloyUrl = `http://127.0.0.1:${String((alloy.address() as AddressInfo).port)}`;
});

afterEach(() => {
  receiver.reset();
  state.failedExports = false;
  state.remoteWriteFailed = 0;
  state.targets = healthyTargets;
});

afterAll(async () => {
  await receiver.close();
  await new Promise((resolve) => alloy.close(resolve));
});

const options = () => ({
  otlpEndpoint: receiver.url,
  alloyUrl,
  settleMs: 3_000,
  pollIntervalMs: 50,
});

describe('telemetry:verify', () => {
  it('passes when Alloy accepts the test span, log and metric, delivers them, and every target is up', async () => {
    state.targets = healthyTargets;
    const checks = await verifyTelemetry(options());
    expect(checks.filter((check) => check.status !== 'ok')).toEqual([]);
    // What it sent really is OTLP: one span, one log in that span's trace, one metric point.
    const [span] = receiver.spans();
    expect(span?.name).toBe('telemetry.verify');
    expect(receiver.logs()[0]?.traceId).toBe(span?.traceId);
    expect(receiver.metrics()[0]?.name).toBe('telemetry.verify');
    expect(checks.map((check) => check.message).join('\n')).toMatch(
      /integrations\/postgres_exporter .* is up/,
    );
  });

  it('explains a 401: the instance ID does not belong to the endpoint', async () => {
    receiver.setResponse(401);
    const checks = await verifyTelemetry({ ...options(), alloyUrl: null });
    expect(statuses(checks)).toEqual(['fail', 'fail', 'fail']);
    for (const check of checks) {
      expect(check.message).toMatch(
        /401 Unauthorized: the instance ID does not belong to this endpoint/,
      );
      expect(check.message).toContain('OpenTelemetry tile');
    }
  });

  it('says Alloy is not running when nothing listens on the OTLP port', async () => {
    const closed = `http://127.0.0.1:${String(await freePort())}`;
    const checks = await verifyTelemetry({ ...options(), otlpEndpoint: closed });
    expect(checks.filter((check) => check.status === 'fail').map((check) => check.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/connection refused.*docker compose up/)]),
    );
  });

  it('reports exports Alloy could not deliver, and what a 401 in its log means', async () => {
    state.failedExports = true;
    state.remoteWriteFailed = 12;
    const checks = await verifyTelemetry(options());
    const failures = checks
      .filter((check) => check.status === 'fail')
      .map((check) => check.message);
    expect(failures).toHaveLength(4);
    expect(failures[0]).toMatch(
      /could not deliver spans to Grafana .*401 means GRAFANA_CLOUD_INSTANCE_ID/,
    );
    expect(failures[3]).toMatch(
      /remote write has failed 12 samples.*GRAFANA_CLOUD_PROMETHEUS_INSTANCE_ID/,
    );
  });

  it('names a scrape target that is down, with its error', async () => {
    state.targets = [
      ...healthyTargets,
      {
        job: 'integrations/redis_exporter',
        url: 'http://redis:6379/metrics',
        health: 'down',
        last_error: 'dial tcp: lookup redis: no such host',
      },
    ];
    const checks = await verifyTelemetry(options());
    expect(checks.filter((check) => check.status === 'fail').map((check) => check.message)).toEqual(
      [
        'Scrape target integrations/redis_exporter (http://redis:6379/metrics) is down: dial tcp: lookup redis: no such host.',
      ],
    );
  });

  it('runs as `npm run telemetry:verify` and exits 1 with the explanation when the endpoint answers 401', async () => {
    receiver.setResponse(401);
    const root = join(paths.packageRoot, '..');
    const result = await run('npm', ['run', '--silent', 'telemetry:verify', '--', '--cloud'], {
      cwd: root,
      env: {
        ...process.env,
        GRAFANA_CLOUD_OTLP_ENDPOINT: receiver.url,
        GRAFANA_CLOUD_INSTANCE_ID: '123456',
        GRAFANA_CLOUD_API_KEY: 'glc_test',
      },
    }).then(
      () => ({ code: 0, output: '' }),
      (error: unknown) => {
        const failed = error as { code: number; stdout: string };
        return { code: failed.code, output: failed.stdout };
      },
    );
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/FAIL .*401 Unauthorized: the instance ID does not belong/);
    // The credentials went out as basic auth, and never into the output.
    const [request] = receiver.requests();
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from('123456:glc_test').toString('base64')}`,
    );
    expect(result.output).not.toContain('glc_test');
  });
});
