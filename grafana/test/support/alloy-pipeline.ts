// Plays Alloy's metrics pipeline from config.alloy against real endpoints: the targets each
// prometheus.scrape gets (through its discovery.relabel rules), the URL it scrapes, the labels it
// attaches, and the prometheus.relabel rules its samples are forwarded through. Everything is read
// from the parsed configuration, nothing is copied from it.
import type { TestServices } from '@game-scheduler/testing';
import {
  applyRelabelRules,
  attributeOf,
  blocksOf,
  componentsNamed,
  evaluate,
  isComponentExport,
  parseExposition,
  requireAttribute,
  ruleFromBlock,
  type AlloyConfig,
  type AlloyValue,
  type Component,
  type EvaluationContext,
  type Labels,
} from '../../src/index.ts';

export interface Series {
  name: string;
  labels: Labels;
  value: number;
}

export interface ScrapeResult {
  /** The prometheus.scrape component, e.g. `prometheus.scrape.postgres`. */
  scrape: string;
  /** The prometheus.relabel component(s) its samples go through. */
  relabel: string[];
  url: string;
  targetLabels: Labels;
  /** Series as scraped (with target labels and the scrape's own `up` etc.). */
  raw: Series[];
  /** Series that pass the relabel rules, i.e. what remote_write sends. */
  kept: Series[];
}

/** The environment config.alloy would see in compose, pointed at the test's real services. */
export function alloyEnvironmentFor(services: TestServices): Record<string, string> {
  const database = new URL(services.databaseUrl);
  const redis = new URL(services.redisUrl);
  const rabbit = new URL(services.rabbitmqUrl);
  return {
    POSTGRES_USER: decodeURIComponent(database.username),
    POSTGRES_PASSWORD: decodeURIComponent(database.password),
    POSTGRES_HOST: database.hostname,
    POSTGRES_PORT: database.port || '5432',
    POSTGRES_DB: database.pathname.replace(/^\//, '') || 'postgres',
    REDIS_ADDR: `${redis.hostname}:${redis.port || '6379'}`,
    RABBITMQ_PROMETHEUS_ADDR:
      process.env.TEST_RABBITMQ_PROMETHEUS_ADDR ?? `${rabbit.hostname}:15692`,
  };
}

export function stringValue(value: AlloyValue, what = 'value'): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new Error(`${what} must be a string, got ${JSON.stringify(value)}`);
}

export function componentById(config: AlloyConfig, id: string): Component {
  const component = config.components.find((candidate) => candidate.id === id);
  if (component === undefined) throw new Error(`no component ${id}`);
  return component;
}

/** The component a reference such as `prometheus.relabel.redis.receiver` points at. */
export function referencedComponent(config: AlloyConfig, value: AlloyValue): Component {
  if (!isComponentExport(value))
    throw new Error(`expected a component reference, got ${JSON.stringify(value)}`);
  const component = config.components.find((candidate) =>
    value.reference.startsWith(`${candidate.id}.`),
  );
  if (component === undefined) throw new Error(`reference ${value.reference} names no component`);
  return component;
}

function relabelRules(
  component: Component,
  context: EvaluationContext,
): ReturnType<typeof ruleFromBlock>[] {
  return blocksOf(component.block, 'rule').map((rule) => ruleFromBlock(rule, context));
}

/**
 * The exporter component behind a scrape (prometheus.exporter.*), or undefined when the scrape's
 * targets are written out in the config (RabbitMQ).
 */
export function exporterBehind(
  config: AlloyConfig,
  scrape: Component,
  context: EvaluationContext,
): Component | undefined {
  const discovery = referencedComponent(
    config,
    evaluate(requireAttribute(scrape.block, 'targets'), context),
  );
  const targets = evaluate(requireAttribute(discovery.block, 'targets'), context);
  return isComponentExport(targets) ? referencedComponent(config, targets) : undefined;
}

function withTargetLabels(labels: Labels, target: Labels): Labels {
  const result: Labels = { ...labels };
  for (const [name, value] of Object.entries(target)) {
    if (name.startsWith('__')) continue;
    if (name in result) result[`exported_${name}`] = result[name] ?? '';
    result[name] = value;
  }
  return result;
}

/**
 * Scrapes what `scrape` would scrape. `exporterAddresses` maps an embedded exporter component
 * (e.g. `prometheus.exporter.redis.default`) to the address of the real exporter binary standing in
 * for it.
 */
export async function scrapeLikeAlloy(
  config: AlloyConfig,
  scrape: Component,
  context: EvaluationContext,
  exporterAddresses: Readonly<Record<string, string>>,
): Promise<ScrapeResult> {
  const discovery = referencedComponent(
    config,
    evaluate(requireAttribute(scrape.block, 'targets'), context),
  );
  const declared = evaluate(requireAttribute(discovery.block, 'targets'), context);
  let targets: Labels[];
  if (isComponentExport(declared)) {
    const exporter = referencedComponent(config, declared);
    const address = exporterAddresses[exporter.id];
    if (address === undefined) throw new Error(`no running exporter stands in for ${exporter.id}`);
    targets = [{ __address__: address, __metrics_path__: '/metrics' }];
  } else {
    if (!Array.isArray(declared)) throw new Error(`${discovery.id} targets must be a list`);
    targets = declared.map((target) => {
      if (
        typeof target !== 'object' ||
        target === null ||
        Array.isArray(target) ||
        isComponentExport(target)
      ) {
        throw new Error(`${discovery.id} targets must be objects`);
      }
      return Object.fromEntries(
        Object.entries(target).map(([key, value]) => [key, stringValue(value, key)]),
      );
    });
  }
  const [first, ...others] = targets
    .map((target) => applyRelabelRules(target, relabelRules(discovery, context)))
    .filter((target): target is Labels => target !== undefined);
  if (first === undefined || others.length > 0)
    throw new Error(`${scrape.id}: expected exactly one target`);

  const metricsPathAttribute = attributeOf(scrape.block, 'metrics_path');
  const metricsPath =
    metricsPathAttribute === undefined
      ? (first.__metrics_path__ ?? '/metrics')
      : stringValue(evaluate(metricsPathAttribute.value, context), 'metrics_path');
  const url = `http://${first.__address__ ?? ''}${metricsPath}`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  const samples = parseExposition(await response.text());

  const raw: Series[] = samples.map((sample) => ({
    name: sample.name,
    labels: withTargetLabels(sample.labels, first),
    value: sample.value,
  }));
  // What every Prometheus scrape adds to the scraped samples.
  for (const name of [
    'up',
    'scrape_duration_seconds',
    'scrape_samples_scraped',
    'scrape_samples_post_metric_relabeling',
    'scrape_series_added',
  ]) {
    raw.push({ name, labels: withTargetLabels({}, first), value: name === 'up' ? 1 : 0 });
  }

  const forwardTo = evaluate(requireAttribute(scrape.block, 'forward_to'), context);
  if (!Array.isArray(forwardTo)) throw new Error(`${scrape.id} forward_to must be a list`);
  const relabels = forwardTo.map((receiver) => referencedComponent(config, receiver));
  const kept: Series[] = [];
  for (const relabel of relabels) {
    if (relabel.name !== 'prometheus.relabel')
      throw new Error(`${scrape.id} forwards to ${relabel.id}, not a filter`);
    const rules = relabelRules(relabel, context);
    for (const series of raw) {
      const result = applyRelabelRules({ ...series.labels, __name__: series.name }, rules);
      if (result === undefined) continue;
      const { __name__: name = series.name, ...labels } = result;
      kept.push({ name, labels, value: series.value });
    }
  }
  return {
    scrape: scrape.id,
    relabel: relabels.map((r) => r.id),
    url,
    targetLabels: first,
    raw,
    kept,
  };
}

export function scrapeComponents(config: AlloyConfig): Component[] {
  return componentsNamed(config, 'prometheus.scrape');
}

export function seriesKey(series: Series): string {
  const labels = Object.entries(series.labels).sort(([a], [b]) => a.localeCompare(b));
  return `${series.name}{${labels.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
}
