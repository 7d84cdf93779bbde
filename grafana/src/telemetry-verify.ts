// `npm run telemetry:verify`: for a user with the stack running, checks the telemetry path end to end
// and says in plain words what is wrong.
//
//   1. sends one test span, one log record and one metric point to the OTLP/HTTP endpoint (Alloy's
//      4318, or Grafana Cloud's gateway with --cloud) and expects 200 for each;
//   2. reads Alloy's own metrics (its 12345 port): data accepted and refused by the receiver, sent
//      and failed by the exporter, samples that remote write failed to deliver — and waits for the
//      test data to be accepted and for the exporter to either send it or fail;
//   3. asks Alloy for each prometheus.scrape component's targets and checks that every one is up.
import { randomBytes } from 'node:crypto';
import { parseExposition, type Sample } from './prometheus/exposition.ts';

export type CheckStatus = 'ok' | 'fail' | 'warn';

export interface Check {
  status: CheckStatus;
  /** One sentence a person can act on. */
  message: string;
}

export interface VerifyOptions {
  /** Base OTLP/HTTP URL (`/v1/traces` etc. are appended), e.g. http://127.0.0.1:4318 */
  otlpEndpoint: string;
  /** Alloy's HTTP server, e.g. http://127.0.0.1:12345; null skips the Alloy checks (--cloud). */
  alloyUrl: string | null;
  /** Basic auth for the OTLP endpoint (Grafana Cloud: OTLP instance id and token). */
  basicAuth?: { username: string; password: string };
  /** How long to wait for Alloy's counters to move after the test data is sent. */
  settleMs?: number;
  pollIntervalMs?: number;
  /** The service.name the test data carries. */
  serviceName?: string;
}

const SIGNALS = ['traces', 'logs', 'metrics'] as const;
type Signal = (typeof SIGNALS)[number];

const WORD: Record<Signal, string> = {
  traces: 'span',
  logs: 'log record',
  metrics: 'metric point',
};

function nowNanos(): string {
  return `${String(Date.now())}000000`;
}

/** OTLP/JSON bodies for one span, one log record and one gauge point. */
export function testPayloads(serviceName: string): Record<Signal, unknown> {
  const resource = {
    attributes: [{ key: 'service.name', value: { stringValue: serviceName } }],
  };
  const scope = { name: '@game-scheduler/telemetry-verify' };
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  const time = nowNanos();
  return {
    traces: {
      resourceSpans: [
        {
          resource,
          scopeSpans: [
            {
              scope,
              spans: [
                {
                  traceId,
                  spanId,
                  name: 'telemetry.verify',
                  kind: 1,
                  startTimeUnixNano: time,
                  endTimeUnixNano: time,
                },
              ],
            },
          ],
        },
      ],
    },
    logs: {
      resourceLogs: [
        {
          resource,
          scopeLogs: [
            {
              scope,
              logRecords: [
                {
                  timeUnixNano: time,
                  severityNumber: 9,
                  severityText: 'INFO',
                  body: { stringValue: 'telemetry:verify test log record' },
                  traceId,
                  spanId,
                },
              ],
            },
          ],
        },
      ],
    },
    metrics: {
      resourceMetrics: [
        {
          resource,
          scopeMetrics: [
            {
              scope,
              metrics: [
                {
                  name: 'telemetry.verify',
                  unit: '1',
                  gauge: { dataPoints: [{ timeUnixNano: time, asInt: '1' }] },
                },
              ],
            },
          ],
        },
      ],
    },
  };
}

/** What an HTTP status from an OTLP endpoint means, in words. */
export function explainOtlpStatus(status: number, endpoint: string, cloud: boolean): string {
  switch (status) {
    case 401:
      return cloud
        ? `${endpoint} answered 401 Unauthorized: the instance ID does not belong to this endpoint, or the token is wrong. Use the instance ID of the OpenTelemetry tile (GRAFANA_CLOUD_INSTANCE_ID), not the Prometheus one, with the endpoint of the same tile.`
        : `${endpoint} answered 401 Unauthorized: whatever answers there wants credentials. Alloy's receiver needs none, so this is not Alloy (is another collector on the port?), or, for Grafana Cloud, the instance ID does not match the endpoint.`;
    case 403:
      return `${endpoint} answered 403 Forbidden: the token is valid but lacks the write scope for this signal (an access policy with metrics:write, logs:write and traces:write is needed).`;
    case 404:
      return `${endpoint} answered 404: the URL is wrong (it must be the OTLP base URL, without /v1/traces; Grafana Cloud's ends in /otlp).`;
    case 413:
      return `${endpoint} answered 413: the request is too large.`;
    case 429:
    case 503:
      return `${endpoint} answered ${String(status)}: the receiver is overloaded or refusing data (Alloy's memory limiter); try again, and check Alloy's memory.`;
    default:
      return `${endpoint} answered ${String(status)}.`;
  }
}

async function send(
  options: VerifyOptions,
  signal: Signal,
  body: unknown,
): Promise<{ status: number } | { error: string }> {
  const url = `${options.otlpEndpoint.replace(/\/+$/, '')}/v1/${signal}`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.basicAuth !== undefined) {
    const { username, password } = options.basicAuth;
    headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    return { status: response.status };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { error: cause ?? (error instanceof Error ? error.message : String(error)) };
  }
}

/** Sum of a counter over all its series, under either of its names (with or without `_total`). */
export function counterValue(samples: readonly Sample[], name: string): number {
  const names = new Set([name, name.replace(/_total$/, '')]);
  return samples
    .filter((sample) => names.has(sample.name))
    .reduce((total, sample) => total + sample.value, 0);
}

const COUNTERS = {
  accepted: {
    traces: 'otelcol_receiver_accepted_spans_total',
    logs: 'otelcol_receiver_accepted_log_records_total',
    metrics: 'otelcol_receiver_accepted_metric_points_total',
  },
  refused: {
    traces: 'otelcol_receiver_refused_spans_total',
    logs: 'otelcol_receiver_refused_log_records_total',
    metrics: 'otelcol_receiver_refused_metric_points_total',
  },
  sent: {
    traces: 'otelcol_exporter_sent_spans_total',
    logs: 'otelcol_exporter_sent_log_records_total',
    metrics: 'otelcol_exporter_sent_metric_points_total',
  },
  failed: {
    traces: 'otelcol_exporter_send_failed_spans_total',
    logs: 'otelcol_exporter_send_failed_log_records_total',
    metrics: 'otelcol_exporter_send_failed_metric_points_total',
  },
} as const;

type Counts = Record<keyof typeof COUNTERS, Record<Signal, number>> & { remoteWriteFailed: number };

async function readAlloyCounts(alloyUrl: string): Promise<Counts> {
  const response = await fetch(`${alloyUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`GET ${alloyUrl}/metrics answered ${String(response.status)}`);
  const samples = parseExposition(await response.text());
  const per = (kind: keyof typeof COUNTERS): Record<Signal, number> => ({
    traces: counterValue(samples, COUNTERS[kind].traces),
    logs: counterValue(samples, COUNTERS[kind].logs),
    metrics: counterValue(samples, COUNTERS[kind].metrics),
  });
  return {
    accepted: per('accepted'),
    refused: per('refused'),
    sent: per('sent'),
    failed: per('failed'),
    remoteWriteFailed: counterValue(samples, 'prometheus_remote_storage_samples_failed_total'),
  };
}

export interface ScrapeTarget {
  component: string;
  job: string;
  url: string;
  up: boolean;
  lastError: string;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Every object in Alloy's component debug info that describes a scrape target. */
export function scrapeTargetsIn(component: string, detail: unknown): ScrapeTarget[] {
  const found: ScrapeTarget[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    const record = asRecord(value);
    if (record === undefined) return;
    const health = record.health ?? record.state;
    const url = record.url ?? record.endpoint ?? record.scrape_url;
    if (typeof health === 'string' && typeof url === 'string') {
      const lastError = record.last_error ?? record.lastError ?? '';
      found.push({
        component,
        job: typeof record.job === 'string' ? record.job : '',
        url,
        up: health.toLowerCase() === 'up',
        lastError: typeof lastError === 'string' ? lastError : '',
      });
      return;
    }
    Object.values(record).forEach(visit);
  };
  visit(detail);
  return found;
}

async function readScrapeTargets(alloyUrl: string): Promise<ScrapeTarget[]> {
  const list = await fetch(`${alloyUrl}/api/v0/web/components`, {
    signal: AbortSignal.timeout(5_000),
  });
  if (!list.ok) throw new Error(`GET /api/v0/web/components answered ${String(list.status)}`);
  const components = (await list.json()) as unknown[];
  const scrapes = components
    .map((component) => asRecord(component))
    .map((component) => component?.localID ?? component?.id)
    .filter((id): id is string => typeof id === 'string' && id.startsWith('prometheus.scrape.'));
  const targets: ScrapeTarget[] = [];
  for (const id of scrapes) {
    const detail = await fetch(`${alloyUrl}/api/v0/web/components/${encodeURIComponent(id)}`, {
      signal: AbortSignal.timeout(5_000),
    });
    if (!detail.ok)
      throw new Error(`GET /api/v0/web/components/${id} answered ${String(detail.status)}`);
    const found = scrapeTargetsIn(id, await detail.json());
    targets.push(
      ...(found.length > 0
        ? found
        : [{ component: id, job: '', url: '', up: false, lastError: 'no target discovered' }]),
    );
  }
  return targets;
}

function delta(after: Counts, before: Counts, kind: keyof typeof COUNTERS, signal: Signal): number {
  return after[kind][signal] - before[kind][signal];
}

export async function verifyTelemetry(options: VerifyOptions): Promise<Check[]> {
  const checks: Check[] = [];
  const cloud = options.alloyUrl === null;
  const settleMs = options.settleMs ?? 20_000;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const alloyUrl = options.alloyUrl?.replace(/\/+$/, '') ?? null;

  let before: Counts | undefined;
  if (alloyUrl !== null) {
    try {
      before = await readAlloyCounts(alloyUrl);
    } catch (error) {
      checks.push({
        status: 'fail',
        message: `Cannot read Alloy's own metrics at ${alloyUrl}/metrics (${error instanceof Error ? error.message : String(error)}): is the stack running (docker compose ps) and port 12345 published?`,
      });
    }
  }

  const payloads = testPayloads(options.serviceName ?? 'telemetry-verify');
  const acceptedSignals: Signal[] = [];
  for (const signal of SIGNALS) {
    const result = await send(options, signal, payloads[signal]);
    if ('error' in result) {
      checks.push({
        status: 'fail',
        message:
          result.error === 'ECONNREFUSED'
            ? `Nothing listens at ${options.otlpEndpoint} (connection refused): Alloy is not running or its port 4318 is not published; start the stack with docker compose up.`
            : `Could not send a test ${WORD[signal]} to ${options.otlpEndpoint}: ${result.error}.`,
      });
    } else if (result.status >= 200 && result.status < 300) {
      acceptedSignals.push(signal);
      checks.push({
        status: 'ok',
        message: `A test ${WORD[signal]} was accepted by ${options.otlpEndpoint} (${String(result.status)}).`,
      });
    } else {
      checks.push({
        status: 'fail',
        message: `The test ${WORD[signal]} was refused: ${explainOtlpStatus(result.status, options.otlpEndpoint, cloud)}`,
      });
    }
  }

  if (alloyUrl === null || before === undefined) return checks;

  // Wait for Alloy to count what it accepted, and for its exporter to send or fail it (the batch
  // processor holds data up to 10 s).
  const deadline = Date.now() + settleMs;
  let after = before;
  for (;;) {
    after = await readAlloyCounts(alloyUrl);
    const settled = acceptedSignals.every(
      (signal) =>
        delta(after, before, 'accepted', signal) > 0 &&
        delta(after, before, 'sent', signal) + delta(after, before, 'failed', signal) > 0,
    );
    if (settled || Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }

  for (const signal of acceptedSignals) {
    const word = WORD[signal];
    if (delta(after, before, 'accepted', signal) <= 0) {
      checks.push({
        status: 'fail',
        message: `Alloy answered 200 but its receiver counted no accepted ${word}s: the port may not be Alloy's.`,
      });
    }
    if (delta(after, before, 'refused', signal) > 0) {
      checks.push({
        status: 'fail',
        message: `Alloy's receiver refused ${word}s: its memory limiter is dropping data (give the container more memory).`,
      });
    }
    const failed = delta(after, before, 'failed', signal);
    const sent = delta(after, before, 'sent', signal);
    if (failed > 0) {
      checks.push({
        status: 'fail',
        message: `Alloy could not deliver ${word}s to Grafana (${String(failed)} failed). Its log (docker compose logs grafana-alloy) has the reason: a 401 means GRAFANA_CLOUD_INSTANCE_ID does not match GRAFANA_CLOUD_OTLP_ENDPOINT (use the OpenTelemetry tile's ID, not the Prometheus one), a 403 a token without write scope, "no such host" or "connection refused" a wrong endpoint or, locally, the lgtm service not running.`,
      });
    } else if (sent > 0) {
      checks.push({ status: 'ok', message: `Alloy delivered the test ${word} to Grafana.` });
    } else {
      checks.push({
        status: 'warn',
        message: `Alloy has neither delivered nor failed the test ${word} yet (its batch waits up to 10 s); run the check again in a minute.`,
      });
    }
  }
  const remoteWriteFailed = after.remoteWriteFailed;
  if (remoteWriteFailed > 0) {
    checks.push({
      status: 'fail',
      message: `Prometheus remote write has failed ${String(remoteWriteFailed)} samples since Alloy started: a 401 in Alloy's log means GRAFANA_CLOUD_PROMETHEUS_INSTANCE_ID does not match GRAFANA_CLOUD_PROMETHEUS_ENDPOINT (the Prometheus tile's ID, not the OpenTelemetry one).`,
    });
  } else {
    checks.push({ status: 'ok', message: 'Prometheus remote write has failed no samples.' });
  }

  try {
    const targets = await readScrapeTargets(alloyUrl);
    for (const target of targets) {
      checks.push(
        target.up
          ? {
              status: 'ok',
              message: `Scrape target ${target.job || target.component} (${target.url}) is up.`,
            }
          : {
              status: 'fail',
              message: `Scrape target ${target.job || target.component}${target.url === '' ? '' : ` (${target.url})`} is down: ${target.lastError || 'no error given'}.`,
            },
      );
    }
  } catch (error) {
    checks.push({
      status: 'fail',
      message: `Cannot list Alloy's scrape targets (${error instanceof Error ? error.message : String(error)}).`,
    });
  }
  return checks;
}
