// Plans and sends what grafana/scripts/push-to-grafana-cloud.ts pushes: the dashboards through
// Grafana's HTTP API (/api/dashboards/db) and each alert rule group through Grafana Cloud's
// Prometheus ruler API (POST <prometheus>/config/v1/rules/<namespace>, one YAML group per request).
import { stringify } from 'yaml';
import type { RuleFile } from './alert-rules.ts';
import type { DashboardFile } from './dashboards.ts';

export interface PushTarget {
  /** Grafana's URL, e.g. https://<stack>.grafana.net. */
  grafanaUrl: string;
  /** A Grafana service-account token allowed to write dashboards and folders. */
  grafanaToken: string;
  /** The Prometheus remote-write URL (…/api/prom/push) or the ruler base (…/api/prom). */
  prometheusUrl: string;
  /** The Prometheus instance id (basic-auth user of the ruler API). */
  prometheusUser: string;
  /** A token with rules:write (basic-auth password of the ruler API). */
  prometheusPassword: string;
  /** Ruler namespace for the rule groups. */
  namespace: string;
  folderUid: string;
  folderTitle: string;
}

export interface PlannedRequest {
  method: 'POST';
  url: string;
  /** What the request does, for the dry-run listing and logs. */
  summary: string;
  headers: Record<string, string>;
  body: string;
  /** Statuses that count as success besides 2xx (e.g. 409/412 for a folder that already exists). */
  alsoOk: readonly number[];
}

export interface PushResult {
  request: PlannedRequest;
  status: number;
  ok: boolean;
  responseText: string;
}

/** `https://host/api/prom/push` → `https://host/api/prom/config/v1/rules`. */
export function rulerRulesUrl(prometheusUrl: string): string {
  const base = prometheusUrl.replace(/\/+$/, '').replace(/\/push$/, '');
  return `${base}/config/v1/rules`;
}

function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export function planPush(
  target: PushTarget,
  dashboards: readonly DashboardFile[],
  ruleFiles: readonly RuleFile[],
): PlannedRequest[] {
  const grafana = target.grafanaUrl.replace(/\/+$/, '');
  const grafanaHeaders = {
    Authorization: `Bearer ${target.grafanaToken}`,
    'Content-Type': 'application/json',
  };
  const requests: PlannedRequest[] = [
    {
      method: 'POST',
      url: `${grafana}/api/folders`,
      summary: `folder ${target.folderUid} (${target.folderTitle})`,
      headers: grafanaHeaders,
      body: JSON.stringify({ uid: target.folderUid, title: target.folderTitle }),
      alsoOk: [409, 412],
    },
  ];
  for (const { dashboard } of dashboards) {
    requests.push({
      method: 'POST',
      url: `${grafana}/api/dashboards/db`,
      summary: `dashboard ${dashboard.uid} (${dashboard.title})`,
      headers: grafanaHeaders,
      body: JSON.stringify({
        dashboard: { ...dashboard, id: null },
        folderUid: target.folderUid,
        overwrite: true,
        message: 'Pushed from the repository (grafana/dashboards)',
      }),
      alsoOk: [],
    });
  }
  const rulesUrl = `${rulerRulesUrl(target.prometheusUrl)}/${encodeURIComponent(target.namespace)}`;
  for (const ruleFile of ruleFiles) {
    for (const group of ruleFile.groups) {
      requests.push({
        method: 'POST',
        url: rulesUrl,
        summary: `rule group ${group.name} from ${ruleFile.file} (${group.rules.length} rules)`,
        headers: {
          Authorization: basicAuth(target.prometheusUser, target.prometheusPassword),
          'Content-Type': 'application/yaml',
        },
        body: stringify(group),
        alsoOk: [],
      });
    }
  }
  return requests;
}

/** One line per request, credentials left out. */
export function describePlan(requests: readonly PlannedRequest[]): string[] {
  return requests.map((request) => `${request.method} ${request.url}  ${request.summary}`);
}

/** Sends the requests in order; stops at the first failure. */
export async function executePlan(
  requests: readonly PlannedRequest[],
  fetchImpl: typeof fetch = fetch,
): Promise<PushResult[]> {
  const results: PushResult[] = [];
  for (const request of requests) {
    const response = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
    });
    const responseText = await response.text();
    const ok = response.ok || request.alsoOk.includes(response.status);
    results.push({ request, status: response.status, ok, responseText });
    if (!ok) break;
  }
  return results;
}
