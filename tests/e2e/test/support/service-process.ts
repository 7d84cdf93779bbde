// One of our services as a real process, started the way `npm run dev` starts it: from its sources,
// with the telemetry preload (`--import @game-scheduler/telemetry/register`).
import {
  appDirectory,
  startService as startProcess,
  type ServiceProcess as Process,
} from '@game-scheduler/testing';

export { freePort } from '@game-scheduler/testing';

export type ServiceName = 'api' | 'notification-daemon' | 'status-transition-daemon';

/** The log message each service writes once it is serving. */
const STARTED: Record<ServiceName, string> = {
  api: 'API started',
  'notification-daemon': 'Notification daemon started',
  'status-transition-daemon': 'Status-transition daemon started',
};

export interface ServiceProcess extends Process {
  readonly name: ServiceName;
}

export async function startService(
  name: ServiceName,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  const service = await startProcess({
    cwd: appDirectory(name),
    env: { OTEL_SERVICE_NAME: name, ...env },
    startedMessage: STARTED[name],
  });
  return { ...service, name };
}
