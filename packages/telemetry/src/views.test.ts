import { describe, expect, it } from 'vitest';
import {
  InMemoryMetricExporter,
  AggregationTemporality,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { createCounter, createHistogram } from './metrics.ts';
import { Attr, InstrumentationMetrics, Metrics, allMetricDefinitions } from './names.ts';
import { createMetricViews } from './views.ts';

async function collect(record: (provider: MeterProvider) => void) {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({ views: createMetricViews(), readers: [reader] });
  record(provider);
  await reader.forceFlush();
  const metrics = exporter
    .getMetrics()
    .flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics));
  await provider.shutdown();
  return metrics;
}

describe('metric views', () => {
  it('drop user, game and message ids from our metrics and keep the allow-listed attributes', async () => {
    const metrics = await collect((provider) => {
      const joined = createCounter(Metrics.playersJoined, provider.getMeter('unit'));
      joined.add(1, {
        [Attr.rosterList]: 'participant',
        [Attr.discordUserId]: '111',
        [Attr.gameId]: 'g1',
      });
      joined.add(1, {
        [Attr.rosterList]: 'participant',
        [Attr.discordUserId]: '222',
        [Attr.gameId]: 'g2',
      });
    });
    const joined = metrics.find((metric) => metric.descriptor.name === Metrics.playersJoined.name);
    expect(joined?.dataPoints).toHaveLength(1);
    expect(joined?.dataPoints[0]?.attributes).toEqual({ [Attr.rosterList]: 'participant' });
    expect(joined?.dataPoints[0]?.value).toBe(2);
    expect(joined?.descriptor.unit).toBe('{player}');
  });

  it('keep method, route and status on the HTTP server duration, and nothing per request', async () => {
    const metrics = await collect((provider) => {
      const duration = provider
        .getMeter('@opentelemetry/instrumentation-http')
        .createHistogram(InstrumentationMetrics.httpServerDuration.name, { unit: 's' });
      for (const path of ['/games/1', '/games/2']) {
        duration.record(0.01, {
          'http.request.method': 'GET',
          'http.route': '/games/:id',
          'http.response.status_code': 200,
          'url.path': path,
          'client.address': '10.0.0.1',
        });
      }
    });
    const duration = metrics.find((m) => m.descriptor.name === 'http.server.request.duration');
    expect(duration?.dataPoints).toHaveLength(1);
    expect(duration?.dataPoints[0]?.attributes).toEqual({
      'http.request.method': 'GET',
      'http.route': '/games/:id',
      'http.response.status_code': 200,
    });
  });

  it('use the declared buckets for the reminder lateness histogram', async () => {
    const metrics = await collect((provider) => {
      createHistogram(Metrics.reminderLateness, provider.getMeter('unit')).record(3, {
        [Attr.notificationType]: 'reminder',
      });
    });
    const lateness = metrics.find((m) => m.descriptor.name === 'reminders.lateness');
    const point = lateness?.dataPoints[0]?.value as
      { buckets: { boundaries: number[] } } | undefined;
    expect(point?.buckets.boundaries).toEqual(Metrics.reminderLateness.buckets);
  });

  it('are declared once per instrument name', () => {
    const names = allMetricDefinitions.map((definition) => definition.name);
    expect(new Set(names).size).toBe(names.length);
    for (const definition of allMetricDefinitions) {
      expect(definition.attributes.some((key) => /(user|message)_id$|^game\.id$/.test(key))).toBe(
        false,
      );
    }
  });
});
