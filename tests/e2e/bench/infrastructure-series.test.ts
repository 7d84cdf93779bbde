import { applyRelabelRules } from '@game-scheduler/grafana';
import { describe, expect, it } from 'vitest';
import {
  deploymentShaped,
  distinctSeries,
  loadStackAlloyConfig,
  scrapeFilters,
  type ScrapeFilter,
  type Series,
} from './infrastructure-series.ts';

const filters = scrapeFilters(loadStackAlloyConfig(), { env: {} });

function filter(scrape: string): ScrapeFilter {
  const found = filters.find((candidate) => candidate.scrape === `prometheus.scrape.${scrape}`);
  if (found === undefined) throw new Error(`no prometheus.scrape.${scrape}`);
  return found;
}

const passes = (scrape: string, labels: Record<string, string>): boolean =>
  applyRelabelRules(labels, filter(scrape).rules) !== undefined;

describe("config.alloy's scrape filters, as the stack budget reads them", () => {
  it('finds every scrape with the exporter behind it', () => {
    expect(filters.map((f) => [f.scrape, f.exporter ?? 'static target'])).toEqual(
      expect.arrayContaining([
        ['prometheus.scrape.postgres', 'prometheus.exporter.postgres'],
        ['prometheus.scrape.redis', 'prometheus.exporter.redis'],
        ['prometheus.scrape.rabbitmq', 'static target'],
        ['prometheus.scrape.alloy', 'prometheus.exporter.self'],
      ]),
    );
  });

  it('finds a keep rule on the metric name in each, which keeps `up` and what the dashboards use and nothing else', () => {
    for (const f of filters) {
      expect(
        f.rules.some((rule) => rule.action === 'keep' && rule.sourceLabels.includes('__name__')),
        f.scrape,
      ).toBe(true);
    }
    for (const [scrape, used, unused] of [
      ['postgres', 'pg_stat_database_xact_commit', 'pg_settings_shared_buffers_bytes'],
      ['redis', 'redis_memory_used_bytes', 'redis_cpu_sys_seconds_total'],
      ['rabbitmq', 'rabbitmq_queue_messages_ready', 'rabbitmq_erlang_processes_used'],
    ] as const) {
      expect(passes(scrape, { __name__: 'up' }), `${scrape} up`).toBe(true);
      expect(passes(scrape, { __name__: used, datname: 'game_scheduler' }), used).toBe(true);
      expect(passes(scrape, { __name__: unused }), unused).toBe(false);
      expect(passes(scrape, { __name__: 'scrape_duration_seconds' }), scrape).toBe(false);
    }
  });

  it("finds PostgreSQL's drop rule for the template databases", () => {
    expect(passes('postgres', { __name__: 'pg_database_size_bytes', datname: 'template0' })).toBe(
      false,
    );
    expect(passes('postgres', { __name__: 'pg_database_size_bytes', datname: 'postgres' })).toBe(
      true,
    );
  });
});

describe('a deployment-shaped scrape', () => {
  it("keeps the services' database and namespace, and postgres, out of a shared server's series", () => {
    const series: Series[] = [
      { name: 'pg_database_size_bytes', labels: { datname: 'postgres' }, value: 1 },
      { name: 'pg_database_size_bytes', labels: { datname: 'app' }, value: 1 },
      { name: 'pg_database_size_bytes', labels: { datname: 'someone_elses_test' }, value: 1 },
      { name: 'rabbitmq_queue_messages_ready', labels: { queue: 'ns-1.bot' }, value: 0 },
      { name: 'rabbitmq_queue_messages_ready', labels: { queue: 'other.bot' }, value: 0 },
      { name: 'redis_up', labels: {}, value: 1 },
      { name: 'redis_up', labels: {}, value: 1 },
    ];
    const kept = deploymentShaped(series, 'app', 'ns-1');
    expect(kept.map((s) => s.labels['datname'] ?? s.labels['queue'] ?? s.name)).toEqual([
      'postgres',
      'app',
      'ns-1.bot',
      'redis_up',
      'redis_up',
    ]);
    expect(distinctSeries(kept)).toBe(4);
  });
});
