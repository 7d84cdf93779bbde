// The daemon as a process: `node --import @game-scheduler/telemetry/register src/main.ts`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMigratedTestDatabase } from '@game-scheduler/db/testing';
import { deleteTopology } from '@game-scheduler/messaging';
import {
  appDirectory,
  getServices,
  spawnService,
  uniqueName,
  type ProcessRun,
} from '@game-scheduler/testing';
import amqp from 'amqplib';
import { describe, expect, it } from 'vitest';
import { ROUTING_KEYS, SERVICE } from '../src/app.ts';

interface LogLine {
  level: number;
  msg: string;
  code?: string;
}

function startDaemon(env: Record<string, string>) {
  return spawnService({
    cwd: appDirectory('status-transition-daemon'),
    env: {
      OTEL_SERVICE_NAME: 'status-transition-daemon',
      // Nothing listens there: telemetry must never hold up the exit.
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
      ...env,
    },
  });
}

function logLines(stdout: string): LogLine[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

function errorLines(run: ProcessRun): LogLine[] {
  return logLines(run.stdout).filter((line) => line.level >= 50);
}

function expectNoStackTrace(run: ProcessRun): void {
  expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/\n\s+at /);
}

/** Deletes the queues and exchanges a started daemon declared in `namespace`, then its database. */
async function removeRun(namespace: string, database: { drop(): Promise<void> }): Promise<void> {
  const connection = await amqp.connect(getServices().rabbitmqUrl);
  const channel = await connection.createChannel();
  await deleteTopology(channel, {
    namespace,
    consumers: [{ service: SERVICE, routingKeys: [...ROUTING_KEYS] }],
  });
  await connection.close();
  await database.drop();
}

describe('the daemon process', () => {
  it('exits with status 1 and one clear line when DATABASE_URL is missing', async () => {
    const run = await startDaemon({ STATUS_DAEMON_BATCH_SIZE: 'lots' }).exited;
    expect(run.code).toBe(1);
    const errors = errorLines(run);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toMatch(
      /^Invalid status-transition-daemon configuration: DATABASE_URL: is required but not set; STATUS_DAEMON_BATCH_SIZE: /,
    );
    expectNoStackTrace(run);
  });

  it('exits with status 1 and one clear line when the database is unreachable', async () => {
    const run = await startDaemon({
      DATABASE_URL: 'postgresql://game:hunter2@127.0.0.1:1/game_scheduler',
      RABBITMQ_URL: getServices().rabbitmqUrl,
      RABBITMQ_NAMESPACE: uniqueName('std_unreachable'),
    }).exited;
    expect(run.code).toBe(1);
    const errors = errorLines(run);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      msg: expect.stringMatching(
        /^Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/game_scheduler: .*ECONNREFUSED/,
      ),
    });
    expect(`${run.stdout}${run.stderr}`).not.toContain('hunter2');
    expectNoStackTrace(run);
  });

  it('exits with status 1 and one clear line when HEALTH_PORT is taken', async () => {
    const services = getServices();
    const database = await createMigratedTestDatabase(services.databaseUrl, { prefix: 'std_port' });
    const namespace = uniqueName('std_port');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const run = await startDaemon({
        DATABASE_URL: database.url,
        RABBITMQ_URL: services.rabbitmqUrl,
        RABBITMQ_NAMESPACE: namespace,
        OTEL_SDK_DISABLED: 'true',
        HEALTH_PORT: String(port),
      }).exited;
      expect(run.code).toBe(1);
      const errors = errorLines(run);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({
        code: 'EADDRINUSE',
        msg: expect.stringMatching(
          new RegExp(`^Readiness server cannot listen on 0\\.0\\.0\\.0:${String(port)}: `),
        ) as unknown,
      });
      expectNoStackTrace(run);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
      await removeRun(namespace, database);
    }
  });

  it('starts against real services, answers /ready on HEALTH_PORT, and shuts down cleanly on SIGTERM', async () => {
    const services = getServices();
    const database = await createMigratedTestDatabase(services.databaseUrl, { prefix: 'std_proc' });
    const namespace = uniqueName('std_proc');
    try {
      const daemon = startDaemon({
        DATABASE_URL: database.url,
        RABBITMQ_URL: services.rabbitmqUrl,
        RABBITMQ_NAMESPACE: namespace,
        // Telemetry on (instrumentations patched, messaging tracing its own messages), exporters off:
        // there is no collector in this test.
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        // A free port, reported in the started line.
        HEALTH_PORT: '0',
      });
      const [started] = await daemon.waitForOutput(
        /\{[^\n]*"Status-transition daemon started"[^\n]*\}/,
      );
      const { healthPort } = JSON.parse(started) as { healthPort: number };
      const health = `http://127.0.0.1:${String(healthPort)}`;
      const ready = await fetch(`${health}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({
        status: 'ready',
        dependencies: { postgres: 'up', rabbitmq: 'up' },
      });
      expect(await (await fetch(`${health}/health`)).json()).toEqual({ status: 'ok' });
      daemon.child.kill('SIGTERM');
      const run = await daemon.exited;
      expect(run.code).toBe(0);
      await expect(fetch(`${health}/health`)).rejects.toThrow();
      expect(errorLines(run)).toEqual([]);
      expect(logLines(run.stdout).map((line) => line.msg)).toContain('Shutting down');
    } finally {
      await removeRun(namespace, database);
    }
  });
});
