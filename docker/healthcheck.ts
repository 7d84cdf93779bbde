// The container healthcheck of every Node process in the compose stack (`node docker/healthcheck.ts`).
//
// - With a URL argument it is healthy when the URL answers 2xx (the local Discord's /_sim/health).
// - For the API (API_PORT set) it asks GET /ready on API_PORT, which checks PostgreSQL, Redis and
//   RabbitMQ.
// - For the bot and the daemons (HEALTH_PORT set) it asks GET /ready of their readiness server
//   (packages/telemetry/src/readiness.ts): PostgreSQL and RabbitMQ, and the bot's Discord gateway.
//   A 503 names what is down; it is printed with the verdict.
//
// Exit code 0 = healthy, 1 = unhealthy (with one line saying why), as Docker expects. It runs the
// same way outside Docker, so the tests run it against real processes.

export interface Answer {
  ok: boolean;
  status: number;
  /** What a 503 of /ready says is down (its error message), when it says so. */
  detail: string | undefined;
}

export async function ask(url: string): Promise<Answer> {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
  const text = await response.text();
  let detail: string | undefined;
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') detail = body.error.message;
  } catch {
    // not JSON: the status says enough
  }
  return { ok: response.ok, status: response.status, detail };
}

/** What to check, from the arguments and the environment the service itself runs with. */
export function healthcheckTarget(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): string {
  const [url] = args;
  if (url !== undefined) return url;
  for (const name of ['API_PORT', 'HEALTH_PORT'] as const) {
    const port = env[name]?.trim();
    if (port === undefined || port === '') continue;
    if (port === '0') {
      throw new Error(`${name}=0 lets the service pick its port: set the port to check`);
    }
    return `http://127.0.0.1:${port}/ready`;
  }
  throw new Error('API_PORT or HEALTH_PORT must be set (or pass a URL to check)');
}

export async function runHealthcheck(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ healthy: boolean; reason: string }> {
  const url = healthcheckTarget(args, env);
  const answer = await ask(url);
  const said = answer.detail === undefined ? '' : ` (${answer.detail})`;
  return {
    healthy: answer.ok,
    reason: `${url} ${answer.ok ? 'answers' : 'does not answer'} 2xx: ${String(answer.status)}${said}`,
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
