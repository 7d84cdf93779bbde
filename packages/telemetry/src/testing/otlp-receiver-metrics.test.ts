import { ValueType } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationType,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from './index.ts';

describe('the OTLP receiver, for metrics sent by the real protobuf exporter', () => {
  let receiver: OtlpReceiver;
  let provider: MeterProvider;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'api' }),
      views: [
        {
          instrumentName: 'game_scheduler.discord.request.size',
          aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM },
        },
      ],
      readers: [
        new PeriodicExportingMetricReader({
          exporter: new OTLPMetricExporter({ url: receiver.endpoints.metrics }),
          exportIntervalMillis: 3_600_000,
        }),
      ],
    });
    const meter = provider.getMeter('game-scheduler', '0.1.0');
    const created = meter.createCounter('game_scheduler.games.created', { unit: '{game}' });
    created.add(2, { 'game.source': 'api' });
    created.add(1, { 'game.source': 'discord' });
    const duration = meter.createHistogram('http.server.request.duration', { unit: 's' });
    duration.record(0.02, { 'http.route': '/api/v1/games' });
    duration.record(0.3, { 'http.route': '/api/v1/games' });
    meter.createGauge('game_scheduler.outbox.lag', { unit: 'ms' }).record(125);
    meter
      .createGauge('game_scheduler.roster.fill', { unit: '1', valueType: ValueType.DOUBLE })
      .record(0.5);
    meter.createUpDownCounter('game_scheduler.reminders.pending', { unit: '{reminder}' }).add(-3);
    meter.createHistogram('game_scheduler.discord.request.size', { unit: 'By' }).record(512);
    await provider.forceFlush();
  });

  afterAll(async () => {
    await provider.shutdown();
    await receiver.close();
  });

  it('decodes a monotonic counter with its data points per attribute set', async () => {
    const counter = await receiver.waitForMetric('game_scheduler.games.created');
    expect(counter).toMatchObject({
      type: 'sum',
      isMonotonic: true,
      temporality: 'CUMULATIVE',
      unit: '{game}',
      serviceName: 'api',
      scope: { name: 'game-scheduler', version: '0.1.0' },
    });
    const values = counter.dataPoints.map((point) => [
      point.attributes['game.source'],
      point.value,
    ]);
    expect(values.sort()).toEqual([
      ['api', 2],
      ['discord', 1],
    ]);
  });

  it('decodes a histogram with count, sum, min, max and buckets', async () => {
    const histogram = await receiver.waitForMetric('http.server.request.duration');
    expect(histogram.type).toBe('histogram');
    expect(histogram.unit).toBe('s');
    const [point] = histogram.dataPoints;
    expect(point).toMatchObject({
      attributes: { 'http.route': '/api/v1/games' },
      count: 2,
      sum: 0.32,
      min: 0.02,
      max: 0.3,
    });
    expect(point!.bucketCounts).toHaveLength(point!.explicitBounds!.length + 1);
    expect(point!.bucketCounts!.reduce((total, count) => total + count, 0)).toBe(2);
  });

  it('decodes gauges, an up-down counter and an exponential histogram', async () => {
    await receiver.waitForMetric('game_scheduler.discord.request.size');
    expect(receiver.latestMetric('game_scheduler.outbox.lag')).toMatchObject({
      type: 'gauge',
      dataPoints: [{ value: 125 }],
    });
    expect(receiver.latestMetric('game_scheduler.roster.fill')?.dataPoints[0]?.value).toBe(0.5);
    expect(receiver.latestMetric('game_scheduler.reminders.pending')).toMatchObject({
      type: 'sum',
      isMonotonic: false,
      dataPoints: [{ value: -3 }],
    });
    expect(receiver.latestMetric('game_scheduler.discord.request.size')).toMatchObject({
      type: 'exponentialHistogram',
      dataPoints: [{ count: 1, sum: 512 }],
    });
  });

  it('lists the OTLP names and the names Prometheus would show after ingestion', () => {
    expect(receiver.metricNames()).toEqual([
      'game_scheduler.discord.request.size',
      'game_scheduler.games.created',
      'game_scheduler.outbox.lag',
      'game_scheduler.reminders.pending',
      'game_scheduler.roster.fill',
      'http.server.request.duration',
    ]);
    expect(receiver.prometheusMetricNames()).toEqual([
      'game_scheduler_discord_request_size_bytes',
      'game_scheduler_games_created_total',
      'game_scheduler_outbox_lag_milliseconds',
      'game_scheduler_reminders_pending',
      'game_scheduler_roster_fill_ratio',
      'http_server_request_duration_seconds_bucket',
      'http_server_request_duration_seconds_count',
      'http_server_request_duration_seconds_sum',
    ]);
    expect(receiver.prometheusMetricNames({ targetInfo: true })).toContain('target_info');
  });

  it('counts what it received', () => {
    expect(receiver.counts()).toMatchObject({
      spans: 0,
      logs: 0,
      metrics: 6,
      requests: { traces: 0, metrics: 1, logs: 0 },
    });
  });
});
