// The scrape half of the series budget: config.alloy's PostgreSQL, Redis and RabbitMQ scrapes played
// against the real endpoints (the apt exporters Alloy embeds, RabbitMQ's rabbitmq_prometheus), each
// through the keep/drop rules read from the parsed config.alloy (the grafana workspace's Alloy
// parser and pipeline player), so the count follows the file.
import { readFileSync } from 'node:fs';
import {
  blocksOf,
  componentsNamed,
  evaluate,
  loadAlloyConfig,
  paths,
  requireAttribute,
  ruleFromBlock,
  type AlloyConfig,
  type EvaluationContext,
  type RelabelRule,
} from '@game-scheduler/grafana';
import type { TestServices } from '@game-scheduler/testing';
import {
  alloyEnvironmentFor,
  exporterBehind,
  referencedComponent,
  scrapeComponents,
  scrapeLikeAlloy,
  seriesKey,
  type Series,
} from '../../../grafana/test/support/alloy-pipeline.ts';
import {
  startEmbeddedExporters,
  type EmbeddedExporters,
} from '../../../grafana/test/support/embedded-exporters.ts';

export type { Series };

export function loadStackAlloyConfig(): AlloyConfig {
  return loadAlloyConfig(readFileSync(paths.alloyConfig, 'utf8'));
}

/** One prometheus.scrape of config.alloy and the filter rules its samples go through. */
export interface ScrapeFilter {
  /** e.g. `prometheus.scrape.postgres` */
  readonly scrape: string;
  /** The embedded exporter behind it, if any (e.g. `prometheus.exporter.redis`). */
  readonly exporter: string | undefined;
  readonly rules: readonly RelabelRule[];
}

/** Every scrape of config.alloy with the rules of the prometheus.relabel it forwards to. */
export function scrapeFilters(config: AlloyConfig, context: EvaluationContext): ScrapeFilter[] {
  return scrapeComponents(config).map((scrape) => {
    const forwardTo = evaluate(requireAttribute(scrape.block, 'forward_to'), context);
    if (!Array.isArray(forwardTo)) throw new Error(`${scrape.id} forward_to must be a list`);
    const rules = forwardTo.flatMap((receiver) =>
      blocksOf(referencedComponent(config, receiver).block, 'rule').map((rule) =>
        ruleFromBlock(rule, context),
      ),
    );
    return { scrape: scrape.id, exporter: exporterBehind(config, scrape, context)?.name, rules };
  });
}

export interface ScrapedJob {
  readonly scrape: string;
  /** Series the scrape returned (with the scrape's own `up`, `scrape_*`). */
  readonly raw: number;
  /** Series that pass config.alloy's filter: what remote_write would send. */
  readonly kept: readonly Series[];
}

export interface InfrastructureScrape {
  /** The scrapes that could run here: every one but Alloy's own metrics (that needs Alloy). */
  readonly jobs: readonly ScrapedJob[];
  /** Scrapes that need Alloy itself (prometheus.exporter.self), not measured here. */
  readonly skipped: readonly string[];
}

export type Exporters = EmbeddedExporters;

/**
 * Starts the apt postgres and redis exporters as config.alloy configures its embedded ones, with
 * the environment the compose file would give Alloy pointed at these services (POSTGRES_DB = the
 * database the services use).
 */
export function startExporters(
  config: AlloyConfig,
  services: TestServices,
  database: string,
): Promise<Exporters> {
  return startEmbeddedExporters(config, {
    ...alloyEnvironmentFor(services),
    POSTGRES_DB: database,
  });
}

/** Scrapes every scrape of config.alloy that needs no Alloy, through its filter. */
export async function scrapeInfrastructure(
  config: AlloyConfig,
  exporters: Exporters,
): Promise<InfrastructureScrape> {
  const jobs: ScrapedJob[] = [];
  const skipped: string[] = [];
  for (const filter of scrapeFilters(config, exporters.context)) {
    if (filter.exporter === 'prometheus.exporter.self') {
      skipped.push(filter.scrape);
      continue;
    }
    const scrape = componentsNamed(config, 'prometheus.scrape').find(
      (component) => component.id === filter.scrape,
    );
    if (scrape === undefined) throw new Error(`no ${filter.scrape}`);
    const result = await scrapeLikeAlloy(config, scrape, exporters.context, exporters.addresses);
    jobs.push({ scrape: filter.scrape, raw: result.raw.length, kept: result.kept });
  }
  return { jobs, skipped };
}

/**
 * What a deployment would keep of a scrape taken on this shared machine: PostgreSQL's per-database
 * series only for `postgres` and the services' database, RabbitMQ's per-queue series only for the
 * services' own namespace (other people's test databases and queues live on the same servers here).
 */
export function deploymentShaped(
  series: readonly Series[],
  database: string,
  namespace: string,
): Series[] {
  return series.filter((entry) => {
    const datname = entry.labels['datname'];
    if (datname !== undefined && datname !== 'postgres' && datname !== database) return false;
    const queue = entry.labels['queue'];
    if (queue !== undefined && !queue.startsWith(`${namespace}.`)) return false;
    return true;
  });
}

/** Distinct series (name and label set). */
export function distinctSeries(series: readonly Series[]): number {
  return new Set(series.map(seriesKey)).size;
}
