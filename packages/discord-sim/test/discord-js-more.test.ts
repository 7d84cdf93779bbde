import { GatewayIntentBits, MessageFlags } from 'discord.js';
import type { Client, Interaction, TextChannel } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordSim, demoScenario } from '../src/index.ts';
import type { DiscordSim } from '../src/index.ts';
import { loginClient, players } from './helpers.ts';

const guildId = '1300000000000000201';
const generalId = '1300000000000000401';

async function handle(interaction: Interaction): Promise<void> {
  if (!interaction.isChatInputCommand()) return;
  if (interaction.commandName === 'status') {
    const response = await interaction.reply({ content: 'Checking…', withResponse: true });
    await interaction.followUp({ content: 'Only you can see this', flags: MessageFlags.Ephemeral });
    const reply = await interaction.fetchReply();
    await interaction.editReply(
      `${reply.content} done (${response.resource?.message?.id ?? 'no id'})`,
    );
  }
  if (interaction.commandName === 'slow') {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await interaction.followUp('Finished');
  }
}

describe('more discord.js behaviour against the simulator', () => {
  let sim: DiscordSim;
  let client: Client<true>;

  beforeAll(async () => {
    sim = await createDiscordSim({ scenario: demoScenario });
    client = await loginClient(sim, [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMembers,
      GatewayIntentBits.GuildMessages,
    ]);
    client.on('interactionCreate', (interaction) => {
      void handle(interaction);
    });
    await client.application.commands.set([
      { name: 'status', description: 'Status' },
      { name: 'slow', description: 'Slow' },
    ]);
  });

  afterAll(async () => {
    await client.destroy();
    await sim.close();
  });

  it('replies with the callback response, follows up ephemerally, fetches and edits the reply', async () => {
    const command = sim.runSlashCommand({
      userId: players.pat.id,
      channelId: generalId,
      name: 'status',
    });

    const reply = await sim.waitFor(() => {
      const message = sim.originalResponse(command.id);
      return typeof message?.content === 'string' && message.content.endsWith(')')
        ? message
        : undefined;
    });

    expect(reply.content).toBe(`Checking… done (${String(reply.id)})`);
    const interaction = sim.interaction(command.id)!;
    expect(interaction.followupMessageIds).toHaveLength(1);
    const followup = sim.message(interaction.followupMessageIds[0]!);
    expect(followup).toMatchObject({ content: 'Only you can see this', flags: 64 });
    expect(sim.messages(generalId).map((m) => m.content)).toEqual([reply.content]);
    expect(
      sim.calls({ route: '/interactions/:interactionId/:interactionToken/callback' })[0]?.query,
    ).toEqual({
      with_response: 'true',
    });
  });

  it('turns the first follow-up after an ephemeral deferral into the reply', async () => {
    const command = sim.runSlashCommand({
      userId: players.pat.id,
      channelId: generalId,
      name: 'slow',
    });

    const reply = await sim.waitFor(() => {
      const message = sim.originalResponse(command.id);
      return message?.content === 'Finished' ? message : undefined;
    });

    expect(reply.flags).toBe(64);
    expect(sim.interaction(command.id)?.followupMessageIds).toEqual([]);
  });

  it('edits its own channel message, lists history and fetches guild members', async () => {
    const channel = (await client.channels.fetch(generalId)) as TextChannel;
    const message = await channel.send('Game at 8');
    const edited = await message.edit('Game at 9');
    expect(edited.editedTimestamp).not.toBeNull();

    const history = await channel.messages.fetch({ limit: 10, cache: false });
    expect(history.map((m) => m.content)).toContain('Game at 9');

    const guild = await client.guilds.fetch({ guild: guildId, force: true });
    const member = await guild.members.fetch({ user: players.host.id, force: true });
    expect(member.nickname).toBe('Hana (host)');
    const everyone = await guild.members.fetch();
    expect(everyone.size).toBe(5);
  });

  it('hears about a member who joins after login', async () => {
    const joined = new Promise<string>((resolve) => {
      client.once('guildMemberAdd', (member) => {
        resolve(member.user.username);
      });
    });
    sim.addMember(guildId, { user: { username: 'newcomer_nia' } });
    expect(await joined).toBe('newcomer_nia');
  });
});
