// The slash commands as Discord registers them (deploy-commands sends these). Handlers live beside
// them, one file per command; this file is only what Discord shows.
import {
  ApplicationCommandOptionType,
  ChannelType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';

export const COMMAND_NAMES = ['create-game', 'list-games', 'my-games', 'cancel-game'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

const guildOnly: { contexts: InteractionContextType[] } = {
  contexts: [InteractionContextType.Guild],
};

export const COMMANDS: readonly (RESTPostAPIChatInputApplicationCommandsJSONBody & {
  name: CommandName;
})[] = [
  {
    name: 'create-game',
    description: 'Schedule a game in this channel',
    ...guildOnly,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'title',
        description: 'What is played',
        required: true,
        max_length: 200,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'date',
        description: 'Day of the game, e.g. 2026-03-29',
        required: true,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'time',
        description: 'Start time, e.g. 19:30 or 7:30pm (your time zone, else the server’s)',
        required: true,
      },
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'duration',
        description: 'Length in minutes (default 120)',
        min_value: 5,
        max_value: 7 * 24 * 60,
      },
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'max-players',
        description: 'Player cap; later players go on the waitlist',
        min_value: 1,
        max_value: 1000,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'reminders',
        description: 'Minutes before the start to remind players, e.g. 60,15',
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'description',
        description: 'Details for the players',
        max_length: 2000,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'where',
        description: 'Where it happens (voice channel, address, server)',
        max_length: 200,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'time-zone',
        description: 'IANA time zone of the date and time, e.g. Europe/Berlin',
      },
    ],
  },
  {
    name: 'list-games',
    description: 'Upcoming games in this channel, another channel, or the whole server',
    ...guildOnly,
    options: [
      {
        type: ApplicationCommandOptionType.Channel,
        name: 'channel',
        description: 'Another channel (default: this one)',
        channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'whole-server',
        description: 'List the games of every channel',
      },
    ],
  },
  {
    name: 'my-games',
    description: 'Upcoming games you host or play in',
    ...guildOnly,
  },
  {
    name: 'cancel-game',
    description: 'Cancel a game (host or bot manager)',
    ...guildOnly,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'game',
        description: 'The game id (shown under its announcement)',
        required: true,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'reason',
        description: 'Told to the players',
        max_length: 1000,
      },
    ],
  },
];
