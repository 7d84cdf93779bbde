// The custom metrics and the use-case spans, read in process (the project's views applied as in
// production): game counters by source and list, and the guild configuration counter by change.
import { Attr, Metrics, SpanNames } from '@game-scheduler/telemetry';
import {
  installTestMetrics,
  installTestTracing,
  type MetricPoint,
  type TestMetrics,
  type TestTracing,
} from '@game-scheduler/telemetry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, newGame } from './support/games.ts';
import { GUILD_ID, HANA, PAT, QUINN, RIO, startHarness, type Harness } from './support/harness.ts';

let h: Harness;
let meter: TestMetrics;
let tracing: TestTracing;

beforeAll(async () => {
  meter = installTestMetrics();
  tracing = installTestTracing();
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
  await tracing.shutdown();
  await meter.shutdown();
});

function count(points: MetricPoint[], attributes: Record<string, string>): number {
  return points
    .filter((point) =>
      Object.entries(attributes).every(([key, value]) => point.attributes[key] === value),
    )
    .reduce((sum, point) => sum + Number(point.value), 0);
}

describe('custom metrics', () => {
  it('counts games created and cancelled by source, players joined and left by list', async () => {
    const hana = as(h, await h.login(HANA));
    const created = await hana('POST', '/api/v1/games', newGame({ maxPlayers: 1 }));
    const gameId = created.json<{ id: string }>().id;
    const pat = as(h, await h.login(PAT));
    const quinn = as(h, await h.login(QUINN));
    expect((await pat('POST', `/api/v1/games/${gameId}/join`)).statusCode).toBe(200);
    expect((await quinn('POST', `/api/v1/games/${gameId}/join`)).statusCode).toBe(200);
    expect((await quinn('POST', `/api/v1/games/${gameId}/leave`)).statusCode).toBe(200);
    expect((await hana('POST', `/api/v1/games/${gameId}/cancel`, {})).statusCode).toBe(200);

    const api = { [Attr.gameSource]: 'api' };
    expect(count(await meter.read(Metrics.gamesCreated.name), api)).toBe(1);
    expect(count(await meter.read(Metrics.gamesCancelled.name), api)).toBe(1);
    const joined = await meter.read(Metrics.playersJoined.name);
    expect(count(joined, { [Attr.rosterList]: 'participant' })).toBe(1);
    expect(count(joined, { [Attr.rosterList]: 'waitlist' })).toBe(1);
    const left = await meter.read(Metrics.playersLeft.name);
    expect(count(left, { [Attr.rosterList]: 'waitlist' })).toBe(1);
  });

  it('counts guild configuration changes by what changed, and traces each as guild.configure', async () => {
    const hana = as(h, await h.login(HANA));
    const rio = as(h, await h.login(RIO));
    expect(
      (await hana('PATCH', `/api/v1/guilds/${GUILD_ID}`, { timeZone: 'Asia/Tokyo' })).statusCode,
    ).toBe(200);
    const template = await hana('POST', `/api/v1/guilds/${GUILD_ID}/templates`, { name: 'Go' });
    expect(template.statusCode).toBe(201);
    const templateId = template.json<{ id: string }>().id;
    await hana('PATCH', `/api/v1/guilds/${GUILD_ID}/templates/${templateId}`, { maxPlayers: 2 });
    await hana('PUT', `/api/v1/guilds/${GUILD_ID}/templates/order`, { templateIds: [templateId] });
    await hana('DELETE', `/api/v1/guilds/${GUILD_ID}/templates/${templateId}`);
    // Refused changes are not counted.
    expect((await rio('PATCH', `/api/v1/guilds/${GUILD_ID}`, { timeZone: 'UTC' })).statusCode).toBe(
      403,
    );

    const changes = await meter.read(Metrics.guildConfigChanges.name);
    const of = (change: string) => count(changes, { [Attr.guildConfigChange]: change });
    expect(of('settings')).toBe(1);
    expect(of('template_created')).toBe(1);
    expect(of('template_updated')).toBe(1);
    expect(of('templates_reordered')).toBe(1);
    expect(of('template_deleted')).toBe(1);

    const spans = tracing.exporter
      .getFinishedSpans()
      .filter((span) => span.name === SpanNames.guildConfigure);
    expect(spans.map((span) => span.attributes[Attr.guildConfigChange])).toEqual([
      'settings',
      'template_created',
      'template_updated',
      'templates_reordered',
      'template_deleted',
      'settings',
    ]);
    expect(spans.every((span) => span.attributes[Attr.discordGuildId] === GUILD_ID)).toBe(true);
    const refused = spans.at(-1);
    expect(refused?.status.code).toBe(2);
  });
});
