// config.alloy and the compose files describe the same system: what Alloy reads, listens on and
// scrapes must be what compose gives it, runs and publishes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadComposeProject, serviceEnvironment } from '@game-scheduler/testing';
import {
  alloyEnvVars,
  componentsNamed,
  evaluate,
  findComponent,
  loadAlloyConfig,
  paths,
  requireAttribute,
  requireBlock,
} from '../src/index.ts';
import { stringValue } from './support/alloy-pipeline.ts';

const text = readFileSync(paths.alloyConfig, 'utf8');
const config = loadAlloyConfig(text);
const repositoryRoot = join(paths.packageRoot, '..');
/** What `docker compose up` runs on a fresh clone (no .env). */
const project = loadComposeProject(join(repositoryRoot, 'docker-compose.yml'), {});
const alloyService = project.services['grafana-alloy']!;
const alloyEnvironment = serviceEnvironment(alloyService);

function evaluateIn(env: Record<string, string>, expr: Parameters<typeof evaluate>[0]): string {
  return stringValue(evaluate(expr, { env }));
}

/** host:port → does compose run `host` and does that service listen on `port`? */
function composeServes(address: string): boolean {
  const [host, port] = address.split(':');
  const service = host === undefined ? undefined : project.services[host];
  if (service === undefined || port === undefined) return false;
  const ports = [...(service.expose ?? []), ...(service.ports ?? [])].map(String);
  const knownPorts: Record<string, string[]> = {
    // Images whose ports are their documented defaults rather than declared in compose.
    postgres: ['5432'],
    redis: ['6379'],
    lgtm: ['4317', '4318', '9090', '3000'],
  };
  return (
    (knownPorts[host ?? ''] ?? []).includes(port) ||
    ports.some((entry) => entry === port || entry.endsWith(`:${port}`))
  );
}

describe('config.alloy and the compose files', () => {
  it('compose sets every variable config.alloy reads, and nothing else Alloy would not read', () => {
    const reads = alloyEnvVars(text);
    expect(Object.keys(alloyEnvironment).sort()).toEqual(reads);
  });

  it('the services send OTLP to the HTTP receiver Alloy listens on, published by compose', () => {
    const receiver = findComponent(config, 'otelcol.receiver.otlp');
    const http = evaluateIn({}, requireAttribute(requireBlock(receiver.block, 'http'), 'endpoint'));
    const grpc = evaluateIn({}, requireAttribute(requireBlock(receiver.block, 'grpc'), 'endpoint'));
    const httpPort = http.split(':')[1]!;
    const grpcPort = grpc.split(':')[1]!;
    expect(alloyService.ports).toEqual(
      expect.arrayContaining([`${grpcPort}:${grpcPort}`, `${httpPort}:${httpPort}`]),
    );
    for (const [name, service] of Object.entries(project.services)) {
      const endpoint = serviceEnvironment(service).OTEL_EXPORTER_OTLP_ENDPOINT;
      if (endpoint === undefined) continue;
      expect(endpoint, name).toBe(`http://grafana-alloy:${httpPort}`);
    }
  });

  it('publishes the port Alloy serves its UI, readiness and own metrics on', () => {
    const command = (alloyService.command as string[]).join(' ');
    const listen = /--server\.http\.listen-addr=0\.0\.0\.0:(\d+)/.exec(command)?.[1];
    expect(listen).toBe('12345');
    expect(alloyService.ports).toContain(`${listen}:${listen}`);
  });

  it('with compose’s defaults, exports and remote-writes to the local Grafana stack compose runs', () => {
    const exporter = findComponent(config, 'otelcol.exporter.otlphttp');
    const otlp = new URL(
      evaluateIn(
        alloyEnvironment,
        requireAttribute(requireBlock(exporter.block, 'client'), 'endpoint'),
      ),
    );
    expect(composeServes(otlp.host), otlp.host).toBe(true);
    const remoteWrite = findComponent(config, 'prometheus.remote_write');
    const url = new URL(
      evaluateIn(
        alloyEnvironment,
        requireAttribute(requireBlock(remoteWrite.block, 'endpoint'), 'url'),
      ),
    );
    expect(composeServes(url.host), url.host).toBe(true);
  });

  it('with compose’s defaults, scrapes PostgreSQL, Redis and RabbitMQ where compose runs them', () => {
    const postgres = findComponent(config, 'prometheus.exporter.postgres');
    const [dsn] = evaluate(requireAttribute(postgres.block, 'data_source_names'), {
      env: alloyEnvironment,
    }) as string[];
    const database = new URL(dsn!);
    expect(composeServes(database.host)).toBe(true);
    const postgresEnvironment = serviceEnvironment(project.services.postgres!);
    expect(decodeURIComponent(database.username)).toBe(postgresEnvironment.POSTGRES_USER);
    expect(decodeURIComponent(database.password)).toBe(postgresEnvironment.POSTGRES_PASSWORD);
    expect(database.pathname).toBe(`/${postgresEnvironment.POSTGRES_DB ?? ''}`);

    const redis = findComponent(config, 'prometheus.exporter.redis');
    expect(
      composeServes(evaluateIn(alloyEnvironment, requireAttribute(redis.block, 'redis_addr'))),
    ).toBe(true);

    const rabbitmq = findComponent(config, 'discovery.relabel', 'rabbitmq');
    const [target] = evaluate(requireAttribute(rabbitmq.block, 'targets'), {
      env: alloyEnvironment,
    }) as { __address__: string }[];
    expect(composeServes(target!.__address__)).toBe(true);
    expect(componentsNamed(config, 'prometheus.scrape').length).toBe(4);
  });

  it('Alloy starts after the three servers it scrapes are healthy', () => {
    expect(alloyService.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
      rabbitmq: { condition: 'service_healthy' },
    });
  });
});
