// Direct messages to players about a game: promoted from the waitlist, game cancelled, removed by
// the host. A player whose DMs are closed (or who left every shared server) is skipped; any other
// failure fails the event, which the consumer retries.
import { Attr, AttrValues, SpanNames, withSpan, type Logger } from '@game-scheduler/telemetry';
import type { BotDiscord } from '../discord/bot-discord.ts';
import { discordErrorCode } from '../discord/traced-rest.ts';

/** Cannot send messages to this user; Unknown User. */
const UNREACHABLE = new Set<number | string>([50007, 10013]);

export type NoticeKind = 'promoted' | 'cancelled' | 'removed';

export interface PlayerNotices {
  send(kind: NoticeKind, userIds: readonly string[], text: string): Promise<void>;
}

export function createPlayerNotices(
  discord: BotDiscord,
  logger: Pick<Logger, 'info' | 'debug'>,
): PlayerNotices {
  return {
    async send(kind, userIds, text) {
      for (const userId of new Set(userIds)) {
        await withSpan(
          SpanNames.discordNotify,
          {
            [Attr.discordUserId]: userId,
            [Attr.notificationType]: AttrValues.notificationType[kind],
          },
          async () => {
            try {
              await discord.sendDm(userId, text);
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
