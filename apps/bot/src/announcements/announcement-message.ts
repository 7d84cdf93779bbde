// A game's announcement as Discord message JSON: an embed (title, start as Discord timestamps,
// where, host, players n/cap with the confirmed list and the waitlist, duration, status colour) and
// the Join/Leave buttons, disabled once the game can no longer change its roster.
import type { Game } from '@game-scheduler/db';
import type { Roster } from '@game-scheduler/domain';
import type { RowParticipant } from '@game-scheduler/games';
import {
  ButtonStyle,
  ComponentType,
  type APIEmbed,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';
import { buttonCustomId } from '../buttons/custom-id.ts';

export const STATUS_COLOURS: Readonly<Record<Game['status'], number>> = {
  SCHEDULED: 0x5865f2,
  IN_PROGRESS: 0x57f287,
  COMPLETED: 0x99aab5,
  CANCELLED: 0xed4245,
};

const STATUS_LABELS: Readonly<Record<Game['status'], string>> = {
  SCHEDULED: 'Scheduled',
  IN_PROGRESS: 'In progress',
  COMPLETED: 'Completed',
  CANCELLED: 'Cancelled',
};

/** Discord's limit for an embed field value. */
const FIELD_LIMIT = 1024;

/** `<t:…:F>` (absolute, in each reader's own time zone) and `<t:…:R>` (relative). */
export function discordTimestamps(instant: Date): string {
  const seconds = Math.floor(instant.getTime() / 1000);
  return `<t:${String(seconds)}:F> (<t:${String(seconds)}:R>)`;
}

export function formatDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${String(rest)} min`;
  return rest === 0 ? `${String(hours)} h` : `${String(hours)} h ${String(rest)} min`;
}

function name(participant: RowParticipant): string {
  return participant.kind === 'user' ? `<@${participant.userId}>` : participant.displayName;
}

/** Names one per line, cut to fit a field ("… and 12 more"). */
export function nameList(participants: readonly RowParticipant[], empty: string): string {
  if (participants.length === 0) return empty;
  const lines: string[] = [];
  let length = 0;
  for (const [index, participant] of participants.entries()) {
    const line = `${String(index + 1)}. ${name(participant)}`;
    const more = `… and ${String(participants.length - index)} more`;
    if (length + line.length + 1 + more.length > FIELD_LIMIT) {
      lines.push(more);
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n');
}

export function announcementMessage(
  game: Game,
  roster: Roster<RowParticipant>,
): RESTPostAPIChannelMessageJSONBody {
  const cap = game.maxPlayers === null ? '' : `/${String(game.maxPlayers)}`;
  const embed: APIEmbed = {
    title: game.title,
    color: STATUS_COLOURS[game.status],
    fields: [
      { name: 'When', value: discordTimestamps(game.startsAt) },
      { name: 'Duration', value: formatDuration(game.durationMinutes), inline: true },
      ...(game.where === null ? [] : [{ name: 'Where', value: game.where, inline: true }]),
      { name: 'Host', value: `<@${game.hostId}>`, inline: true },
      {
        name: `Players ${String(roster.confirmed.length)}${cap}`,
        value: nameList(roster.confirmed, 'Nobody yet'),
      },
      ...(roster.waitlist.length === 0
        ? []
        : [
            {
              name: `Waitlist ${String(roster.waitlist.length)}`,
              value: nameList(roster.waitlist, ''),
            },
          ]),
      { name: 'Status', value: STATUS_LABELS[game.status], inline: true },
    ],
    footer: { text: `Game ${game.id}` },
    timestamp: game.startsAt.toISOString(),
  };
  if (game.description !== null && game.description !== '') embed.description = game.description;
  const closed = game.status !== 'SCHEDULED';
  return {
    content: '',
    embeds: [embed],
    // Mentions in an embed never ping; the content is empty, so nobody is pinged by an edit.
    allowed_mentions: { parse: [] },
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Success,
            label: 'Join',
            custom_id: buttonCustomId('join', game.id),
            disabled: closed,
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: 'Leave',
            custom_id: buttonCustomId('leave', game.id),
            disabled: closed,
          },
        ],
      },
    ],
  };
}
