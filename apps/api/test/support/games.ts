// Small helpers for the game tests: requests as a signed-in user and reading the outbox.
import type { LightMyRequestResponse } from 'fastify';
import { ANNOUNCEMENTS_CHANNEL, GUILD_ID, type Harness } from './harness.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface GameBody {
  id: string;
  title: string;
  status: string;
  maxPlayers: number | null;
  startsAt: string;
  roster: { confirmed: { userId: string | null }[]; waitlist: { userId: string | null }[] };
}

export function inHours(hours: number): string {
  return new Date(Date.now() + hours * 3_600_000).toISOString();
}

export function as(h: Harness, cookie: string) {
  return (method: Method, url: string, payload?: unknown): Promise<LightMyRequestResponse> =>
    h.app.inject({
      method,
      url,
      headers: { cookie },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
}

export function newGame(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    guildId: GUILD_ID,
    channelId: ANNOUNCEMENTS_CHANNEL,
    title: 'Catan night',
    startsAt: inHours(24),
    durationMinutes: 120,
    maxPlayers: 4,
    reminderMinutes: [60, 15],
    ...overrides,
  };
}

export function ids(list: { userId: string | null }[]): (string | null)[] {
  return list.map((p) => p.userId);
}

export interface OutboxPayload {
  type: string;
  payload: Record<string, unknown>;
}

/** The outbox events written for a game, oldest first. */
export async function outboxFor(h: Harness, gameId: string): Promise<OutboxPayload[]> {
  const rows = await h.prisma.outboxEvent.findMany({ orderBy: { createdAt: 'asc' } });
  return rows
    .map((row) => row.payload as unknown as OutboxPayload)
    .filter((event) => event.payload['gameId'] === gameId);
}
