// Where the observability files live in the repository, resolved from this package.
import { fileURLToPath } from 'node:url';

const packageRoot = new URL('../', import.meta.url);

export const paths = {
  packageRoot: fileURLToPath(packageRoot),
  dashboards: fileURLToPath(new URL('dashboards/', packageRoot)),
  alerts: fileURLToPath(new URL('alerts/', packageRoot)),
  alertTests: fileURLToPath(new URL('alerts/tests/', packageRoot)),
  provisioning: fileURLToPath(new URL('provisioning/', packageRoot)),
  alloyConfig: fileURLToPath(new URL('../grafana-alloy/config.alloy', packageRoot)),
} as const;
