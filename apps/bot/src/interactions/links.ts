// Links and short lines the bot's replies share.
import type { Game } from '@game-scheduler/db';

export function messageLink(guildId: string, channelId: string, messageId: string): string {
  return `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;
}

/** `<t:…:F>`: the instant in each reader's own time zone. */
export function when(instant: Date | string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  return `<t:${String(Math.floor(date.getTime() / 1000))}:F>`;
}

/** One line of a game list: title (linked to its announcement), start, players. */
export function gameLine(
  game: Pick<Game, 'title' | 'guildId' | 'channelId' | 'messageId' | 'maxPlayers'> & {
    readonly startsAt: Date | string;
  },
  confirmed: number,
  waitlist: number,
  suffix = '',
): string {
  const title =
    game.messageId === null
      ? `**${game.title}**`
      : `[**${game.title}**](${messageLink(game.guildId, game.channelId, game.messageId)})`;
  const cap = game.maxPlayers === null ? '' : `/${String(game.maxPlayers)}`;
  const waiting = waitlist > 0 ? ` (+${String(waitlist)} waiting)` : '';
  return `• ${title} — ${when(game.startsAt)} — ${String(confirmed)}${cap} players${waiting}${suffix}`;
}
