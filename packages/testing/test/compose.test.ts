// The compose files are what a user runs: they must be valid for Docker Compose, start every
// service after what it needs is healthy, and pass exactly the documented variables.
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
  accessSync,
  constants,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv, type ErrorObject } from 'ajv';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  includedFiles,
  interpolatedVariables,
  loadComposeProject,
  parseComposeText,
  serviceEnvironment,
  type ComposeService,
} from '../src/index.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..', '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');
const composeFiles = readdirSync(root)
  .filter((file) => /^(docker-)?compose(\.[\w-]+)?\.ya?ml$/.test(file))
  .sort();
const schema = JSON.parse(
  readFileSync(join(root, '..', 'shared', 'schemas', 'compose-spec.json'), 'utf8'),
) as Record<string, unknown>;

/** The project `docker compose up` runs on a fresh clone (no .env). */
const project = loadComposeProject(join(root, 'docker-compose.yml'), {});
/** Services built from our Dockerfile, and Alloy: every variable they get is ours to document. */
const ownServices = Object.entries(project.services).filter(
  ([, service]) => service.build !== undefined || service.image?.startsWith('grafana/alloy:'),
);
const nodeServices = ['api', 'bot', 'notification-daemon', 'status-transition-daemon'];

function envExampleVariables(): Set<string> {
  return new Set([...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
}

function documentedVariables(): Set<string> {
  return new Set(
    [...read('RUNTIME_CONFIG.md').matchAll(/^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|/gm)].map((m) => m[1]!),
  );
}

/** Every variable compose passes to our services or interpolates, across all compose files. */
function composeVariables(): Set<string> {
  const names = new Set<string>();
  for (const file of composeFiles)
    for (const name of interpolatedVariables(read(file))) names.add(name);
  for (const [, service] of ownServices) {
    for (const name of Object.keys(serviceEnvironment(service))) names.add(name);
  }
  return names;
}

function dependsOn(service: ComposeService): Record<string, string | undefined> {
  const value = service.depends_on ?? {};
  return Array.isArray(value)
    ? Object.fromEntries(value.map((name) => [name, undefined]))
    : Object.fromEntries(Object.entries(value).map(([name, spec]) => [name, spec.condition]));
}

function findDockerCompose(): string {
  for (const directory of [...(process.env.PATH ?? '').split(':'), '/usr/bin']) {
    const candidate = join(directory, 'docker-compose');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(
    'docker-compose (1.29, for `docker-compose config`) is not installed: ' +
      '"apt-get update && apt-get install -y docker-compose" (.ci/run does this).',
  );
}

async function dockerComposeConfig(...files: string[]): Promise<{ code: number; output: string }> {
  const emptyEnv = join(mkdtempSync(join(tmpdir(), 'compose-')), 'empty.env');
  writeFileSync(emptyEnv, '');
  const args = ['--project-directory', root, '--env-file', emptyEnv];
  for (const file of files) args.push('-f', file);
  try {
    const { stdout, stderr } = await run(findDockerCompose(), [...args, 'config', '-q'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('the compose files', () => {
  it('are the base stack and the local stack that includes it', () => {
    expect(composeFiles).toEqual(['docker-compose.base.yml', 'docker-compose.yml']);
    expect(includedFiles(parseComposeText(read('docker-compose.yml')))).toEqual([
      'docker-compose.base.yml',
    ]);
  });

  it('each validate against the Compose Specification JSON schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const { $schema: _ignored, ...compiled } = schema;
    const validate = ajv.compile(compiled);
    for (const file of composeFiles) {
      const valid = validate(parseComposeText(read(file)));
      const errors = (validate.errors ?? []).map(
        (error: ErrorObject) => `${error.instancePath} ${error.message ?? ''}`,
      );
      expect(errors, file).toEqual([]);
      expect(valid, file).toBe(true);
    }
  });

  it('the JSON-schema check catches a misspelt key (it can fail)', () => {
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const { $schema: _ignored, ...compiled } = schema;
    const validate = ajv.compile(compiled);
    expect(validate({ services: { api: { image: 'x', helthcheck: {} } } })).toBe(false);
  });

  it('pass `docker-compose config`: the base file alone, and with the local services merged in', async () => {
    const base = await dockerComposeConfig('docker-compose.base.yml');
    expect(base.output).toBe('');
    expect(base.code).toBe(0);
    // docker-compose 1.29 predates `include`: give it the local file's services as a second file,
    // which is what the include amounts to.
    const {
      include: _include,
      name: _name,
      ...local
    } = parseComposeText(read('docker-compose.yml'));
    const localFile = join(mkdtempSync(join(tmpdir(), 'compose-')), 'local.yml');
    writeFileSync(localFile, stringify(local));
    const merged = await dockerComposeConfig('docker-compose.base.yml', localFile);
    expect(merged.output).toBe('');
    expect(merged.code).toBe(0);
  });

  it('`docker-compose config` rejects a broken file (the check can fail)', async () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'compose-')), 'broken.yml');
    writeFileSync(broken, 'services:\n  api:\n    image: x\n    depends_on: 7\n');
    const result = await dockerComposeConfig(broken);
    expect(result.code).not.toBe(0);
  });

  it('run the whole stack: databases, Alloy, the migration, the four services and the local stand-ins', () => {
    expect(Object.keys(project.services).sort()).toEqual([
      'api',
      'bot',
      'bot-commands',
      'discord-sim',
      'grafana-alloy',
      'lgtm',
      'migrate',
      'notification-daemon',
      'postgres',
      'rabbitmq',
      'redis',
      'status-transition-daemon',
      'traffic-generator',
    ]);
    const base = parseComposeText(read('docker-compose.base.yml'));
    expect(Object.keys(base.services ?? {})).not.toContain('lgtm');
    // No separate exporter containers: Alloy embeds them.
    for (const service of Object.values(project.services)) {
      expect(service.image ?? '').not.toMatch(/exporter/);
    }
  });

  it('pin Grafana Alloy and mount config.alloy where Alloy reads it, with its three ports published', () => {
    const alloy = project.services['grafana-alloy']!;
    expect(alloy.image).toMatch(/^grafana\/alloy:v\d+\.\d+\.\d+$/);
    expect(alloy.volumes).toContain('./grafana-alloy/config.alloy:/etc/alloy/config.alloy:ro');
    expect(alloy.command).toContain('/etc/alloy/config.alloy');
    expect(alloy.ports).toEqual(['4317:4317', '4318:4318', '12345:12345']);
  });

  it('mount only files and directories that exist in the repository', () => {
    for (const [name, service] of Object.entries(project.services)) {
      for (const volume of service.volumes ?? []) {
        if (typeof volume !== 'string' || !volume.startsWith('./')) continue;
        const source = volume.split(':')[0]!;
        expect(existsSync(join(root, source)), `${name} mounts ${source}`).toBe(true);
      }
    }
  });

  it('provision the local Grafana with our dashboards, and its Prometheus with our alert rules', () => {
    const mounts = Object.fromEntries(
      (project.services.lgtm?.volumes ?? [])
        .filter((volume): volume is string => typeof volume === 'string')
        .map((volume) => volume.split(':') as [string, string]),
    );
    const dashboards = mounts['./grafana/dashboards']!;
    const provisioning = read('grafana/provisioning/dashboards/game-scheduler.yml');
    expect(provisioning).toContain(`path: ${dashboards}`);
    expect(mounts['./grafana/provisioning/dashboards/game-scheduler.yml']).toMatch(
      /^\/otel-lgtm\/grafana\/conf\/provisioning\/dashboards\//,
    );
    const prometheus = read('grafana/provisioning/prometheus/prometheus.yaml');
    expect(mounts['./grafana/provisioning/prometheus/prometheus.yaml']).toBe(
      '/otel-lgtm/prometheus.yaml',
    );
    expect(prometheus).toContain(`- ${mounts['./grafana/alerts'] ?? '?'}/*.yml`);
    expect(project.services.lgtm?.image).toMatch(/^grafana\/otel-lgtm:\d+\.\d+\.\d+$/);
  });

  it('enable rabbitmq_prometheus and expose its port 15692', () => {
    const rabbitmq = project.services.rabbitmq!;
    expect(rabbitmq.expose).toContain('15692');
    const mount = rabbitmq.volumes?.find(
      (volume) => typeof volume === 'string' && volume.includes('/etc/rabbitmq/enabled_plugins'),
    );
    expect(typeof mount).toBe('string');
    const file = (mount as string).split(':')[0]!;
    expect(read(file).trim()).toBe('[rabbitmq_prometheus].');
  });

  it('give every long-running service a healthcheck that runs a real check', () => {
    for (const [name, service] of Object.entries(project.services)) {
      if (['migrate', 'bot-commands', 'traffic-generator'].includes(name)) continue;
      const test = service.healthcheck?.test;
      expect(Array.isArray(test) && test.length > 1, `${name} healthcheck`).toBe(true);
      expect(service.healthcheck?.disable, name).not.toBe(true);
      expect((test as string[]).join(' '), name).not.toMatch(/\b(true|exit 0)\b/);
    }
  });

  it('start each service only after what it needs is healthy (the migration: completed)', () => {
    for (const name of nodeServices) {
      const { 'bot-commands': commands, ...needs } = dependsOn(project.services[name]!);
      // The bot starts once its slash commands are registered.
      expect(commands, name).toBe(name === 'bot' ? 'service_completed_successfully' : undefined);
      expect(needs, name).toEqual({
        migrate: 'service_completed_successfully',
        postgres: 'service_healthy',
        redis: 'service_healthy',
        rabbitmq: 'service_healthy',
        'grafana-alloy': 'service_healthy',
      });
    }
    expect(dependsOn(project.services.migrate!)).toEqual({ postgres: 'service_healthy' });
    for (const [name, service] of Object.entries(project.services)) {
      for (const [dependency, condition] of Object.entries(dependsOn(service))) {
        expect(project.services[dependency], `${name} depends on ${dependency}`).toBeDefined();
        expect(condition, `${name} → ${dependency}`).toMatch(
          /^service_(healthy|completed_successfully)$/,
        );
      }
    }
  });

  it('configure each service’s telemetry through the OTEL_* variables, towards Alloy over OTLP/HTTP', () => {
    for (const name of nodeServices) {
      const environment = serviceEnvironment(project.services[name]!);
      expect(environment, name).toMatchObject({
        OTEL_SERVICE_NAME: name,
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://grafana-alloy:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_LOGS_EXPORTER: 'otlp',
      });
    }
  });

  it('build every Node process from one Dockerfile target of the same name', () => {
    const dockerfile = read('Dockerfile');
    const targets = [...dockerfile.matchAll(/^FROM \S+ AS ([\w-]+)$/gm)].map((m) => m[1]);
    for (const [name, service] of Object.entries(project.services)) {
      if (service.build === undefined) continue;
      expect(service.build, name).toMatchObject({
        context: '.',
        dockerfile: 'Dockerfile',
        target: name,
      });
      expect(targets, name).toContain(name);
    }
  });

  it('run every process built from the Dockerfile as a non-root user', () => {
    const dockerfile = read('Dockerfile');
    // Each stage: its name, what it starts FROM, and the last USER it sets.
    const stages = new Map<string, { from: string; user: string | undefined }>();
    let current: { from: string; user: string | undefined } | undefined;
    for (const line of dockerfile.split('\n')) {
      const from = /^FROM (\S+)(?: AS ([\w-]+))?$/.exec(line);
      if (from !== null) {
        current = { from: from[1]!, user: undefined };
        stages.set(from[2] ?? from[1]!, current);
      }
      const user = /^USER (\S+)$/.exec(line);
      if (user !== null && current !== undefined) current.user = user[1];
    }
    const userOf = (name: string): string | undefined => {
      const stage = stages.get(name);
      if (stage === undefined) return undefined;
      return stage.user ?? userOf(stage.from);
    };
    const built = Object.entries(project.services).filter(([, s]) => s.build !== undefined);
    expect(built.length).toBeGreaterThan(4);
    for (const [name, service] of built) {
      const user = service.user ?? userOf(name);
      expect(user, name).toBeDefined();
      expect(['root', '0', '0:0'], name).not.toContain(user);
    }
  });

  it('pass only variables documented in .env.example and RUNTIME_CONFIG.md', () => {
    const example = envExampleVariables();
    const documented = documentedVariables();
    const used = [...composeVariables()];
    expect(used.length).toBeGreaterThan(40);
    expect(
      used.filter((name) => !example.has(name)),
      'missing from .env.example',
    ).toEqual([]);
    expect(
      used.filter((name) => !documented.has(name)),
      'missing from RUNTIME_CONFIG.md',
    ).toEqual([]);
  });

  it('pass every variable .env.example lists to some service (the tests’ and the push script’s excepted)', () => {
    const used = composeVariables();
    // Read on the host, never in a container: the tests, and npm run push -w @game-scheduler/grafana.
    const hostOnly = new Set([
      'GRAFANA_URL',
      'GRAFANA_SERVICE_ACCOUNT_TOKEN',
      'GRAFANA_CLOUD_RULES_API_KEY',
      'GRAFANA_RULES_NAMESPACE',
    ]);
    const unused = [...envExampleVariables()].filter(
      (name) => !used.has(name) && !name.startsWith('TEST_') && !hostOnly.has(name),
    );
    expect(unused).toEqual([]);
  });

  it('hand every app the variables its configuration reads', () => {
    const reads: Record<string, RegExp> = {
      api: /^(API_|REDIS_URL$|DISCORD_(BOT_TOKEN|API_URL|CLIENT_ID|CLIENT_SECRET|OAUTH_AUTHORIZE_URL)$)/,
      bot: /^(BOT_|DISCORD_(BOT_TOKEN|API_URL|CLIENT_ID)$)/,
      'notification-daemon': /^(NOTIFICATION_DAEMON_|DISCORD_(BOT_TOKEN|API_URL)$)/,
      'status-transition-daemon': /^STATUS_DAEMON_/,
    };
    for (const name of nodeServices) {
      const config = read(`apps/${name}/src/config.ts`);
      const variables = [...config.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
      const environment = serviceEnvironment(project.services[name]!);
      expect(variables.length, name).toBeGreaterThan(3);
      expect(
        variables.filter((variable) => !(variable in environment)),
        `${name} reads variables compose does not pass`,
      ).toEqual([]);
      expect(
        Object.keys(environment).filter(
          (variable) =>
            !variables.includes(variable) &&
            !variable.startsWith('OTEL_') &&
            reads[name]!.test(variable),
        ),
        `${name} is passed variables it does not read`,
      ).toEqual([]);
    }
  });
});

describe('the Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = new Map(
    dockerfile
      .split(/^(?=FROM )/m)
      .filter((stage) => stage.startsWith('FROM '))
      .map((stage) => [/^FROM \S+ AS ([\w-]+)/.exec(stage)?.[1] ?? '', stage]),
  );
  const cmd = (stage: string): string[] =>
    JSON.parse(/^CMD (\[.*\])$/m.exec(stages.get(stage) ?? '')?.[1] ?? '[]') as string[];
  const workdir = (stage: string): string =>
    /^WORKDIR (\S+)$/m.exec(stages.get(stage) ?? '')?.[1] ?? '';
  const packageJson = (dir: string) =>
    JSON.parse(read(`${dir}/package.json`)) as {
      scripts: Record<string, string>;
      exports?: Record<string, Record<string, string>>;
    };

  it('builds on Node 24 in one stage and runs as the unprivileged node user in another', () => {
    expect(dockerfile).toMatch(/^ARG NODE_VERSION=24$/m);
    expect(stages.get('build')).toMatch(/^FROM node:\$\{NODE_VERSION\}-\S+ AS build/);
    expect(stages.get('build')).toMatch(/npm ci .*\n?.*npm run build/);
    expect(stages.get('runtime')).toMatch(/^FROM node:\$\{NODE_VERSION\}-\S+ AS runtime/);
    expect(stages.get('runtime')).toMatch(/COPY --from=build /);
    expect(stages.get('runtime')).toMatch(/^USER node$/m);
    for (const [name, stage] of stages) {
      if (name === 'build' || name === 'runtime') continue;
      expect(stage, name).toMatch(/^FROM runtime AS /);
      expect(stage, name).not.toMatch(/^USER root/m);
    }
  });

  it('starts each service as its package’s start script does: the telemetry preload, then the compiled main', () => {
    for (const app of nodeServices) {
      expect(workdir(app), app).toBe(`/app/apps/${app}`);
      const start = packageJson(`apps/${app}`).scripts.start;
      expect(start, app).toBe('node --import @game-scheduler/telemetry/register dist/main.js');
      expect(cmd(app).join(' '), app).toBe(start);
    }
  });

  it('runs files the build emits: each dist/<file>.js comes from a src/<file>.ts that exists', () => {
    const entries: [string, string][] = [
      ...nodeServices.map((app): [string, string] => [`apps/${app}`, 'dist/main.js']),
      ['apps/bot', 'dist/deploy-commands.js'],
      ['packages/discord-sim', 'dist/cli.js'],
      ['apps/traffic-generator', 'dist/main.js'],
      ['packages/telemetry', 'dist/register.js'],
    ];
    for (const [dir, file] of entries) {
      const build = JSON.parse(read(`${dir}/tsconfig.build.json`)) as {
        compilerOptions: { rootDir: string; outDir: string };
      };
      expect(build.compilerOptions, dir).toMatchObject({ rootDir: 'src', outDir: 'dist' });
      expect(() =>
        read(`${dir}/${file.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts')}`),
      ).not.toThrow();
    }
    // Retried for a minute: the local Discord may start after it.
    expect(cmd('bot-commands').slice(0, 2)).toEqual(['sh', '-c']);
    expect(cmd('bot-commands')[2]).toContain(
      'node --import @game-scheduler/telemetry/register dist/deploy-commands.js && exit 0',
    );
    expect(cmd('discord-sim').slice(0, 2)).toEqual(['node', 'dist/cli.js']);
    expect(cmd('migrate')).toEqual(['npm', 'run', 'db:migrate']);
    expect(
      (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts[
        'db:migrate'
      ],
    ).toBeDefined();
  });

  it('resolves every workspace import to compiled code at run time (each export’s dist file mirrors its source)', () => {
    const workspaces = ['apps', 'packages'].flatMap((parent) =>
      readdirSync(join(root, parent), { withFileTypes: true })
        .filter(
          (entry) =>
            entry.isDirectory() && existsSync(join(root, parent, entry.name, 'package.json')),
        )
        .map((entry) => `${parent}/${entry.name}`),
    );
    for (const dir of workspaces) {
      for (const [entry, conditions] of Object.entries(packageJson(dir).exports ?? {})) {
        const source = conditions['@game-scheduler/source'];
        if (source === undefined) continue;
        expect(conditions.default, `${dir} ${entry}`).toBe(
          source.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, '.js'),
        );
      }
    }
  });

  it('keeps the committed generated Prisma client and the sources in the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git', '.env']));
    for (const pattern of ignored) expect(pattern).not.toMatch(/generated|src|prisma|docker/);
  });
});

describe('each app started with the environment compose gives it', () => {
  const envExample = Object.fromEntries(
    [...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]),
  );
  const configs = {
    api: () => import('../../../apps/api/src/config.ts'),
    bot: () => import('../../../apps/bot/src/config.ts'),
    'notification-daemon': () => import('../../../apps/notification-daemon/src/config.ts'),
    'status-transition-daemon': () =>
      import('../../../apps/status-transition-daemon/src/config.ts'),
    'traffic-generator': () => import('../../../apps/traffic-generator/src/config.ts'),
  } as const;

  for (const [label, dotEnv] of [
    ['a fresh clone (no .env)', {}],
    ['.env copied from .env.example', envExample],
  ] as const) {
    it(`passes its configuration check on ${label}, pointed at the compose services`, async () => {
      const services = loadComposeProject(join(root, 'docker-compose.yml'), dotEnv).services;
      for (const [name, load] of Object.entries(configs)) {
        const { loadConfig } = await load();
        const environment = serviceEnvironment(services[name]!);
        const config = loadConfig(environment) as unknown as Record<string, unknown>;
        expect(config.serviceName, name).toBe(name);
        const text = JSON.stringify(config);
        expect(text, name).not.toMatch(/127\.0\.0\.1|localhost:(5432|6379|5672)/);
      }
      const deploy = (await configs.bot()).loadDeployConfig(
        serviceEnvironment(services['bot-commands']!),
      );
      // Global commands: the same default works with the local Discord and with a real one.
      expect(deploy.discord.commandsGuildId).toBeNull();
    });
  }
});
