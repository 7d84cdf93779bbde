// Demo traffic: what a handful of people in the local Discord's "Game Night" guild would do. Each
// round a host creates a game starting in a few minutes (so its reminder is sent and its status
// moves on while you watch), three players join one by one (the third lands on the waitlist), one
// leaves (the first waitlisted player is promoted), someone lists the games, someone asks for a
// game that does not exist (a 404 in the error panels), and now and then the host cancels. When
// the bot has registered its slash commands in the local Discord, a player also runs one there.
//
// Users log in like a browser does: the API's login redirects to the local Discord's OAuth2
// authorize page, which redirects back to the API's callback with a code. Both redirects name the
// URLs a browser on the host would use (localhost), so they are rebased onto the URLs this process
// reaches the API and the local Discord at (signInThroughSim with simUrl).

import { signInThroughSim } from '@game-scheduler/discord-sim/sign-in';

/** The local Discord's demo world (packages/discord-sim, demo scenario). */
export const DEMO = {
  guildId: '1300000000000000201',
  channelId: '1300000000000000402',
  host: '1300000000000000101',
  players: ['1300000000000000102', '1300000000000000103', '1300000000000000104'],
} as const;

export interface TrafficLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  debug(fields: object, message: string): void;
}

export interface TrafficOptions {
  /** Base URL of the API, e.g. http://api:3000 */
  readonly apiUrl: string;
  /** Base URL of the local Discord, e.g. http://discord-sim:4100 */
  readonly simUrl: string;
  readonly logger: TrafficLogger;
  /** Minutes from now the round's game starts (its reminder is one minute before). */
  readonly startsInMinutes?: number;
  /** Random number source in [0, 1), for which round cancels its game. */
  readonly random?: () => number;
}

export interface RoundResult {
  readonly gameId: string;
  /** Status of every API request of the round, in order. */
  readonly statuses: number[];
  readonly cancelled: boolean;
  /** True when a slash command was run in the local Discord (the bot has registered them). */
  readonly interaction: boolean;
}

export interface TrafficGenerator {
  /** Logs `userId` in through the OAuth2 flow; resolves with the session cookie. */
  login(userId: string): Promise<string>;
  /**
   * Whether the API logs users in through the local Discord's application (false when .env points
   * it at a real Discord: then there is no demo traffic to make).
   */
  usesLocalDiscord(): Promise<boolean>;
  /** One round; `startsInMinutes` overrides the option of the same name for this round. */
  round(overrides?: { startsInMinutes?: number }): Promise<RoundResult>;
}

export function createTrafficGenerator(options: TrafficOptions): TrafficGenerator {
  const { apiUrl, simUrl, logger } = options;
  const random = options.random ?? Math.random;
  const sessions = new Map<string, string>();

  const login = async (userId: string): Promise<string> => {
    const cookie = await signInThroughSim({ apiUrl, userId, simUrl });
    sessions.set(userId, cookie);
    return cookie;
  };

  const session = async (userId: string): Promise<string> =>
    sessions.get(userId) ?? (await login(userId));

  const request = async (
    statuses: number[],
    userId: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> => {
    const send = async (cookie: string): Promise<Response> =>
      fetch(`${apiUrl}/api/v1${path}`, {
        method,
        headers: {
          cookie,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    let response = await send(await session(userId));
    if (response.status === 401) {
      // The session expired (or Redis was emptied): log in again once.
      await response.arrayBuffer();
      response = await send(await login(userId));
    }
    statuses.push(response.status);
    const text = await response.text();
    return { status: response.status, json: text === '' ? null : (JSON.parse(text) as unknown) };
  };

  const slashCommand = async (userId: string): Promise<boolean> => {
    const response = await fetch(`${simUrl}/_sim/interactions/slash-command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, channelId: DEMO.channelId, name: 'list-games' }),
    });
    const text = await response.text();
    if (!response.ok) logger.debug({ status: response.status, text }, 'no slash command run');
    return response.ok;
  };

  const round = async (overrides: { startsInMinutes?: number } = {}): Promise<RoundResult> => {
    const statuses: number[] = [];
    const startsInMinutes = overrides.startsInMinutes ?? options.startsInMinutes ?? 3;
    const created = await request(statuses, DEMO.host, 'POST', '/games', {
      guildId: DEMO.guildId,
      channelId: DEMO.channelId,
      title: `Demo game ${new Date().toISOString().slice(11, 19)}`,
      startsAt: new Date(Date.now() + startsInMinutes * 60_000).toISOString(),
      durationMinutes: 2,
      maxPlayers: 2,
      reminderMinutes: [1],
    });
    const gameId = (created.json as { id?: unknown } | null)?.id;
    if (created.status !== 201 || typeof gameId !== 'string') {
      throw new Error(
        `creating a game answered ${String(created.status)}: ${JSON.stringify(created.json)}`,
      );
    }
    for (const player of DEMO.players) {
      await request(statuses, player, 'POST', `/games/${gameId}/join`);
    }
    await request(statuses, DEMO.players[0], 'POST', `/games/${gameId}/leave`);
    await request(statuses, DEMO.players[1], 'GET', `/games?guildId=${DEMO.guildId}`);
    await request(statuses, DEMO.players[2], 'GET', `/games/00000000-0000-4000-8000-000000000000`);
    const cancelled = random() < 0.2;
    if (cancelled) {
      await request(statuses, DEMO.host, 'POST', `/games/${gameId}/cancel`, { reason: 'demo' });
    }
    const interaction = await slashCommand(DEMO.players[1]);
    logger.info({ gameId, statuses, cancelled, interaction }, 'traffic round');
    return { gameId, statuses, cancelled, interaction };
  };

  const usesLocalDiscord = async (): Promise<boolean> => {
    const [start, application] = await Promise.all([
      fetch(`${apiUrl}/api/v1/auth/login`, { redirect: 'manual' }),
      fetch(`${simUrl}/_sim/application`),
    ]);
    await start.arrayBuffer();
    const { clientId } = (await application.json()) as { clientId?: unknown };
    const location = start.headers.get('location');
    if (!application.ok || location === null) return false;
    return new URL(location, apiUrl).searchParams.get('client_id') === clientId;
  };

  return { login, round, usesLocalDiscord };
}
