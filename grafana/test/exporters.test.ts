// The metrics half of config.alloy against the real thing: the postgres and redis exporters Alloy
// embeds (run as the apt binaries), RabbitMQ's rabbitmq_prometheus plugin, the targets, labels and
// keep filters read from the parsed config, and the dashboards' and alerts' PromQL.
import amqp from 'amqplib';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getServices, uniqueName } from '@game-scheduler/testing';
import {
  evaluate,
  loadAlloyConfig,
  paths,
  requireAttribute,
  selectorMatches,
  findComponent,
} from '../src/index.ts';
import {
  alloyEnvironmentFor,
  exporterBehind,
  scrapeComponents,
  scrapeLikeAlloy,
  seriesKey,
  stringValue,
  type ScrapeResult,
  type Series,
} from './support/alloy-pipeline.ts';
import { startEmbeddedExporters, type EmbeddedExporters } from './support/embedded-exporters.ts';
import {
  usedExpressions,
  usedInfrastructureMetricNames,
  usedMetricNames,
} from './support/used-metrics.ts';
import { servicesMetricNames } from './support/services-metrics.ts';

const SERIES_BUDGET = 1_000;
const config = loadAlloyConfig(readFileSync(paths.alloyConfig, 'utf8'));
let exporters: EmbeddedExporters | undefined;
const results = new Map<string, ScrapeResult>();
let connection: amqp.ChannelModel | undefined;
let namespace = '';
const queues = { main: '', deadLetter: '' };

function kept(): Series[] {
  return [...results.values()].flatMap((result) => result.kept);
}

function result(label: string): ScrapeResult {
  const found = results.get(`prometheus.scrape.${label}`);
  if (found === undefined) throw new Error(`prometheus.scrape.${label} was not scraped`);
  return found;
}

async function waitForQueueMetrics(
  address: string,
  path: string,
  queue: string,
  ready: number,
): Promise<void> {
  const deadline = Date.now() + 45_000;
  const pattern = new RegExp(
    `^rabbitmq_queue_messages_ready\\{[^}]*queue="${queue.replace(/\./g, '\\.')}"[^}]*\\} ${ready}$`,
    'm',
  );
  for (;;) {
    const text = await (await fetch(`http://${address}${path}`)).text();
    if (pattern.test(text)) return;
    if (Date.now() > deadline)
      throw new Error(`RabbitMQ metrics never showed ${ready} ready messages in ${queue}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

beforeAll(async () => {
  const services = getServices();
  // The real exporters, configured from what config.alloy evaluates to.
  exporters = await startEmbeddedExporters(config, alloyEnvironmentFor(services));
  const { addresses, context } = exporters;

  // Queues named the way packages/messaging names them, with messages waiting in both.
  namespace = uniqueName('grafana');
  queues.main = `${namespace}.bot`;
  queues.deadLetter = `${namespace}.bot.dead-letter`;
  connection = await amqp.connect(services.rabbitmqUrl);
  const channel = await connection.createChannel();
  for (const queue of [queues.main, queues.deadLetter]) {
    await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  }
  for (let i = 0; i < 3; i += 1) channel.sendToQueue(queues.main, Buffer.from(`m${i}`));
  for (let i = 0; i < 2; i += 1) channel.sendToQueue(queues.deadLetter, Buffer.from(`d${i}`));
  await channel.close();
  // Per-object metrics are refreshed from RabbitMQ's statistics (every few seconds).
  const rabbitTarget = evaluate(
    requireAttribute(findComponent(config, 'discovery.relabel', 'rabbitmq').block, 'targets'),
    context,
  );
  const rabbitAddress = stringValue(
    (rabbitTarget as Record<string, string>[])[0]?.__address__ ?? null,
  );
  const rabbitPath = stringValue(
    evaluate(
      requireAttribute(
        findComponent(config, 'prometheus.scrape', 'rabbitmq').block,
        'metrics_path',
      ),
      context,
    ),
  );
  await waitForQueueMetrics(rabbitAddress, rabbitPath, queues.deadLetter, 2);
  await waitForQueueMetrics(rabbitAddress, rabbitPath, queues.main, 3);

  for (const scrape of scrapeComponents(config)) {
    // Alloy's own metrics need Alloy; they are checked by the pipeline verification instead.
    if (exporterBehind(config, scrape, context)?.name === 'prometheus.exporter.self') continue;
    results.set(scrape.id, await scrapeLikeAlloy(config, scrape, context, addresses));
  }
}, 120_000);

afterAll(async () => {
  if (connection !== undefined) {
    const channel = await connection.createChannel();
    for (const queue of [queues.main, queues.deadLetter])
      if (queue !== '') await channel.deleteQueue(queue);
    await connection.close();
  }
  await exporters?.stop();
});

describe('the infrastructure metrics config.alloy scrapes', () => {
  it('come from the real PostgreSQL, Redis and RabbitMQ endpoints, labelled with their integration jobs', () => {
    expect([...results.keys()].sort()).toEqual([
      'prometheus.scrape.postgres',
      'prometheus.scrape.rabbitmq',
      'prometheus.scrape.redis',
    ]);
    const expectations: [string, string, string][] = [
      ['postgres', 'integrations/postgres_exporter', 'pg_up'],
      ['redis', 'integrations/redis_exporter', 'redis_up'],
      ['rabbitmq', 'integrations/rabbitmq', 'rabbitmq_global_messages_received_total'],
    ];
    for (const [label, job, metric] of expectations) {
      const scraped = result(label);
      expect(scraped.targetLabels.job).toBe(job);
      expect(scraped.targetLabels.instance).toMatch(/.+:\d+$/);
      expect(scraped.raw.length, `${label} scraped series`).toBeGreaterThan(20);
      expect(
        scraped.kept.some((series) => series.name === metric && series.labels.job === job),
        metric,
      ).toBe(true);
      if (metric.endsWith('_up')) {
        expect(
          scraped.kept.find((series) => series.name === metric)?.value,
          `${metric}: the exporter reached the server`,
        ).toBe(1);
      }
      expect(
        scraped.kept.some((series) => series.name === 'up' && series.labels.job === job),
        `up of ${job}`,
      ).toBe(true);
    }
    expect(result('rabbitmq').url).toMatch(/\/metrics\/per-object$/);
  });

  it('keep every metric a dashboard or an alert uses', () => {
    const names = new Set(kept().map((series) => series.name));
    const missing = [...usedInfrastructureMetricNames()].filter((name) => !names.has(name)).sort();
    expect(missing).toEqual([]);
  });

  it('give every selector of every dashboard and alert something to select', () => {
    const series = kept();
    const services = servicesMetricNames();
    const empty = usedExpressions().flatMap((entry) =>
      entry.selectors
        .filter((selector) => !services.has(selector.metric ?? ''))
        .filter(
          (selector) =>
            !series.some((candidate) =>
              selectorMatches(selector, candidate.name, candidate.labels),
            ),
        )
        .map(
          (selector) =>
            `${entry.source}: ${selector.metric ?? '?'} ${JSON.stringify(selector.matchers)}`,
        ),
    );
    expect(empty).toEqual([]);
  });

  it('keep nothing the dashboards and alerts do not use, besides up', () => {
    const used = usedMetricNames();
    const unused = [...new Set(kept().map((series) => series.name))].filter(
      (name) => name !== 'up' && !used.has(name),
    );
    expect(unused).toEqual([]);
  });

  it('carry one series per queue, the dead-letter queue included, into the queue-depth panels and alerts', () => {
    const depth = (queue: string): boolean =>
      result('rabbitmq').kept.some(
        (series) =>
          series.name === 'rabbitmq_queue_messages_ready' && series.labels.queue === queue,
      );
    expect(depth(queues.main)).toBe(true);
    expect(depth(queues.deadLetter)).toBe(true);
    const deadLetterAlert = usedExpressions().find((entry) =>
      entry.source.endsWith('RabbitMQDeadLetters'),
    );
    const backlogAlert = usedExpressions().find((entry) =>
      entry.source.endsWith('RabbitMQQueueBacklog'),
    );
    const labelsOf = (queue: string) => ({ job: 'integrations/rabbitmq', queue });
    const [deadLetterSelector] = deadLetterAlert?.selectors ?? [];
    const [backlogSelector] = backlogAlert?.selectors ?? [];
    expect(
      deadLetterSelector &&
        selectorMatches(
          deadLetterSelector,
          'rabbitmq_queue_messages_ready',
          labelsOf(queues.deadLetter),
        ),
    ).toBe(true);
    expect(
      deadLetterSelector &&
        selectorMatches(deadLetterSelector, 'rabbitmq_queue_messages_ready', labelsOf(queues.main)),
    ).toBe(false);
    expect(
      backlogSelector &&
        selectorMatches(backlogSelector, 'rabbitmq_queue_messages_ready', labelsOf(queues.main)),
    ).toBe(true);
    expect(
      backlogSelector &&
        selectorMatches(
          backlogSelector,
          'rabbitmq_queue_messages_ready',
          labelsOf(queues.deadLetter),
        ),
    ).toBe(false);
    expect(
      backlogSelector &&
        selectorMatches(
          backlogSelector,
          'rabbitmq_queue_messages_ready',
          labelsOf(`${queues.main}.retry.5000ms`),
        ),
    ).toBe(false);
  });

  it('drop the template databases', () => {
    const raw = result('postgres').raw.filter((series) => series.labels.datname === 'template1');
    expect(raw.length).toBeGreaterThan(0);
    expect(
      result('postgres').kept.filter((series) => series.labels.datname?.startsWith('template')),
    ).toEqual([]);
  });

  it(`stay under ${SERIES_BUDGET} active series for the three sources together`, () => {
    const unique = new Set(kept().map(seriesKey));
    const perSource = [...results.values()].map(
      (scraped) =>
        `${scraped.scrape}: ${scraped.raw.length} scraped -> ${new Set(scraped.kept.map(seriesKey)).size} kept`,
    );
    console.log(
      `Infrastructure series after filtering: ${unique.size} (budget ${SERIES_BUDGET})\n  ${perSource.join('\n  ')}`,
    );
    expect(unique.size).toBe(kept().length);
    expect(unique.size).toBeLessThan(SERIES_BUDGET);
  });
});
