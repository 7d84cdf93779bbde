import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  ButtonBuilder,
  ButtonStyle,
  MessageFlags,
} from 'discord.js';
import type { Client, Interaction } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordSim, demoScenario } from '../src/index.ts';
import type { DiscordSim } from '../src/index.ts';
import { loginClient, players } from './helpers.ts';

const guildId = '1300000000000000201';
const channelId = '1300000000000000402';

/** A tiny bot written against plain discord.js: what the real bot does, in miniature. */
async function handle(interaction: Interaction): Promise<void> {
  if (interaction.isChatInputCommand() && interaction.commandName === 'create-game') {
    await interaction.deferReply();
    const title = interaction.options.getString('title', true);
    const cap = interaction.options.getInteger('max-players') ?? 0;
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('join').setLabel('Join').setStyle(ButtonStyle.Primary),
    );
    await interaction.editReply({
      content: `${title} (max ${cap}) by ${interaction.member?.user.id ?? '?'}`,
      components: [row],
    });
  }
  if (interaction.isButton() && interaction.customId === 'join') {
    await interaction.update({
      content: `${interaction.message.content}\nJoined: <@${interaction.user.id}>`,
      components: [],
    });
    await interaction.user.send('You joined the game.');
  }
  if (interaction.isChatInputCommand() && interaction.commandName === 'ping') {
    await interaction.reply({ content: 'pong', flags: MessageFlags.Ephemeral });
  }
}

describe('a discord.js Client against the simulator', () => {
  let sim: DiscordSim;
  let client: Client<true>;

  beforeAll(async () => {
    sim = await createDiscordSim({ scenario: demoScenario });
    client = await loginClient(sim);
    client.on('interactionCreate', (interaction) => {
      void handle(interaction);
    });
    await client.application.commands.set(
      [
        {
          name: 'create-game',
          description: 'Create a game',
          options: [
            {
              type: ApplicationCommandOptionType.String,
              name: 'title',
              description: 'Title',
              required: true,
            },
            { type: ApplicationCommandOptionType.Integer, name: 'max-players', description: 'Cap' },
          ],
        },
        { name: 'ping', description: 'Ping' },
      ],
      guildId,
    );
  });

  afterAll(async () => {
    await client.destroy();
    await sim.close();
  });

  it('logs in through GET /gateway/bot and receives the guild with its channels, roles and members', () => {
    const guild = client.guilds.cache.get(guildId);
    expect(guild?.name).toBe('Game Night');
    expect(guild?.channels.cache.get(channelId)?.name).toBe('game-announcements');
    expect(guild?.roles.cache.find((r) => r.name === 'Game Host')).toBeDefined();
    expect(guild?.members.cache.get(players.host.id)?.nickname).toBe('Hana (host)');
    expect(sim.calls({ method: 'GET', route: '/gateway/bot' })).toHaveLength(1);
    expect(sim.gatewayConnectionCount).toBe(1);
  });

  it('stores the commands the bot registers with a bulk overwrite', () => {
    const put = sim.calls({
      method: 'PUT',
      route: '/applications/:applicationId/guilds/:guildId/commands',
    });
    expect(put).toHaveLength(1);
    expect(sim.commands(guildId).map((c) => c.name)).toEqual(['create-game', 'ping']);
  });

  it('runs a slash command with options, a deferred reply, a button click that updates the message, and a DM', async () => {
    const command = sim.runSlashCommand({
      userId: players.host.id,
      channelId,
      name: 'create-game',
      options: { title: 'Catan', 'max-players': 4 },
    });
    expect(command.payload.data).toMatchObject({
      name: 'create-game',
      type: 1,
      options: [
        { name: 'title', type: 3, value: 'Catan' },
        { name: 'max-players', type: 4, value: 4 },
      ],
    });

    const deferred = await sim.waitForInteractionResponse(command.id);
    expect(deferred.responses[0]?.type).toBe(5);
    const announcement = await sim.waitFor(() => {
      const message = sim.originalResponse(command.id);
      return message && message.content !== '' ? message : undefined;
    });
    expect(announcement.content).toBe(`Catan (max 4) by ${players.host.id}`);
    expect(sim.messages(channelId).map((m) => m.id)).toContain(announcement.id);

    const click = sim.clickButton({
      userId: players.pat.id,
      messageId: announcement.id as string,
      customId: 'join',
    });
    const dm = await sim.waitForDm(players.pat.id);
    expect(dm.content).toBe('You joined the game.');
    const dmCall = await sim.waitForCall({
      method: 'POST',
      route: '/channels/:channelId/messages',
    });
    expect(dmCall.params.channelId).toBe(dm.channel_id);
    expect(sim.interaction(click.id)?.responses.map((r) => r.type)).toEqual([7]);
    expect(sim.message(announcement.id as string)).toMatchObject({
      content: `Catan (max 4) by ${players.host.id}\nJoined: <@${players.pat.id}>`,
      components: [],
    });

    const flow = sim
      .calls(
        (c) =>
          c.seq >
          (sim.calls({ route: '/applications/:applicationId/guilds/:guildId/commands' })[0]?.seq ??
            0),
      )
      .map((c) => `${c.method} ${c.route ?? c.path} ${c.status}`);
    expect(flow).toEqual([
      'POST /interactions/:interactionId/:interactionToken/callback 204',
      'PATCH /webhooks/:applicationId/:interactionToken/messages/:messageId 200',
      'POST /interactions/:interactionId/:interactionToken/callback 204',
      'POST /users/@me/channels 200',
      'POST /channels/:channelId/messages 200',
    ]);
    const edit = sim.calls({
      method: 'PATCH',
      route: '/webhooks/:applicationId/:interactionToken/messages/:messageId',
    })[0];
    expect(edit?.params.messageId).toBe('@original');
    expect(edit?.params.interactionToken).toBe(command.token);
  });

  it('keeps an ephemeral reply out of the channel history', async () => {
    const ping = sim.runSlashCommand({ userId: players.pat.id, channelId, name: 'ping' });
    await sim.waitForInteractionResponse(ping.id);
    const reply = sim.originalResponse(ping.id);
    expect(reply).toMatchObject({ content: 'pong', flags: 64 });
    expect(sim.messages(channelId).some((m) => m.id === reply?.id)).toBe(false);
  });

  it('refuses to run a command that the bot never registered', () => {
    expect(() => sim.runSlashCommand({ userId: players.pat.id, channelId, name: 'nope' })).toThrow(
      /not registered|no chat-input/,
    );
  });
});
