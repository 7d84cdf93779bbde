import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordSim, demoScenario } from '../src/index.ts';
import type { DiscordSim } from '../src/index.ts';
import { players } from './helpers.ts';

const guildId = '1300000000000000201';
const channelId = '1300000000000000402';

describe('interactions as Discord shapes and polices them', () => {
  let sim: DiscordSim;

  beforeAll(async () => {
    sim = await createDiscordSim({ scenario: demoScenario, interactionDeadlineMs: 300 });
    const response = await fetch(
      `${sim.apiUrl}/v10/applications/${sim.application.id}/guilds/${guildId}/commands`,
      {
        method: 'PUT',
        headers: {
          Authorization: `Bot ${sim.application.botToken}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify([
          {
            name: 'game',
            description: 'Games',
            options: [
              {
                type: 1,
                name: 'create',
                description: 'Create',
                options: [
                  { type: 3, name: 'title', description: 'Title', required: true },
                  { type: 10, name: 'hours', description: 'Length' },
                  { type: 8, name: 'notify', description: 'Role to ping' },
                ],
              },
            ],
          },
        ]),
      },
    );
    expect(response.status).toBe(200);
  });

  afterAll(async () => {
    await sim.close();
  });

  function callback(id: string, token: string, body: unknown): Promise<Response> {
    return fetch(`${sim.apiUrl}/v10/interactions/${id}/${token}/callback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  it('nests subcommand options with their registered types and resolves the role', () => {
    const hostRole = '1300000000000000301';
    const run = sim.runSlashCommand({
      userId: players.host.id,
      channelId,
      name: 'game',
      subcommand: 'create',
      options: { title: 'Catan', hours: 2.5, notify: hostRole },
    });

    expect(run.payload).toMatchObject({
      type: 2,
      application_id: sim.application.id,
      guild_id: guildId,
      channel_id: channelId,
      channel: { id: channelId, type: 0 },
      member: { user: { id: players.host.id }, nick: 'Hana (host)', roles: [hostRole] },
      locale: 'en-US',
      version: 1,
      entitlements: [],
      authorizing_integration_owners: { '0': guildId },
      data: {
        name: 'game',
        type: 1,
        guild_id: guildId,
        options: [
          {
            name: 'create',
            type: 1,
            options: [
              { name: 'title', type: 3, value: 'Catan' },
              { name: 'hours', type: 10, value: 2.5 },
              { name: 'notify', type: 8, value: hostRole },
            ],
          },
        ],
        resolved: { roles: { [hostRole]: { name: 'Game Host' } } },
      },
    });
    expect(typeof run.payload.app_permissions).toBe('string');
  });

  it('refuses a missing required option and a user who is not a member', () => {
    expect(() =>
      sim.runSlashCommand({
        userId: players.host.id,
        channelId,
        name: 'game',
        subcommand: 'create',
        options: {},
      }),
    ).toThrow(/needs option title/);
    const stranger = sim.addUser({ username: 'stranger' });
    expect(() =>
      sim.runSlashCommand({
        userId: stranger,
        channelId,
        name: 'game',
        subcommand: 'create',
        options: { title: 'x' },
      }),
    ).toThrow(/not a member/);
  });

  it('answers a second callback with 40060 and a wrong token with 10062', async () => {
    const run = sim.runSlashCommand({
      userId: players.pat.id,
      channelId,
      name: 'game',
      subcommand: 'create',
      options: { title: 'Go' },
    });
    expect((await callback(run.id, 'wrong', { type: 5 })).status).toBe(404);
    expect((await callback(run.id, run.token, { type: 4, data: { content: 'ok' } })).status).toBe(
      204,
    );

    const again = await callback(run.id, run.token, { type: 4, data: { content: 'again' } });

    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({
      message: 'Interaction has already been acknowledged.',
      code: 40060,
    });
  });

  it('expires an interaction nobody answered within the deadline with 10062 Unknown interaction', async () => {
    const run = sim.runSlashCommand({
      userId: players.pat.id,
      channelId,
      name: 'game',
      subcommand: 'create',
      options: { title: 'Late' },
    });
    await new Promise((resolve) => setTimeout(resolve, 350));

    const late = await callback(run.id, run.token, { type: 4, data: { content: 'too late' } });

    expect(late.status).toBe(404);
    expect(await late.json()).toEqual({ message: 'Unknown interaction', code: 10062 });
  });

  it('rejects an update callback for a slash command and an empty reply', async () => {
    const run = sim.runSlashCommand({
      userId: players.pat.id,
      channelId,
      name: 'game',
      subcommand: 'create',
      options: { title: 'Bad' },
    });
    expect((await callback(run.id, run.token, { type: 7, data: { content: 'x' } })).status).toBe(
      400,
    );
    const empty = await callback(run.id, run.token, { type: 4, data: {} });
    expect(await empty.json()).toEqual({ message: 'Cannot send an empty message', code: 50006 });
  });

  it('shapes a button click in a DM with user instead of member', async () => {
    const dmChannel = (await (
      await fetch(`${sim.apiUrl}/v10/users/@me/channels`, {
        method: 'POST',
        headers: {
          Authorization: `Bot ${sim.application.botToken}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ recipient_id: players.pat.id }),
      })
    ).json()) as { id: string; type: number };
    expect(dmChannel.type).toBe(1);
    const dm = (await (
      await fetch(`${sim.apiUrl}/v10/channels/${dmChannel.id}/messages`, {
        method: 'POST',
        headers: {
          Authorization: `Bot ${sim.application.botToken}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({
          content: 'Reminder',
          components: [
            { type: 1, components: [{ type: 2, style: 4, label: 'Leave', custom_id: 'leave:9' }] },
          ],
        }),
      })
    ).json()) as { id: string };

    const click = sim.clickButton({
      userId: players.pat.id,
      messageId: dm.id,
      customId: 'leave:9',
    });

    expect(click.payload).toMatchObject({
      type: 3,
      channel_id: dmChannel.id,
      user: { id: players.pat.id },
      context: 1,
      data: { custom_id: 'leave:9', component_type: 2 },
      message: { id: dm.id },
    });
    expect(click.payload.member).toBeUndefined();
    expect(click.payload.guild_id).toBeUndefined();
  });
});
