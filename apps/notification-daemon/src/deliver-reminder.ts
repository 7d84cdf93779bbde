// The scheduler's handler for one due reminder row: every participant of the game (confirmed and
// waitlisted; placeholders have no one to tell) gets the reminder once, by DM, or by a mention in the
// game's channel when their DMs are closed (Discord 50007).
//
// Exactly once towards Discord is at-least-once plus deduplication, with the window made as small as
// we can. Per reminder, in this order:
//   1. read the game, its roster and which users have a delivery on record in ONE statement on the
//      claiming transaction: it fails if the transaction no longer holds the row (a timed-out claim
//      could be taken over by another replica), and then nothing is sent; users delivered are skipped;
//   2. commit the INTENTS of all remaining users in one statement (delivery-ledger.ts);
//   3. per user (a few at a time): if the intent already existed, an earlier attempt died somewhere
//      between its intent and its delivery record: look for that message in Discord (the DM
//      channel, then the game channel: same nonce or same text) and, if it is there, only record it;
//   4. send, with a nonce derived from the key and `enforce_nonce` (Discord itself drops a repeat of
//      the same nonce within a few minutes); a send more than CLAIM_PROOF_MS after the claim was
//      last seen held checks it again first (slow Discord calls, retries);
//   5. commit the DELIVERIES of the reminder's users in one statement once its sends are over (not
//      with the claiming transaction), those of a failed reminder too.
// A crash after 5 loses nothing and repeats nothing. A crash between 2 and 5 is resolved by step 3 on
// the next attempt. What remains: a message Discord accepted but that step 3 cannot see (more than 50
// newer messages in the game channel, or deleted by the user) would be sent again — and on Discord the
// nonce still catches a repeat within its window. Record-then-send without step 3 would instead lose
// reminders on a crash, which we prefer not to.
import { DomainError, computeRoster, type Participant } from '@game-scheduler/domain';
import type { DueRowHandler } from '@game-scheduler/scheduler';
import {
  Attr,
  AttrValues,
  Metrics,
  createCounter,
  createHistogram,
  type Logger,
} from '@game-scheduler/telemetry';
import { createHash } from 'node:crypto';
import {
  CANNOT_SEND_TO_USER,
  discordErrorCode,
  type DiscordMessage,
  type ReminderDiscord,
} from './discord-client.ts';
import {
  intentId,
  type DeliveryKey,
  type DeliveryLedger,
  type DeliveryMethod,
} from './delivery-ledger.ts';
import { fallbackText, reminderText } from './reminder-text.ts';

/** Messages read back per channel when checking whether an interrupted send went through. */
export const RECONCILE_LOOKBACK = 50;

/**
 * Participants of one reminder served at the same time. Each user's delivery is independent (its
 * own intent, send and delivery record), and Discord round trips dominate, so a game of ten is
 * reminded in about the time of two; the REST client still holds every request to Discord's limits.
 */
export const DELIVERY_CONCURRENCY = 8;

/**
 * How long a seen claim counts as held: a send later than that after the last proof checks the
 * claiming transaction again (one `SELECT 1`) before it goes out.
 */
export const CLAIM_PROOF_MS = 1_000;

/**
 * The game, its participants (one row each; one row of NULLs when there are none) and whether each
 * user already has this reminder's delivery, read on the claiming transaction.
 */
const LOAD_REMINDER_SQL = `
  SELECT g.status::text AS status, g.title, g.starts_at, g."where", g.channel_id, g.max_players,
         p.user_id, p.display_name, p.join_sequence, p.joined_at,
         d.user_id IS NOT NULL AS delivered
    FROM games g
    LEFT JOIN participants p ON p.game_id = g.id
    LEFT JOIN reminder_deliveries d
      ON d.game_id = g.id AND d.reminder_minutes = $2::int AND d.user_id = p.user_id
   WHERE g.id = $1::uuid`;

interface ReminderRow {
  readonly status: string;
  readonly title: string;
  readonly starts_at: Date;
  readonly where: string | null;
  readonly channel_id: string;
  readonly max_players: number | null;
  readonly user_id: string | null;
  readonly display_name: string | null;
  readonly join_sequence: number | null;
  readonly joined_at: Date | null;
  readonly delivered: boolean;
}

/** Runs `work` for every item, at most `limit` at a time, in the items' order. */
async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

const REMINDER = AttrValues.notificationType.reminder;

export interface ReminderHandlerDeps {
  readonly discord: ReminderDiscord;
  readonly ledger: DeliveryLedger;
  readonly logger?: Pick<Logger, 'info' | 'warn' | 'debug'>;
  /** See CLAIM_PROOF_MS (tests: 0 checks the claim before every send). */
  readonly claimProofMs?: number;
}

interface Target {
  readonly userId: string;
  /** 1-based place on the waitlist, null when confirmed. */
  readonly waitlistPosition: number | null;
}

type RosterEntry = Participant & { readonly userId?: string | null };

/** Discord's nonce (at most 25 characters), the same for every attempt at one delivery. */
export function deliveryNonce(key: DeliveryKey): string {
  return createHash('sha256').update(intentId(key)).digest('base64url').slice(0, 25);
}

function targetsOf(maxPlayers: number | null, rows: readonly ReminderRow[]): Target[] {
  const entries: RosterEntry[] = [];
  for (const p of rows) {
    if (p.join_sequence === null || p.joined_at === null) continue; // a game without participants
    entries.push(
      p.user_id === null
        ? {
            kind: 'placeholder',
            displayName: p.display_name ?? '',
            position: p.join_sequence,
            joinedAt: p.joined_at,
          }
        : { kind: 'user', userId: p.user_id, position: p.join_sequence, joinedAt: p.joined_at },
    );
  }
  const roster = computeRoster(maxPlayers, entries);
  const targets: Target[] = [];
  for (const entry of roster.confirmed) {
    if (entry.kind === 'user') targets.push({ userId: entry.userId, waitlistPosition: null });
  }
  roster.waitlist.forEach((entry, index) => {
    if (entry.kind === 'user') targets.push({ userId: entry.userId, waitlistPosition: index + 1 });
  });
  return targets;
}

/**
 * Whether a reminder is still worth sending for a game in `status`. The reminder at the start
 * (0 minutes before) is due at the very moment the status daemon starts the game, so it is sent for a
 * game already IN_PROGRESS too; every other reminder only while the game is SCHEDULED.
 */
export function stillWanted(status: string, reminderMinutes: number): boolean {
  return status === 'SCHEDULED' || (status === 'IN_PROGRESS' && reminderMinutes === 0);
}

export function createReminderHandler(deps: ReminderHandlerDeps): DueRowHandler<unknown> {
  const { discord, ledger, logger } = deps;
  const claimProofMs = deps.claimProofMs ?? CLAIM_PROOF_MS;
  const sent = createCounter(Metrics.remindersSent);
  const lateness = createHistogram(Metrics.reminderLateness);

  function matches(message: DiscordMessage, nonce: string, content: string): boolean {
    return message.nonce === nonce || message.content === content;
  }

  /** Discord refuses this user's DMs (closed, or no shared guild): use the channel instead. */
  function dmsRefused(error: unknown): boolean {
    return discordErrorCode(error) === CANNOT_SEND_TO_USER;
  }

  /** The DM channel with `userId`, or null when Discord refuses to open one. */
  async function dmChannelOf(userId: string): Promise<string | null> {
    try {
      return await discord.openDm(userId);
    } catch (error) {
      if (dmsRefused(error)) return null;
      throw error;
    }
  }

  /** Where an interrupted earlier attempt left the message, if it did. */
  async function findEarlierSend(
    dmChannelId: string | null,
    gameChannelId: string,
    nonce: string,
    text: string,
    userId: string,
  ): Promise<DeliveryMethod | null> {
    if (dmChannelId !== null) {
      const dms = await discord.recentMessages(dmChannelId, RECONCILE_LOOKBACK);
      if (dms.some((message) => matches(message, nonce, text))) return 'DM';
    }
    const channel = await discord.recentMessages(gameChannelId, RECONCILE_LOOKBACK);
    const mention = fallbackText(userId, text);
    if (channel.some((message) => matches(message, nonce, mention))) return 'CHANNEL_MENTION';
    return null;
  }

  async function send(
    dmChannelId: string | null,
    gameChannelId: string,
    nonce: string,
    text: string,
    userId: string,
  ): Promise<DeliveryMethod> {
    if (dmChannelId !== null) {
      try {
        await discord.sendMessage(dmChannelId, { content: text, nonce, enforce_nonce: true });
        return 'DM';
      } catch (error) {
        if (!dmsRefused(error)) throw error;
      }
    }
    await discord.sendMessage(gameChannelId, {
      content: fallbackText(userId, text),
      nonce,
      enforce_nonce: true,
      allowed_mentions: { users: [userId] },
    });
    return 'CHANNEL_MENTION';
  }

  return async (row, { sql, span }) => {
    const gameId = String(row.values.game_id);
    const reminderMinutes = Number(row.values.reminder_minutes);
    span.setAttributes({ [Attr.notificationType]: REMINDER, [Attr.gameId]: gameId });
    // On the claiming transaction: throws if the claim is gone (transaction closed), and then
    // nothing is sent.
    const rows = await sql.query<ReminderRow>(LOAD_REMINDER_SQL, [gameId, reminderMinutes]);
    let claimSeenAt = Date.now();
    const game = rows[0];
    if (game === undefined || !stillWanted(game.status, reminderMinutes)) {
      logger?.info({ gameId, reminderMinutes }, 'Game no longer scheduled; reminder dropped');
      return;
    }
    const delivered = new Set<string>();
    for (const r of rows) if (r.delivered && r.user_id !== null) delivered.add(r.user_id);
    const targets = targetsOf(game.max_players, rows).filter(
      (target) => !delivered.has(target.userId),
    );
    if (targets.length === 0) return;
    const keyOf = (userId: string): DeliveryKey => ({
      gameId,
      reminderMinutes,
      dueAt: row.dueAt,
      userId,
    });
    const firstTries = await ledger.recordIntents(targets.map((target) => keyOf(target.userId)));

    // One re-check of the claim at a time, shared by the sends waiting for it.
    let claimCheck: Promise<void> | null = null;
    async function claimStillHeld(): Promise<void> {
      if (Date.now() - claimSeenAt < claimProofMs) return;
      claimCheck ??= sql.query('SELECT 1 AS claimed').then(
        () => {
          claimSeenAt = Date.now();
          claimCheck = null;
        },
        (error: unknown) => {
          claimCheck = null;
          throw error;
        },
      );
      await claimCheck;
    }

    const done: { key: DeliveryKey; method: DeliveryMethod }[] = [];
    const failures: { userId: string; error: unknown }[] = [];
    // The words are the same for every confirmed player; the waitlisted get their place.
    const confirmedText = reminderText({
      title: game.title,
      startsAt: game.starts_at,
      minutesBefore: reminderMinutes,
      where: game.where,
      waitlistPosition: null,
    });
    await forEachConcurrently(targets, DELIVERY_CONCURRENCY, async (target) => {
      const key = keyOf(target.userId);
      const text =
        target.waitlistPosition === null
          ? confirmedText
          : reminderText({
              title: game.title,
              startsAt: game.starts_at,
              minutesBefore: reminderMinutes,
              where: game.where,
              waitlistPosition: target.waitlistPosition,
            });
      const nonce = deliveryNonce(key);
      try {
        const dmChannelId = await dmChannelOf(target.userId);
        const earlier = firstTries.has(target.userId)
          ? null
          : await findEarlierSend(dmChannelId, game.channel_id, nonce, text, target.userId);
        let method = earlier;
        if (method === null) {
          // Throws if the claim is gone: then we must not send.
          await claimStillHeld();
          method = await send(dmChannelId, game.channel_id, nonce, text, target.userId);
        }
        done.push({ key, method });
        if (earlier === null) {
          const channel =
            method === 'DM'
              ? AttrValues.notificationChannel.dm
              : AttrValues.notificationChannel.fallback;
          sent.add(1, { [Attr.notificationChannel]: channel, [Attr.notificationType]: REMINDER });
          lateness.record(Math.max(0, (Date.now() - row.dueAt.getTime()) / 1000), {
            [Attr.notificationType]: REMINDER,
          });
        }
        logger?.debug(
          { gameId, reminderMinutes, userId: target.userId, method, recovered: earlier !== null },
          'Reminder delivered',
        );
      } catch (error) {
        failures.push({ userId: target.userId, error });
      }
    });
    // What went out is on record even when other users of this reminder failed.
    await ledger.recordDeliveries(done);
    if (failures.length > 0) {
      const [first] = failures;
      const reason = first?.error instanceof Error ? first.error.message : String(first?.error);
      throw new DomainError(
        'DEPENDENCY_UNAVAILABLE',
        `${String(failures.length)} of ${String(targets.length)} reminders could not be delivered: ${reason}`,
        { cause: first?.error, details: { userIds: failures.map((f) => f.userId) } },
      );
    }
  };
}
