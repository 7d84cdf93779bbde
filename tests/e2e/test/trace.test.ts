// One game followed through the telemetry the three processes really export: the API request, the
// game.created publish and both daemons' consume spans are one trace; the due reminder is a trace of
// its own whose root span links back to that one and holds the Discord REST calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANNOUNCEMENTS_CHANNEL,
  GUILD_ID,
  HANA,
  PAT,
  startStack,
  type ApiClient,
  type GameBody,
  type Stack,
} from './support/stack.ts';

let stack: Stack;
let host: ApiClient;
let pat: ApiClient;

beforeAll(async () => {
  stack = await startStack({ prefix: 'e2e_trace' });
  host = await stack.login(HANA);
  pat = await stack.login(PAT);
});

afterAll(async () => {
  await stack.close();
});

describe('a game followed across the services', () => {
  it('is one trace from the API request through game.created to both daemons, and its due reminder links back to it with the Discord calls inside', async () => {
    const { receiver, sim } = stack;
    const created = await host<GameBody>('POST', '/games', {
      guildId: GUILD_ID,
      channelId: ANNOUNCEMENTS_CHANNEL,
      title: 'Traced raid',
      // The one-minute reminder is due about ten seconds from now.
      startsAt: new Date(Date.now() + 70_000).toISOString(),
      durationMinutes: 60,
      reminderMinutes: [1],
    });
    expect(created.status).toBe(201);
    const gameId = created.body.id;
    expect((await pat('POST', `/games/${gameId}/join`)).status).toBe(200);

    // The request, the outbox publish and both consumers: one trace.
    const server = await receiver.waitForSpan({
      serviceName: 'api',
      kind: 'SERVER',
      attributes: { 'http.route': '/api/v1/games', 'http.request.method': 'POST' },
    });
    const trace = server.traceId;
    // Published by whichever outbox relay claimed the row first (the API's or the status
    // daemon's), in the request's trace either way.
    const publish = await receiver.waitForSpan({ name: 'event.publish', traceId: trace });
    expect(publish.kind).toBe('PRODUCER');
    const consumers = await receiver.waitForSpans(
      {
        name: 'event.process',
        traceId: trace,
        attributes: { 'messaging.event.type': 'game.created' },
      },
      { count: 2, timeoutMs: 30_000 },
    );
    expect(consumers.map((span) => span.serviceName).sort()).toEqual([
      'notification-daemon',
      'status-transition-daemon',
    ]);
    for (const consume of consumers) {
      expect(consume.kind).toBe('CONSUMER');
      expect(consume.parentSpanId).toBe(publish.spanId);
      expect(consume.parentIsRemote).toBe(true);
    }
    const consume = consumers.find((span) => span.serviceName === 'notification-daemon')!;
    // The daemon's log line for it is in the same trace, under its service name.
    const [built] = await receiver.waitForLogs({
      traceId: trace,
      serviceName: 'notification-daemon',
      body: 'Reminder schedule built',
    });
    expect(built?.spanId).toBeDefined();
    // Every span of the trace, across the three processes, descends from the server span.
    for (const span of receiver.trace(trace)) {
      const top = receiver.ancestors(span).at(-1) ?? span;
      expect(top.spanId).toBe(server.spanId);
    }

    // The due reminder: a root span of its own, linked to the trace that built its schedule.
    const root = await receiver.waitForSpan(
      {
        serviceName: 'notification-daemon',
        name: 'scheduled.reminder',
        attributes: { 'game.id': gameId },
      },
      { timeoutMs: 60_000 },
    );
    expect(root.parentSpanId).toBeUndefined();
    expect(root.traceId).not.toBe(trace);
    expect(root.attributes['notification.type']).toBe('reminder');
    expect(root.attributes['scheduler.job_id']).toEqual(expect.any(String));
    expect(['notify', 'timer', 'startup']).toContain(root.attributes['scheduler.trigger']);
    expect(root.links.map((link) => link.traceId)).toEqual([trace]);
    // The link points into the notification daemon's consume span (or a span beneath it).
    const [linked] = receiver.linkedSpans(root);
    expect(linked).toBeDefined();
    expect([linked!, ...receiver.ancestors(linked!)].map((span) => span.spanId)).toContain(
      consume.spanId,
    );

    // Inside it, one CLIENT span per Discord REST call: open Pat's DM channel, send the DM.
    const sent = await sim.waitFor(() => sim.dms(PAT)[0]);
    expect(String(sent['content'])).toContain('**Traced raid** starts in 1 minute');
    const rest = await receiver.waitForSpans(
      { traceId: root.traceId, name: 'discord.rest' },
      { count: 2 },
    );
    expect(rest.map((span) => span.attributes['discord.rest.route'])).toEqual([
      '/users/@me/channels',
      '/channels/:channel_id/messages',
    ]);
    for (const span of rest) {
      expect(span.kind).toBe('CLIENT');
      expect(span.parentSpanId).toBe(root.spanId);
      expect(span.attributes['http.response.status_code']).toBe(200);
    }
    const dmCalls = sim.calls(
      (call) =>
        call.method === 'POST' &&
        (call.route === '/users/@me/channels' || call.route === '/channels/:channelId/messages'),
    );
    expect(dmCalls).toHaveLength(rest.length);
    expect(
      receiver.spans({
        serviceName: 'notification-daemon',
        scopeName: '@game-scheduler/telemetry/undici',
      }),
    ).toEqual([]);
  });

  it('exports the reminder, queue and outbox metrics the dashboards read', async () => {
    const { receiver, namespace } = stack;
    const from = (service: string) => (metric: { serviceName: string | undefined }) =>
      metric.serviceName === service;
    const sent = await receiver.waitForMetric('reminders.sent', {
      predicate: from('notification-daemon'),
      timeoutMs: 30_000,
    });
    expect(sent.dataPoints.map((point) => [point.attributes, point.value])).toEqual([
      [{ 'notification.channel': 'dm', 'notification.type': 'reminder' }, 1],
    ]);
    const lateness = await receiver.waitForMetric('reminders.lateness', {
      predicate: from('notification-daemon'),
    });
    expect(lateness.unit).toBe('s');
    expect(lateness.dataPoints[0]?.count).toBe(1);

    // Queue depth: each daemon's main, retry and dead-letter queues.
    for (const service of ['notification-daemon', 'status-transition-daemon']) {
      const depth = await receiver.waitForMetric('messaging.queue.depth', {
        predicate: (metric) => from(service)(metric) && metric.dataPoints.length === 5,
      });
      expect(depth.type).toBe('gauge');
      expect(depth.unit).toBe('{message}');
      expect(
        depth.dataPoints
          .map((point) => [
            point.attributes['messaging.destination.name'],
            point.attributes['messaging.queue.kind'],
          ])
          .sort(),
      ).toEqual(
        [
          [`${namespace}.${service}`, 'main'],
          [`${namespace}.${service}.dead-letter`, 'dead_letter'],
          [`${namespace}.${service}.retry.1000ms`, 'retry'],
          [`${namespace}.${service}.retry.30000ms`, 'retry'],
          [`${namespace}.${service}.retry.5000ms`, 'retry'],
        ].sort(),
      );
    }
    // The outbox gauges, from each process that relays it.
    for (const service of ['api', 'status-transition-daemon']) {
      const pending = await receiver.waitForMetric('outbox.pending', { predicate: from(service) });
      expect(pending.type).toBe('gauge');
      expect(pending.unit).toBe('{row}');
      const age = await receiver.waitForMetric('outbox.pending.age', { predicate: from(service) });
      expect(age.unit).toBe('s');
      expect(age.dataPoints[0]?.value).toBeGreaterThanOrEqual(0);
    }
  });
});
