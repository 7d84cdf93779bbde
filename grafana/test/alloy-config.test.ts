import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  alloyEnvVars,
  alloyPipelineMetrics,
  attributeOf,
  blocksOf,
  componentsNamed,
  evaluate,
  findComponent,
  findReferences,
  isComponentExport,
  loadAlloyConfig,
  paths,
  requireAttribute,
  requireBlock,
  unresolvedReferences,
  type AlloyValue,
  type Expr,
} from '../src/index.ts';
import { referencedComponent, stringValue } from './support/alloy-pipeline.ts';

const text = readFileSync(paths.alloyConfig, 'utf8');
const config = loadAlloyConfig(text);

const cloud = {
  GRAFANA_CLOUD_OTLP_ENDPOINT: 'https://otlp-gateway.example/otlp',
  GRAFANA_CLOUD_INSTANCE_ID: '111111',
  GRAFANA_CLOUD_PROMETHEUS_ENDPOINT: 'https://prometheus.example/api/prom/push',
  GRAFANA_CLOUD_PROMETHEUS_INSTANCE_ID: '222222',
  GRAFANA_CLOUD_API_KEY: 'glc_secret',
};

function valueIn(env: Record<string, string>, expr: Expr): AlloyValue {
  return evaluate(expr, { env });
}

/** The env variables an expression reads. */
function envReadBy(expr: Expr): string[] {
  switch (expr.kind) {
    case 'call':
      return expr.callee === 'sys.env' && expr.args[0]?.kind === 'string'
        ? [expr.args[0].value]
        : expr.args.flatMap(envReadBy);
    case 'binary':
      return [...envReadBy(expr.left), ...envReadBy(expr.right)];
    case 'list':
      return expr.items.flatMap(envReadBy);
    default:
      return [];
  }
}

describe('grafana-alloy/config.alloy', () => {
  it('parses, and every component it references is defined and exports that field', () => {
    expect(config.components.length).toBeGreaterThan(10);
    expect(findReferences(config).length).toBeGreaterThan(10);
    expect(unresolvedReferences(config)).toEqual([]);
  });

  it('runs OTLP through the memory limiter and the batch processor to the OTLP/HTTP exporter', () => {
    const receiver = findComponent(config, 'otelcol.receiver.otlp');
    expect(valueIn({}, requireAttribute(requireBlock(receiver.block, 'grpc'), 'endpoint'))).toBe(
      '0.0.0.0:4317',
    );
    expect(valueIn({}, requireAttribute(requireBlock(receiver.block, 'http'), 'endpoint'))).toBe(
      '0.0.0.0:4318',
    );

    const chain = [
      'otelcol.processor.memory_limiter',
      'otelcol.processor.batch',
      'otelcol.exporter.otlphttp',
    ];
    let current = receiver;
    for (const next of chain) {
      const output = requireBlock(current.block, 'output');
      for (const signal of ['metrics', 'logs', 'traces']) {
        const targets = valueIn({}, requireAttribute(output, signal));
        expect(Array.isArray(targets) && targets.length === 1, `${current.id} ${signal}`).toBe(
          true,
        );
        const target = referencedComponent(config, (targets as AlloyValue[])[0] ?? null);
        expect(target.name, `${current.id} ${signal}`).toBe(next);
      }
      current = findComponent(config, next);
    }
  });

  it('batches for 10 seconds', () => {
    const batch = findComponent(config, 'otelcol.processor.batch');
    expect(valueIn({}, requireAttribute(batch.block, 'timeout'))).toBe('10s');
  });

  it('exports OTLP with basic auth from the OTLP instance id and the API key, or to the local stack', () => {
    const exporter = findComponent(config, 'otelcol.exporter.otlphttp');
    const client = requireBlock(exporter.block, 'client');
    const endpoint = requireAttribute(client, 'endpoint');
    expect(valueIn(cloud, endpoint)).toBe(cloud.GRAFANA_CLOUD_OTLP_ENDPOINT);
    expect(valueIn({}, endpoint)).toBe('http://lgtm:4318');

    const auth = referencedComponent(config, valueIn({}, requireAttribute(client, 'auth')));
    expect(auth.name).toBe('otelcol.auth.basic');
    const credentials = requireBlock(auth.block, 'client_auth');
    expect(attributeOf(auth.block, 'username')).toBeUndefined();
    expect(valueIn(cloud, requireAttribute(credentials, 'username'))).toBe(
      cloud.GRAFANA_CLOUD_INSTANCE_ID,
    );
    expect(valueIn(cloud, requireAttribute(credentials, 'password'))).toBe(
      cloud.GRAFANA_CLOUD_API_KEY,
    );
    expect(envReadBy(requireAttribute(credentials, 'username'))).toEqual([
      'GRAFANA_CLOUD_INSTANCE_ID',
    ]);
    // The OTLP gateway's own token wins; without one, the shared access-policy token.
    expect(
      valueIn(
        { ...cloud, GRAFANA_CLOUD_AUTH_TOKEN: 'glc_otlp' },
        requireAttribute(credentials, 'password'),
      ),
    ).toBe('glc_otlp');
    expect(valueIn({}, requireAttribute(credentials, 'password'))).toBe('local');
  });

  it('remote-writes with the Prometheus instance id (not the OTLP one), or to the local Prometheus', () => {
    const remoteWrite = findComponent(config, 'prometheus.remote_write');
    const endpoint = requireBlock(remoteWrite.block, 'endpoint');
    const url = requireAttribute(endpoint, 'url');
    expect(valueIn(cloud, url)).toBe(cloud.GRAFANA_CLOUD_PROMETHEUS_ENDPOINT);
    expect(valueIn({}, url)).toBe('http://lgtm:9090/api/v1/write');
    const basicAuth = requireBlock(endpoint, 'basic_auth');
    expect(envReadBy(requireAttribute(basicAuth, 'username'))).toEqual([
      'GRAFANA_CLOUD_PROMETHEUS_INSTANCE_ID',
    ]);
    expect(valueIn(cloud, requireAttribute(basicAuth, 'username'))).toBe('222222');
    expect(valueIn(cloud, requireAttribute(basicAuth, 'password'))).toBe(
      cloud.GRAFANA_CLOUD_API_KEY,
    );
    // Only the OTLP token set: remote write uses it too (one token with all write scopes).
    const { GRAFANA_CLOUD_API_KEY: _key, ...withoutKey } = cloud;
    expect(
      valueIn(
        { ...withoutKey, GRAFANA_CLOUD_AUTH_TOKEN: 'glc_otlp' },
        requireAttribute(basicAuth, 'password'),
      ),
    ).toBe('glc_otlp');
  });

  it('builds the PostgreSQL data source name from the POSTGRES_* variables', () => {
    const postgres = findComponent(config, 'prometheus.exporter.postgres');
    const names = requireAttribute(postgres.block, 'data_source_names');
    expect(
      valueIn(
        {
          POSTGRES_USER: 'app',
          POSTGRES_PASSWORD: 's3cret',
          POSTGRES_HOST: 'db',
          POSTGRES_PORT: '6543',
          POSTGRES_DB: 'games',
        },
        names,
      ),
    ).toEqual(['postgresql://app:s3cret@db:6543/games?sslmode=disable']);
    expect(valueIn({}, names)).toEqual([
      'postgresql://postgres:@postgres:5432/game_scheduler?sslmode=disable',
    ]);
  });

  it('finds Redis from REDIS_ADDR, or from REDIS_HOST and REDIS_PORT', () => {
    const redis = requireAttribute(
      findComponent(config, 'prometheus.exporter.redis').block,
      'redis_addr',
    );
    expect(valueIn({ REDIS_ADDR: 'cache:7000' }, redis)).toBe('cache:7000');
    expect(valueIn({ REDIS_HOST: 'cache', REDIS_PORT: '7001' }, redis)).toBe('cache:7001');
    expect(valueIn({}, redis)).toBe('redis:6379');
  });

  it('scrapes every source every 60 s and forwards it through a keep filter to remote_write', () => {
    const scrapes = componentsNamed(config, 'prometheus.scrape');
    expect(scrapes.map((scrape) => scrape.label).sort()).toEqual([
      'alloy',
      'postgres',
      'rabbitmq',
      'redis',
    ]);
    for (const scrape of scrapes) {
      expect(valueIn({}, requireAttribute(scrape.block, 'scrape_interval')), scrape.id).toBe('60s');
      const forwardTo = valueIn({}, requireAttribute(scrape.block, 'forward_to'));
      expect(Array.isArray(forwardTo)).toBe(true);
      for (const receiver of forwardTo as AlloyValue[]) {
        const relabel = referencedComponent(config, receiver);
        expect(relabel.name, scrape.id).toBe('prometheus.relabel');
        const [keep] = blocksOf(relabel.block, 'rule');
        expect(keep && valueIn({}, requireAttribute(keep, 'action')), relabel.id).toBe('keep');
        expect(keep && valueIn({}, requireAttribute(keep, 'source_labels')), relabel.id).toEqual([
          '__name__',
        ]);
        const next = valueIn({}, requireAttribute(relabel.block, 'forward_to'));
        expect(
          (next as AlloyValue[]).map((value) => referencedComponent(config, value).name),
        ).toEqual(['prometheus.remote_write']);
      }
    }
  });

  it('labels each source with its integration job and an instance', () => {
    const expected: Record<string, string> = {
      postgres: 'integrations/postgres_exporter',
      redis: 'integrations/redis_exporter',
      rabbitmq: 'integrations/rabbitmq',
      alloy: 'integrations/alloy',
    };
    for (const discovery of componentsNamed(config, 'discovery.relabel')) {
      const rules = blocksOf(discovery.block, 'rule');
      const labels = Object.fromEntries(
        rules.map((rule) => [
          valueIn({}, requireAttribute(rule, 'target_label')),
          valueIn({}, requireAttribute(rule, 'replacement')),
        ]),
      );
      expect(labels.job, discovery.id).toBe(expected[discovery.label]);
      expect(typeof labels.instance === 'string' && labels.instance !== '', discovery.id).toBe(
        true,
      );
    }
    const rabbitTargets = valueIn(
      { RABBITMQ_PROMETHEUS_ADDR: 'mq:15692' },
      requireAttribute(findComponent(config, 'discovery.relabel', 'rabbitmq').block, 'targets'),
    );
    expect(rabbitTargets).toEqual([{ __address__: 'mq:15692' }]);
    expect(
      valueIn(
        {},
        requireAttribute(
          findComponent(config, 'prometheus.scrape', 'rabbitmq').block,
          'metrics_path',
        ),
      ),
    ).toBe('/metrics/per-object');
  });

  it("keeps Alloy's own pipeline metrics (accepted/refused spans, failed exports) and drops the rest", () => {
    const relabel = findComponent(config, 'prometheus.relabel', 'alloy');
    const [keep] = blocksOf(relabel.block, 'rule');
    const regex = new RegExp(`^(?:${stringValue(valueIn({}, requireAttribute(keep!, 'regex')))})$`);
    for (const name of [
      'up',
      ...Object.values(alloyPipelineMetrics),
      // OpenTelemetry counters without the suffix, as older Alloy versions name them.
      ...Object.values(alloyPipelineMetrics)
        .filter((metric) => metric.startsWith('otelcol_'))
        .map((metric) => metric.replace(/_total$/, '')),
    ]) {
      expect(regex.test(name), name).toBe(true);
    }
    for (const name of [
      'go_gc_duration_seconds',
      'alloy_component_evaluation_seconds_bucket',
      'otelcol_processor_batch_batch_send_size_bucket',
    ]) {
      expect(regex.test(name), name).toBe(false);
    }
  });

  it('reads only the environment variables it documents', () => {
    const vars = alloyEnvVars(text);
    expect(vars).toEqual([
      'GRAFANA_CLOUD_API_KEY',
      'GRAFANA_CLOUD_AUTH_TOKEN',
      'GRAFANA_CLOUD_INSTANCE_ID',
      'GRAFANA_CLOUD_OTLP_ENDPOINT',
      'GRAFANA_CLOUD_PROMETHEUS_ENDPOINT',
      'GRAFANA_CLOUD_PROMETHEUS_INSTANCE_ID',
      'POSTGRES_DB',
      'POSTGRES_HOST',
      'POSTGRES_PASSWORD',
      'POSTGRES_PORT',
      'POSTGRES_USER',
      'RABBITMQ_PROMETHEUS_ADDR',
      'REDIS_ADDR',
      'REDIS_HOST',
      'REDIS_PORT',
    ]);
    const header = text
      .split('\n')
      .filter((line) => line.startsWith('//'))
      .join('\n');
    for (const name of vars) expect(header, `${name} is documented at the top`).toContain(name);
  });

  it('uses only standard-library functions the checks understand, and references no undefined export', () => {
    for (const component of config.components) {
      for (const statement of component.block.body) {
        if (statement.kind === 'attribute') {
          expect(
            () => valueIn({}, statement.value),
            `${component.id}.${statement.name}`,
          ).not.toThrow();
        }
      }
    }
    expect(
      isComponentExport(
        valueIn(
          {},
          requireAttribute(findComponent(config, 'discovery.relabel', 'postgres').block, 'targets'),
        ),
      ),
    ).toBe(true);
  });
});
