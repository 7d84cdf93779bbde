// Preload entry: `node --import @game-scheduler/telemetry/register main.js`. Starts OpenTelemetry
// from the OTEL_* variables before the service's own code is imported. Worker threads inherit the
// preload flag; telemetry runs on the main thread only.
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  const [{ initTelemetry }, { readTelemetryEnv }] = await Promise.all([
    import('./init.ts'),
    import('./otel-env.ts'),
  ]);
  const env = readTelemetryEnv();
  await initTelemetry(env.serviceName ?? 'unknown_service', { env });
}
