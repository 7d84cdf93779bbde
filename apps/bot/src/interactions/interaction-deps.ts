// What every interaction handler is given: built once in createBot.
import type { PrismaClient } from '@game-scheduler/db';
import type { GameService } from '@game-scheduler/games';
import type { Logger } from '@game-scheduler/telemetry';
import type { Interaction } from 'discord.js';
import type { Announcer } from '../announcements/announcer.ts';
import type { KeyedQueue } from './keyed-queue.ts';

export interface InteractionDeps {
  readonly prisma: PrismaClient;
  readonly announcer: Announcer;
  readonly logger: Logger;
  /** The game use cases, answering membership questions about the interacting member from the interaction. */
  games(interaction: Interaction): GameService;
  /** Roster changes of one game, one at a time (see keyed-queue.ts). */
  readonly rosterQueue: KeyedQueue;
}
