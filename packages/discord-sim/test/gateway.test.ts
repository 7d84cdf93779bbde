import { once } from 'node:events';
import { constants, createInflate } from 'node:zlib';
import { ApplicationCommandOptionType } from 'discord.js';
import type { Client } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createDiscordSim, demoScenario } from '../src/index.ts';
import type { DiscordSim } from '../src/index.ts';
import { loginClient, players } from './helpers.ts';

interface Payload {
  op: number;
  d: Record<string, unknown> | null;
  s: number | null;
  t: string | null;
}

/** A bare gateway client that reads plain JSON frames. */
class RawGateway {
  readonly socket: WebSocket;
  readonly received: Payload[] = [];
  #waiters: (() => void)[] = [];

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.socket.on('message', (data: Buffer) => {
      this.received.push(JSON.parse(data.toString('utf8')) as Payload);
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  send(op: number, d: unknown): void {
    this.socket.send(JSON.stringify({ op, d }));
  }

  async next(match: (p: Payload) => boolean): Promise<Payload> {
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }
}

describe('the simulated Gateway', () => {
  let sim: DiscordSim;
  const guildId = '1300000000000000201';

  beforeAll(async () => {
    sim = await createDiscordSim({ scenario: demoScenario, heartbeatIntervalMs: 45_000 });
  });

  afterAll(async () => {
    await sim.close();
  });

  it('says HELLO, answers IDENTIFY with READY and GUILD_CREATE, and acknowledges heartbeats', async () => {
    const gateway = new RawGateway(`${sim.gatewayUrl}?v=10&encoding=json`);
    const hello = await gateway.next((p) => p.op === 10);
    expect(hello.d).toMatchObject({ heartbeat_interval: 45_000 });

    gateway.send(2, { token: sim.application.botToken, intents: 1, properties: {}, shard: [0, 1] });
    const ready = await gateway.next((p) => p.t === 'READY');
    expect(ready.s).toBe(1);
    expect(ready.d).toMatchObject({
      v: 10,
      user: { id: sim.application.botUserId, bot: true },
      application: { id: sim.application.id },
      guilds: [{ id: guildId, unavailable: true }],
      resume_gateway_url: sim.gatewayUrl,
    });
    const guildCreate = await gateway.next((p) => p.t === 'GUILD_CREATE');
    expect(guildCreate.s).toBe(2);
    expect(guildCreate.d).toMatchObject({ id: guildId, name: 'Game Night', unavailable: false });
    expect((guildCreate.d?.members as unknown[]).length).toBe(5);

    gateway.send(1, 2);
    await gateway.next((p) => p.op === 11);
    gateway.socket.close(1000);
  });

  it('closes with 4004 when IDENTIFY carries a wrong token', async () => {
    const gateway = new RawGateway(`${sim.gatewayUrl}?v=10&encoding=json`);
    await gateway.next((p) => p.op === 10);
    gateway.send(2, { token: 'wrong', intents: 0, properties: {} });
    const [code] = (await once(gateway.socket, 'close')) as [number];
    expect(code).toBe(4004);
  });

  it('replays missed events on RESUME and then sends RESUMED', async () => {
    const first = new RawGateway(`${sim.gatewayUrl}?v=10&encoding=json`);
    await first.next((p) => p.op === 10);
    first.send(2, { token: sim.application.botToken, intents: 1 << 1, properties: {} });
    const ready = await first.next((p) => p.t === 'READY');
    await first.next((p) => p.t === 'GUILD_CREATE');
    first.socket.close(4200);
    await once(first.socket, 'close');

    sim.addMember(guildId, { user: { username: 'late_lou' } });

    const second = new RawGateway(`${sim.gatewayUrl}?v=10&encoding=json`);
    await second.next((p) => p.op === 10);
    second.send(6, { token: sim.application.botToken, session_id: ready.d?.session_id, seq: 2 });
    const missed = await second.next((p) => p.t === 'GUILD_MEMBER_ADD');
    expect(missed.s).toBe(3);
    expect(missed.d).toMatchObject({ guild_id: guildId, user: { username: 'late_lou' } });
    const resumed = await second.next((p) => p.t === 'RESUMED');
    expect(resumed.s).toBe(4);
    second.socket.close(1000);
  });

  it('answers RESUME of an unknown session with op 9 INVALID_SESSION', async () => {
    const gateway = new RawGateway(`${sim.gatewayUrl}?v=10&encoding=json`);
    await gateway.next((p) => p.op === 10);
    gateway.send(6, { token: sim.application.botToken, session_id: 'nope', seq: 1 });
    const invalid = await gateway.next((p) => p.op === 9);
    expect(invalid.d).toBe(false);
    gateway.socket.close(1000);
  });

  it('speaks zlib-stream when the client asks for compress=zlib-stream', async () => {
    const socket = new WebSocket(`${sim.gatewayUrl}?v=10&encoding=json&compress=zlib-stream`);
    const inflate = createInflate({ finishFlush: constants.Z_SYNC_FLUSH });
    const frames: Buffer[] = [];
    socket.on('message', (data: Buffer) => frames.push(data));
    const [first] = (await once(socket, 'message')) as [Buffer];
    expect(first.subarray(-4)).toEqual(Buffer.from([0, 0, 0xff, 0xff]));
    const text = await new Promise<string>((resolve) => {
      inflate.once('data', (chunk: Buffer) => {
        resolve(chunk.toString('utf8'));
      });
      inflate.write(first);
    });
    expect(JSON.parse(text)).toMatchObject({ op: 10 });
    socket.close(1000);
    inflate.close();
  });

  describe('with discord.js', () => {
    let client: Client<true>;

    beforeAll(async () => {
      client = await loginClient(sim);
      await client.application.commands.set([
        {
          name: 'invite',
          description: 'Invite a player',
          options: [
            {
              type: ApplicationCommandOptionType.User,
              name: 'player',
              description: 'Who',
              required: true,
            },
          ],
        },
      ]);
    });

    afterAll(async () => {
      await client.destroy();
    });

    it('resumes the same session when the simulator sends op 7 RECONNECT', async () => {
      const since = sim.gatewayLog().length;
      const resumed = once(client, 'shardResume');

      sim.requestGatewayReconnect();

      await resumed;
      await sim.waitFor(() => sim.gatewayConnectionCount === 1);
      const frames = sim.gatewayLog().slice(since);
      const identifyOrResume = frames.filter(
        (f) => f.direction === 'in' && (f.op === 2 || f.op === 6),
      );
      expect(identifyOrResume.map((f) => f.op)).toEqual([6]);
      expect(frames.some((f) => f.direction === 'out' && f.op === 7)).toBe(true);
      expect(frames.some((f) => f.t === 'RESUMED')).toBe(true);
    });

    it('resumes after the simulator drops the connection and still receives the interaction sent meanwhile', async () => {
      const resumed = once(client, 'shardResume');
      const received = new Promise<string | undefined>((resolve) => {
        client.once('interactionCreate', (interaction) => {
          resolve(
            interaction.isChatInputCommand()
              ? interaction.options.getUser('player')?.username
              : undefined,
          );
        });
      });

      sim.dropGatewayConnections();
      const handle = sim.runSlashCommand({
        userId: players.host.id,
        channelId: '1300000000000000401',
        name: 'invite',
        options: { player: players.pat.id },
      });

      await resumed;
      expect(await received).toBe(players.pat.username);
      expect(handle.payload.data).toMatchObject({
        options: [{ name: 'player', type: 6, value: players.pat.id }],
        resolved: { users: { [players.pat.id]: { username: players.pat.username } } },
      });
    });
  });
});
