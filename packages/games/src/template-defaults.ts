// A game request completed from a template: what the request leaves out, the template supplies.
import type { GameTemplate } from '@game-scheduler/db';
import { DomainError } from '@game-scheduler/domain';

/** What a client may send to create a game; with a template most fields are optional. */
export interface CreateGameRequest {
  readonly guildId: string;
  readonly templateId?: string | undefined;
  readonly channelId?: string | undefined;
  readonly title?: string | undefined;
  readonly description?: string | null | undefined;
  readonly where?: string | null | undefined;
  readonly startsAt: string;
  readonly durationMinutes?: number | undefined;
  readonly maxPlayers?: number | null | undefined;
  readonly reminderMinutes?: readonly number[] | undefined;
}

/** A complete game to create. */
export interface CreateGameInput {
  readonly guildId: string;
  readonly channelId: string;
  readonly title: string;
  readonly description: string | null;
  readonly where: string | null;
  readonly startsAt: string;
  readonly durationMinutes: number;
  readonly maxPlayers: number | null;
  readonly reminderMinutes: readonly number[];
  readonly templateId: string | null;
}

function required<T>(value: T | null | undefined, field: string): T {
  if (value === undefined || value === null) {
    throw new DomainError('VALIDATION', `${field} is required (the template has none)`, {
      details: { field },
    });
  }
  return value;
}

export function completeFromTemplate(
  request: CreateGameRequest,
  template: GameTemplate | null,
): CreateGameInput {
  const pick = <T>(value: T | undefined, fallback: T): T =>
    value === undefined ? fallback : value;
  return {
    guildId: request.guildId,
    channelId: required(request.channelId ?? template?.channelId, 'channelId'),
    title: required(request.title ?? template?.name, 'title'),
    description: pick(request.description, template?.description ?? null),
    where: pick(request.where, template?.where ?? null),
    startsAt: request.startsAt,
    durationMinutes: required(
      request.durationMinutes ?? template?.durationMinutes,
      'durationMinutes',
    ),
    maxPlayers: pick(request.maxPlayers, template?.maxPlayers ?? null),
    reminderMinutes: pick(request.reminderMinutes, template?.reminderMinutes ?? []),
    templateId: template?.id ?? null,
  };
}
