import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  allPanels,
  analysePromql,
  blocksOf,
  componentsNamed,
  dashboardExpressions,
  evaluate,
  loadAlloyConfig,
  loadDashboards,
  paths,
  requireAttribute,
} from '../src/index.ts';
import { referencedComponent, stringValue } from './support/alloy-pipeline.ts';
import { servicesMetricNames } from './support/services-metrics.ts';

const dashboards = loadDashboards();
const config = loadAlloyConfig(readFileSync(paths.alloyConfig, 'utf8'));
const context = { env: {} };

/** job label → the keep regex of the prometheus.relabel its scrape forwards to (read from config.alloy). */
function keepRegexByJob(): Map<string, RegExp> {
  const byJob = new Map<string, RegExp>();
  for (const scrape of componentsNamed(config, 'prometheus.scrape')) {
    const discovery = referencedComponent(
      config,
      evaluate(requireAttribute(scrape.block, 'targets'), context),
    );
    const jobRule = blocksOf(discovery.block, 'rule').find(
      (rule) => evaluate(requireAttribute(rule, 'target_label'), context) === 'job',
    );
    if (jobRule === undefined) throw new Error(`${discovery.id} sets no job`);
    const job = stringValue(evaluate(requireAttribute(jobRule, 'replacement'), context));
    const [receiver] = evaluate(requireAttribute(scrape.block, 'forward_to'), context) as [unknown];
    const relabel = referencedComponent(
      config,
      receiver as Parameters<typeof referencedComponent>[1],
    );
    const keep = blocksOf(relabel.block, 'rule').find(
      (rule) => evaluate(requireAttribute(rule, 'action'), context) === 'keep',
    );
    if (keep === undefined) throw new Error(`${relabel.id} has no keep rule`);
    byJob.set(
      job,
      new RegExp(`^(?:${stringValue(evaluate(requireAttribute(keep, 'regex'), context))})$`),
    );
  }
  return byJob;
}

describe('the dashboards', () => {
  it('exist for PostgreSQL, Redis, RabbitMQ and the services, with unique uids', () => {
    expect(dashboards.map((file) => file.file)).toEqual(
      expect.arrayContaining(['postgresql.json', 'rabbitmq.json', 'redis.json', 'services.json']),
    );
    const uids = dashboards.map((file) => file.dashboard.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const { dashboard } of dashboards) {
      expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
      expect(dashboard.title).toMatch(/^Game Scheduler \/ /);
      expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    }
  });

  it('choose their Prometheus data source through a variable, so they work locally and in Grafana Cloud', () => {
    for (const { dashboard, file } of dashboards) {
      const variable = dashboard.templating?.list.find(
        (candidate) => candidate.name === 'datasource',
      );
      expect(variable, file).toMatchObject({ type: 'datasource', query: 'prometheus' });
    }
  });

  it('give every panel a data source and targets with valid PromQL', () => {
    for (const { dashboard, file } of dashboards) {
      const panels = allPanels(dashboard).filter((panel) => panel.type !== 'row');
      expect(panels.length, file).toBeGreaterThan(4);
      const ids = panels.map((panel) => panel.id);
      expect(new Set(ids).size, `${file} panel ids`).toBe(ids.length);
      for (const panel of panels) {
        const where = `${file}: ${panel.title ?? '?'}`;
        expect(panel.datasource, where).toEqual({ type: 'prometheus', uid: '${datasource}' });
        expect(panel.targets?.length, where).toBeGreaterThan(0);
        const refIds = (panel.targets ?? []).map((target) => target.refId);
        expect(new Set(refIds).size, `${where} refIds`).toBe(refIds.length);
        for (const target of panel.targets ?? []) {
          expect(target.datasource, where).toEqual({ type: 'prometheus', uid: '${datasource}' });
          const analysis = analysePromql(target.expr ?? '');
          expect(analysis.errors, `${where}: ${target.expr ?? ''}`).toEqual([]);
          expect(analysis.metrics.length, where).toBeGreaterThan(0);
        }
      }
    }
  });

  it('select only series the collector keeps for the job they name, or services metrics', () => {
    const keep = keepRegexByJob();
    const services = servicesMetricNames();
    expect([...keep.keys()].sort()).toEqual([
      'integrations/alloy',
      'integrations/postgres_exporter',
      'integrations/rabbitmq',
      'integrations/redis_exporter',
    ]);
    const problems: string[] = [];
    for (const file of dashboards) {
      for (const entry of dashboardExpressions(file)) {
        for (const selector of analysePromql(entry.expr).selectors) {
          const job = selector.matchers.find(
            (matcher) => matcher.label === 'job' && matcher.op === '=',
          )?.value;
          const regex = job === undefined ? undefined : keep.get(job);
          // The services' own metrics arrive over OTLP, not through a scrape job.
          if (regex === undefined && services.has(selector.metric ?? '')) continue;
          if (regex === undefined)
            problems.push(
              `${file.file} ${entry.where}: ${selector.metric ?? '?'} names no scraped job`,
            );
          else if (!regex.test(selector.metric ?? ''))
            problems.push(`${file.file} ${entry.where}: ${job} drops ${selector.metric ?? '?'}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('offer an instance variable fed by the same job', () => {
    for (const file of dashboards) {
      const variable = dashboardExpressions(file).find(
        (entry) => entry.where === 'variable instance',
      );
      expect(variable, file.file).toBeDefined();
      expect(analysePromql(variable?.expr ?? '').errors).toEqual([]);
    }
  });

  it('let the services dashboard pick the service, and show every service panel the issue asks for', () => {
    const services = dashboards.find((file) => file.file === 'services.json')!;
    const variable = services.dashboard.templating?.list.find(
      (candidate) => candidate.name === 'service',
    );
    // job is the service.name of the OTLP resource once Prometheus / Grafana Cloud ingest it.
    expect(variable?.definition).toMatch(/^label_values\(.+, job\)$/);
    const titles = allPanels(services.dashboard).map((panel) => panel.title);
    for (const title of [
      'Request rate by service',
      'p99 latency by service',
      'Error rate by service',
      'Interactions by type and outcome',
      'Reminders sent',
      'Reminder lateness',
      'Queue depth by queue',
      'Dead letters',
      'PostgreSQL connections',
      'Redis memory',
    ]) {
      expect(titles, title).toContain(title);
    }
    for (const entry of dashboardExpressions(services)) {
      if (entry.where.startsWith('variable') || /integrations\//.test(entry.expr)) continue;
      expect(entry.expr, entry.where).toContain('job=~"$service"');
    }
  });

  it('are provisioned from the directory the provisioning file names', () => {
    const provisioning = readFileSync(`${paths.provisioning}dashboards/game-scheduler.yml`, 'utf8');
    expect(provisioning).toMatch(/apiVersion: 1/);
    expect(provisioning).toMatch(/type: file/);
    expect(provisioning).toMatch(/path: \/var\/lib\/grafana\/dashboards\/game-scheduler/);
  });
});
