// Signing a user in to the API through the local Discord's OAuth2 page, as a browser would: the API's
// login redirects to the authorize page, the page (told which user with `user_id`) grants and
// redirects to the API's callback, which answers with the session cookie. Tests, benchmarks and the
// traffic generator sign users in this way; it is its own export (`@game-scheduler/discord-sim/sign-in`)
// so that a client does not load the simulator.

export interface SignInOptions {
  /** The API's base URL, e.g. http://127.0.0.1:3000. */
  readonly apiUrl: string;
  readonly userId: string;
  /**
   * Where this process reaches the local Discord, when it differs from the address the API
   * redirects browsers to (containers): the authorize redirect is sent there, and the callback
   * back to `apiUrl`.
   */
  readonly simUrl?: string;
}

function requireLocation(response: Response, step: string): string {
  const location = response.headers.get('location');
  if (response.status < 300 || response.status > 399 || location === null) {
    throw new Error(`sign-in ${step}: expected a redirect, got HTTP ${String(response.status)}`);
  }
  return location;
}

/** The same path and query on another base. */
function rebase(location: string, base: string | undefined): URL {
  const target = new URL(location, base);
  if (base === undefined) return target;
  const rebased = new URL(base);
  rebased.pathname = target.pathname;
  rebased.search = target.search;
  return rebased;
}

/** Signs `userId` in and returns the session cookie as `name=value`, ready for a Cookie header. */
export async function signInThroughSim(options: SignInOptions): Promise<string> {
  const { apiUrl, userId, simUrl } = options;
  const start = await fetch(`${apiUrl}/api/v1/auth/login`, { redirect: 'manual' });
  const authorize = rebase(requireLocation(start, 'login'), simUrl);
  authorize.searchParams.set('user_id', userId);
  const granted = await fetch(authorize, { redirect: 'manual' });
  const callback = rebase(
    requireLocation(granted, 'authorize'),
    simUrl === undefined ? undefined : apiUrl,
  );
  const done = await fetch(callback, { redirect: 'manual' });
  await done.arrayBuffer();
  const cookie = (done.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (cookie === '') {
    throw new Error(
      `sign-in of ${userId}: the callback answered HTTP ${String(done.status)} without a session`,
    );
  }
  return cookie;
}
