// `npm run telemetry:verify` (root): checks that telemetry reaches Grafana through the running stack.
//
//   node grafana/scripts/telemetry-verify.ts [--otlp URL] [--alloy URL] [--cloud]
//
//   --otlp   OTLP/HTTP base URL (default http://127.0.0.1:4318, Alloy's published port)
//   --alloy  Alloy's HTTP server (default http://127.0.0.1:12345)
//   --cloud  send the test data straight to Grafana Cloud's OTLP gateway instead, with the
//            credentials Alloy uses (GRAFANA_CLOUD_OTLP_ENDPOINT, GRAFANA_CLOUD_INSTANCE_ID,
//            GRAFANA_CLOUD_AUTH_TOKEN or GRAFANA_CLOUD_API_KEY): checks the credentials themselves.
// Exit status 0 when every check passes, 1 otherwise.
import { parseArgs } from 'node:util';
import { verifyTelemetry } from '../src/telemetry-verify.ts';

const { values } = parseArgs({
  options: {
    otlp: { type: 'string', default: 'http://127.0.0.1:4318' },
    alloy: { type: 'string', default: 'http://127.0.0.1:12345' },
    cloud: { type: 'boolean', default: false },
    'settle-ms': { type: 'string', default: '20000' },
  },
});

const env = process.env;
let options: Parameters<typeof verifyTelemetry>[0];
if (values.cloud) {
  const endpoint = env.GRAFANA_CLOUD_OTLP_ENDPOINT ?? '';
  const username = env.GRAFANA_CLOUD_INSTANCE_ID ?? '';
  const password = env.GRAFANA_CLOUD_AUTH_TOKEN || env.GRAFANA_CLOUD_API_KEY || '';
  const missing = [
    endpoint === '' ? 'GRAFANA_CLOUD_OTLP_ENDPOINT' : '',
    username === '' ? 'GRAFANA_CLOUD_INSTANCE_ID' : '',
    password === '' ? 'GRAFANA_CLOUD_AUTH_TOKEN or GRAFANA_CLOUD_API_KEY' : '',
  ].filter((name) => name !== '');
  if (missing.length > 0) {
    console.error(`telemetry:verify --cloud: set ${missing.join(', ')} (see RUNTIME_CONFIG.md)`);
    process.exit(2);
  }
  options = { otlpEndpoint: endpoint, alloyUrl: null, basicAuth: { username, password } };
} else {
  options = {
    otlpEndpoint: values.otlp,
    alloyUrl: values.alloy,
    settleMs: Number(values['settle-ms']),
  };
}

const checks = await verifyTelemetry(options);
const mark = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;
for (const check of checks) console.log(`${mark[check.status]}  ${check.message}`);
const failed = checks.filter((check) => check.status === 'fail').length;
console.log(
  failed === 0
    ? '\nTelemetry reaches Grafana. Queries to find it: grafana/QUERIES.md'
    : `\n${String(failed)} check(s) failed.`,
);
process.exitCode = failed === 0 ? 0 : 1;
