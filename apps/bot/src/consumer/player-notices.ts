// Direct messages to players about a game: promoted from the waitlist, game cancelled, removed by
// the host. A player whose DMs are closed (or who left every shared server) is skipped; any other
// failure fails the event, which the consumer retries. Each DM carries a nonce made of the event, the
// notice and the player, with `enforce_nonce`: when a retry of the event sends again the DMs that
// went out before the failure, Discord answers with those instead of delivering them twice (the
// broker's retries come within Discord's few-minute nonce window).
import { createHash } from 'node:crypto';
import { Attr, AttrValues, SpanNames, withSpan, type Logger } from '@game-scheduler/telemetry';
import type { BotDiscord } from '../discord/bot-discord.ts';
import { discordErrorCode } from '../discord/traced-rest.ts';

/** Cannot send messages to this user; Unknown User. */
const UNREACHABLE = new Set<number | string>([50007, 10013]);

export type NoticeKind = 'promoted' | 'cancelled' | 'removed';

export interface PlayerNotices {
  /** `eventId`: the event the notice is about, the same on every delivery of it. */
  send(kind: NoticeKind, userIds: readonly string[], text: string, eventId: string): Promise<void>;
}

/** Discord's nonce (at most 25 characters), the same for every attempt at one notice. */
export function noticeNonce(eventId: string, kind: NoticeKind, userId: string): string {
  return createHash('sha256')
    .update(`${eventId}:${kind}:${userId}`)
    .digest('base64url')
    .slice(0, 25);
}

export function createPlayerNotices(
  discord: BotDiscord,
  logger: Pick<Logger, 'info' | 'debug'>,
): PlayerNotices {
  return {
    async send(kind, userIds, text, eventId) {
      for (const userId of new Set(userIds)) {
        await withSpan(
          SpanNames.discordNotify,
          {
            [Attr.discordUserId]: userId,
            [Attr.notificationType]: AttrValues.notificationType[kind],
          },
          async () => {
            try {
              await discord.sendDm(userId, text, noticeNonce(eventId, kind, userId));
            } catch (error) {
              const code = discordErrorCode(error);
              if (code === undefined || !UNREACHABLE.has(code)) throw error;
              logger.info({ userId, kind, code }, 'Player not reachable by DM');
            }
          },
        );
      }
    },
  };
}
