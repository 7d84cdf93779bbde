// The container healthcheck of every Node process in the compose stack (`node docker/healthcheck.ts`).
//
// - With a URL argument it is healthy when the URL answers 2xx (the local Discord's /_sim/health).
// - For the API (API_PORT set) it asks GET /ready, which checks PostgreSQL, Redis and RabbitMQ.
// - For the bot and the daemons, which serve no HTTP, it is healthy when this container holds a
//   PostgreSQL connection whose application_name starts with the service's name (OTEL_SERVICE_NAME):
//   the process started, passed its configuration and reached its database, and is still connected.
//
// Exit code 0 = healthy, 1 = unhealthy (with one line saying why), as Docker expects. It runs the
// same way outside Docker, so the tests run it against real processes.
import { networkInterfaces } from 'node:os';
import pg from 'pg';

export interface ConnectionCheck {
  databaseUrl: string;
  /** application_name prefix of the process's connections (its OTEL_SERVICE_NAME). */
  applicationName: string;
  /** Addresses the connection may come from; by default every address of this host/container. */
  clientAddresses?: readonly string[];
}

export function localAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .map((entry) => entry.address);
}

/** True when a backend of `applicationName…` is connected from one of the client addresses. */
export async function hasDatabaseConnection(check: ConnectionCheck): Promise<boolean> {
  const client = new pg.Client({
    connectionString: check.databaseUrl,
    application_name: 'healthcheck',
    connectionTimeoutMillis: 3000,
  });
  await client.connect();
  try {
    const addresses = check.clientAddresses ?? localAddresses();
    const result = await client.query<{ connected: boolean }>(
      `SELECT EXISTS (
         SELECT 1 FROM pg_stat_activity
          WHERE starts_with(application_name, $1)
            AND (client_addr IS NULL OR host(client_addr) = ANY($2::text[]))
       ) AS connected`,
      [check.applicationName, addresses],
    );
    return result.rows[0]?.connected === true;
  } finally {
    await client.end();
  }
}

export async function answersOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
  await response.arrayBuffer();
  return response.ok;
}

/** What to check, from the arguments and the environment the service itself runs with. */
export function healthcheckTarget(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { kind: 'http'; url: string } | { kind: 'database'; check: ConnectionCheck } {
  const [url] = args;
  if (url !== undefined) return { kind: 'http', url };
  if (env.API_PORT !== undefined && env.API_PORT !== '') {
    return { kind: 'http', url: `http://127.0.0.1:${env.API_PORT}/ready` };
  }
  const databaseUrl = env.DATABASE_URL;
  const applicationName = env.OTEL_SERVICE_NAME;
  if (!databaseUrl || !applicationName) {
    throw new Error('DATABASE_URL and OTEL_SERVICE_NAME must be set (or pass a URL to check)');
  }
  return { kind: 'database', check: { databaseUrl, applicationName } };
}

export async function runHealthcheck(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ healthy: boolean; reason: string }> {
  const target = healthcheckTarget(args, env);
  if (target.kind === 'http') {
    const healthy = await answersOk(target.url);
    return { healthy, reason: `${target.url} ${healthy ? 'answers' : 'does not answer'} 2xx` };
  }
  const healthy = await hasDatabaseConnection(target.check);
  return {
    healthy,
    reason: `${target.check.applicationName} ${healthy ? 'holds' : 'holds no'} PostgreSQL connection from this container`,
  };
}

if (import.meta.main) {
  try {
    const { healthy, reason } = await runHealthcheck(process.argv.slice(2), process.env);
    process.stdout.write(`${reason}\n`);
    process.exitCode = healthy ? 0 : 1;
  } catch (error) {
    process.stdout.write(`unhealthy: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
