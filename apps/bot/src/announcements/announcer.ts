// Keeps each game's announcement in step with the database. Requests for one game are coalesced:
// the first of a burst waits `delayMs`, then ONE write renders the game as it is at that moment and
// answers every request that arrived meanwhile (requests made during a write are served by the next
// one). Writes of one game never overlap, so a game is posted at most once; @discordjs/rest waits out
// 429s, and requests arriving while it waits join the next write. A deleted announcement is posted
// again. The write runs in the trace of the first request of its round, linked to the others.
// A write that fails (Discord answering 5xx past @discordjs/rest's own retries, say) is tried again
// after 1 s, 5 s and 30 s, so an announcement does not stay stale after a Discord outage; idle()
// (shutdown) drops the retries still waiting.
import type { PrismaClient } from '@game-scheduler/db';
import { recordAnnouncement, rosterOf } from '@game-scheduler/games';
import {
  Attr,
  AttrValues,
  Metrics,
  SpanNames,
  createCounter,
  withSpan,
  type Logger,
} from '@game-scheduler/telemetry';
import { context, trace, type Context, type Link } from '@opentelemetry/api';
import type { BotDiscord } from '../discord/bot-discord.ts';
import { discordErrorCode } from '../discord/traced-rest.ts';
import { announcementMessage } from './announcement-message.ts';

/** Discord's "Unknown Message" and "Unknown Channel": the announcement is gone. */
const GONE = new Set<number | string>([10008, 10003]);

/** `post-only`: post the announcement if the game has none yet, never edit an existing one. */
export type RefreshMode = 'render' | 'post-only';

export type AnnouncementWrite = 'posted' | 'edited' | 'reposted' | 'unchanged' | 'no-game';

export interface Announcer {
  /** Resolves once a write that reflects the game as of this call has finished. */
  refresh(gameId: string, mode?: RefreshMode): Promise<AnnouncementWrite>;
  /** The message id to link to, once posted. */
  messageIdOf(gameId: string): Promise<string | null>;
  /** Waits for every write in progress or pending (shutdown: failed writes are not tried again). */
  idle(): Promise<void>;
}

export interface AnnouncerDeps {
  readonly prisma: PrismaClient;
  readonly discord: BotDiscord;
  readonly delayMs: number;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'debug'>;
  /** Waits before each new try after a failed write; then it is given up until the next change. */
  readonly retryDelaysMs?: readonly number[];
}

export const ANNOUNCEMENT_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000];

interface Waiter {
  resolve(write: AnnouncementWrite): void;
  reject(error: unknown): void;
}

interface Round {
  readonly context: Context;
  readonly links: Link[];
  readonly waiters: Waiter[];
  postOnly: boolean;
}

interface GameQueue {
  pending: Round | null;
  running: Promise<void> | null;
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

/** Resolves after `ms`, or as soon as `signal` aborts. */
const sleepUnless = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

export function createAnnouncer(deps: AnnouncerDeps): Announcer {
  const { prisma, discord, logger } = deps;
  const queues = new Map<string, GameQueue>();
  const writes = createCounter(Metrics.discordAnnouncementWrites);
  const retryDelaysMs = deps.retryDelaysMs ?? ANNOUNCEMENT_RETRY_DELAYS_MS;
  const stopping = new AbortController();

  async function write(gameId: string, round: Round): Promise<AnnouncementWrite> {
    const game = await prisma.game.findUnique({
      where: { id: gameId },
      include: { participants: true },
    });
    if (game === null) return 'no-game';
    if (round.postOnly && game.messageId !== null) return 'unchanged';
    const body = announcementMessage(game, rosterOf(game.maxPlayers, game.participants));
    let action: 'posted' | 'edited' | 'reposted' = 'posted';
    if (game.messageId !== null) {
      try {
        await discord.editMessage(game.channelId, game.messageId, body);
        action = 'edited';
      } catch (error) {
        const code = discordErrorCode(error);
        if (code === undefined || !GONE.has(code)) throw error;
        logger.info({ gameId, messageId: game.messageId }, 'Announcement was deleted; reposting');
        action = 'reposted';
      }
    }
    if (action !== 'edited') {
      const messageId = await discord.postMessage(game.channelId, body);
      await recordAnnouncement(prisma, gameId, messageId);
    }
    writes.add(1, { [Attr.announcementAction]: AttrValues.announcementAction[action] });
    return action;
  }

  async function drain(gameId: string, queue: GameQueue): Promise<void> {
    let failures = 0;
    while (queue.pending !== null) {
      if (deps.delayMs > 0) await sleep(deps.delayMs);
      const round = queue.pending;
      queue.pending = null;
      try {
        const result = await context.with(round.context, () =>
          withSpan(
            SpanNames.announcementUpdate,
            {
              [Attr.gameId]: gameId,
              [Attr.announcementCoalesced]: round.waiters.length,
            },
            async (span) => {
              const done = await write(gameId, round);
              if (done !== 'unchanged' && done !== 'no-game') {
                span.setAttribute(Attr.announcementAction, done);
              }
              return done;
            },
            { links: round.links },
          ),
        );
        for (const waiter of round.waiters) waiter.resolve(result);
        failures = 0;
      } catch (error) {
        const delayMs = stopping.signal.aborted ? undefined : retryDelaysMs[failures];
        failures += 1;
        logger.warn(
          { err: error, gameId, attempt: failures, retryInMs: delayMs ?? null },
          delayMs === undefined
            ? 'Announcement write failed; giving up until the game changes again'
            : 'Announcement write failed; trying again',
        );
        for (const waiter of round.waiters) waiter.reject(error);
        if (delayMs !== undefined) {
          await sleepUnless(delayMs, stopping.signal);
          // A request that arrived meanwhile writes the game as it is now anyway.
          if (!stopping.signal.aborted) {
            queue.pending ??= {
              context: round.context,
              links: round.links,
              waiters: [],
              postOnly: round.postOnly,
            };
          }
        }
      }
    }
  }

  function start(gameId: string, queue: GameQueue): void {
    queue.running = drain(gameId, queue).finally(() => {
      queue.running = null;
      // A request may have arrived between the last round and here.
      if (queue.pending === null) queues.delete(gameId);
      else start(gameId, queue);
    });
  }

  return {
    refresh(gameId, mode = 'render') {
      let queue = queues.get(gameId);
      if (queue === undefined) {
        queue = { pending: null, running: null };
        queues.set(gameId, queue);
      }
      const active = trace.getSpanContext(context.active());
      let round = queue.pending;
      if (round === null) {
        round = { context: context.active(), links: [], waiters: [], postOnly: true };
        queue.pending = round;
      } else if (active !== undefined) {
        round.links.push({ context: active });
      }
      round.postOnly &&= mode === 'post-only';
      const settled = new Promise<AnnouncementWrite>((resolve, reject) => {
        round.waiters.push({ resolve, reject });
      });
      if (queue.running === null) start(gameId, queue);
      return settled;
    },

    async messageIdOf(gameId) {
      const game = await prisma.game.findUnique({
        where: { id: gameId },
        select: { messageId: true },
      });
      return game?.messageId ?? null;
    },

    async idle() {
      stopping.abort();
      for (;;) {
        const running = [...queues.values()].flatMap((q) =>
          q.running === null ? [] : [q.running],
        );
        if (running.length === 0) return;
        await Promise.all(running);
      }
    },
  };
}
