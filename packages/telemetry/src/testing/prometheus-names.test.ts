import { describe, expect, it } from 'vitest';
import { prometheusBaseName, prometheusSeriesNames, type PrometheusNameInput } from './index.ts';

const metric = (
  name: string,
  unit: string,
  type: PrometheusNameInput['type'],
  isMonotonic = false,
): PrometheusNameInput => ({ name, unit, type, isMonotonic });

describe('Prometheus names after OTLP ingestion', () => {
  it.each([
    [
      metric('http.server.request.duration', 's', 'histogram'),
      'http_server_request_duration_seconds',
    ],
    [
      metric('game_scheduler.games.created', '{game}', 'sum', true),
      'game_scheduler_games_created_total',
    ],
    [metric('outbox.relay.lag', 'ms', 'gauge'), 'outbox_relay_lag_milliseconds'],
    [metric('process.memory.usage', 'By', 'sum'), 'process_memory_usage_bytes'],
    [metric('system.network.io', 'By', 'sum', true), 'system_network_io_bytes_total'],
    [metric('db.client.connections.usage', '{connection}', 'sum'), 'db_client_connections_usage'],
    [metric('cpu.utilization', '1', 'gauge'), 'cpu_utilization_ratio'],
    [metric('queue.items', '1', 'sum', true), 'queue_items_total'],
    [metric('queue.depth', '1', 'sum'), 'queue_depth'],
    [metric('disk.throughput', 'By/s', 'gauge'), 'disk_throughput_bytes_per_second'],
    [metric('messages.rate', '{message}/s', 'gauge'), 'messages_rate_per_second'],
    [metric('requests.total', '', 'sum', true), 'requests_total'],
    [metric('request.seconds', 's', 'gauge'), 'request_seconds'],
    [metric('temperature', 'Cel', 'gauge'), 'temperature_celsius'],
    [metric('cache-hit__ratio', '%', 'gauge'), 'cache_hit_ratio_percent'],
    [metric('2xx.responses', '', 'sum', true), '_2xx_responses_total'],
    [metric('speed', 'm/s', 'gauge'), 'speed_meters_per_second'],
    [metric('job.runtime', 'min', 'gauge'), 'job_runtime_minutes'],
  ])('names %o as %s', (input, expected) => {
    expect(prometheusBaseName(input)).toBe(expected);
  });

  it('expands classic histograms to bucket, sum and count series', () => {
    expect(prometheusSeriesNames(metric('http.server.request.duration', 's', 'histogram'))).toEqual(
      [
        'http_server_request_duration_seconds_bucket',
        'http_server_request_duration_seconds_sum',
        'http_server_request_duration_seconds_count',
      ],
    );
  });

  it('keeps exponential histograms as one native histogram and expands summaries', () => {
    expect(prometheusSeriesNames(metric('rpc.size', 'By', 'exponentialHistogram'))).toEqual([
      'rpc_size_bytes',
    ]);
    expect(prometheusSeriesNames(metric('gc.pause', 's', 'summary'))).toEqual([
      'gc_pause_seconds',
      'gc_pause_seconds_sum',
      'gc_pause_seconds_count',
    ]);
  });
});
