import type { CapturedMetric, ExportedPayload } from '@game-scheduler/telemetry/testing';
import { describe, expect, it } from 'vitest';
import { createSeriesCounter, metricPointsOfPayload, serviceOfPayload } from './otlp-series.ts';

function metric(
  service: string,
  instance: string,
  fields: Pick<CapturedMetric, 'name' | 'unit' | 'type' | 'isMonotonic' | 'dataPoints'>,
): CapturedMetric {
  return {
    ...fields,
    description: '',
    temporality: 'CUMULATIVE',
    resource: { 'service.name': service, 'service.instance.id': instance },
    serviceName: service,
    scope: { name: 'test', version: '', attributes: {} },
  };
}

const point = (attributes: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  attributes,
  startTimeUnixNano: 0n,
  timeUnixNano: 1n,
  exemplars: [],
  ...extra,
});

describe('the OTLP series count', () => {
  it('counts a histogram as its buckets, +Inf, _sum and _count per attribute set, once across exports, with target_info per process', () => {
    const duration = (route: string) =>
      metric('api', 'a1', {
        name: 'http.server.request.duration',
        unit: 's',
        type: 'histogram',
        isMonotonic: false,
        dataPoints: [point({ 'http.route': route }, { explicitBounds: [0.1, 0.5, 1] })],
      });
    const interactions = metric('bot', 'b1', {
      name: 'game_scheduler.interactions',
      unit: '{interaction}',
      type: 'sum',
      isMonotonic: true,
      dataPoints: [point({ kind: 'button' }), point({ kind: 'command' })],
    });
    const counter = createSeriesCounter();
    counter.add([duration('/games'), duration('/games/:id'), interactions]);
    // The next export repeats the same series.
    counter.add([duration('/games'), interactions]);

    expect(counter.byService()).toEqual({ api: 2 * (3 + 1 + 2) + 1, bot: 2 + 1 });
    expect(counter.total()).toBe(13 + 3);
    expect(counter.largest(1)).toEqual([['http_server_request_duration_seconds', 12]]);
  });

  it('counts another process of the same service as new series (its own service.instance.id)', () => {
    const gauge = (instance: string) =>
      metric('notification-daemon', instance, {
        name: 'game_scheduler.reminders.due',
        unit: '{reminder}',
        type: 'gauge',
        isMonotonic: false,
        dataPoints: [point({})],
      });
    const counter = createSeriesCounter();
    counter.add([gauge('n1'), gauge('n2')]);
    expect(counter.total()).toBe(4);
  });
});

describe('an export request', () => {
  const payload: ExportedPayload = {
    signal: 'metrics',
    encoding: 'protobuf',
    body: Buffer.alloc(0),
    decoded: {
      resourceMetrics: [
        {
          resource: {
            attributes: [
              { key: 'service.instance.id', value: { stringValue: 'x' } },
              { key: 'service.name', value: { stringValue: 'status-transition-daemon' } },
            ],
          },
          scopeMetrics: [
            {
              metrics: [
                { name: 'a', sum: { dataPoints: [{}, {}], isMonotonic: true } },
                { name: 'b', histogram: { dataPoints: [{}] } },
              ],
            },
          ],
        },
      ],
    },
  };

  it('names the service that sent it and counts its data points', () => {
    expect(serviceOfPayload(payload)).toBe('status-transition-daemon');
    expect(metricPointsOfPayload(payload)).toBe(3);
  });
});
