// Pushes the dashboards (grafana/dashboards/*.json) to Grafana and the alert rules
// (grafana/alerts/*.yml) to Grafana Cloud's Prometheus ruler. With --dry-run it only prints what it
// would send.
//
//   node grafana/scripts/push-to-grafana-cloud.ts [--dry-run]
//
// Environment:
//   GRAFANA_URL                           https://<stack>.grafana.net
//   GRAFANA_SERVICE_ACCOUNT_TOKEN         service-account token (Editor) for dashboards and folders
//   GRAFANA_CLOUD_PROMETHEUS_ENDPOINT     the remote-write URL (…/api/prom/push), as for Alloy
//   GRAFANA_CLOUD_PROMETHEUS_INSTANCE_ID  the Prometheus instance id
//   GRAFANA_CLOUD_RULES_API_KEY           token with rules:write (default: GRAFANA_CLOUD_API_KEY)
//   GRAFANA_RULES_NAMESPACE               ruler namespace (default game-scheduler)
import { loadRuleFiles } from '../src/alert-rules.ts';
import { loadDashboards } from '../src/dashboards.ts';
import { describePlan, executePlan, planPush } from '../src/grafana-push.ts';

const dryRun = process.argv.includes('--dry-run');
const env = process.env;

const required = {
  GRAFANA_URL: env.GRAFANA_URL ?? '',
  GRAFANA_CLOUD_PROMETHEUS_ENDPOINT: env.GRAFANA_CLOUD_PROMETHEUS_ENDPOINT ?? '',
};
const credentials = {
  GRAFANA_SERVICE_ACCOUNT_TOKEN: env.GRAFANA_SERVICE_ACCOUNT_TOKEN ?? '',
  GRAFANA_CLOUD_PROMETHEUS_INSTANCE_ID: env.GRAFANA_CLOUD_PROMETHEUS_INSTANCE_ID ?? '',
  GRAFANA_CLOUD_RULES_API_KEY: env.GRAFANA_CLOUD_RULES_API_KEY || env.GRAFANA_CLOUD_API_KEY || '',
};

const missing = Object.entries(required)
  .filter(([, value]) => value === '')
  .map(([name]) => name);
const missingCredentials = Object.entries(credentials)
  .filter(([, value]) => value === '')
  .map(([name]) =>
    name === 'GRAFANA_CLOUD_RULES_API_KEY'
      ? 'GRAFANA_CLOUD_RULES_API_KEY (or GRAFANA_CLOUD_API_KEY)'
      : name,
  );

if (missing.length > 0 || (!dryRun && missingCredentials.length > 0)) {
  console.error(
    `push-to-grafana-cloud: missing ${[...missing, ...(dryRun ? [] : missingCredentials)].join(', ')}`,
  );
  process.exit(2);
}

const requests = planPush(
  {
    grafanaUrl: required.GRAFANA_URL,
    grafanaToken: credentials.GRAFANA_SERVICE_ACCOUNT_TOKEN,
    prometheusUrl: required.GRAFANA_CLOUD_PROMETHEUS_ENDPOINT,
    prometheusUser: credentials.GRAFANA_CLOUD_PROMETHEUS_INSTANCE_ID,
    prometheusPassword: credentials.GRAFANA_CLOUD_RULES_API_KEY,
    namespace: env.GRAFANA_RULES_NAMESPACE || 'game-scheduler',
    folderUid: 'game-scheduler',
    folderTitle: 'Game Scheduler',
  },
  loadDashboards(),
  loadRuleFiles(),
);

if (dryRun) {
  console.log(`Dry run: would send ${requests.length} requests:`);
  for (const line of describePlan(requests)) console.log(`  ${line}`);
  if (missingCredentials.length > 0) {
    console.log(`A real run also needs ${missingCredentials.join(', ')}.`);
  }
  process.exit(0);
}

const results = await executePlan(requests);
for (const result of results) {
  const mark = result.ok ? 'ok  ' : 'FAIL';
  console.log(
    `${mark} ${result.status} ${result.request.method} ${result.request.url}  ${result.request.summary}`,
  );
  if (!result.ok) console.error(result.responseText);
}
const failed = results.length < requests.length || results.some((result) => !result.ok);
process.exit(failed ? 1 : 0);
