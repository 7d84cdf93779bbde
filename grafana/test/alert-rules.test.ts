import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadRuleFiles, paths, promqlMetricNames } from '../src/index.ts';
import { findBinary } from './support/binaries.ts';

const run = promisify(execFile);
const ruleFiles = loadRuleFiles();
const testFiles = readdirSync(paths.alertTests)
  .filter((file) => file.endsWith('.yml'))
  .map((file) => join(paths.alertTests, file));

async function promtool(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(findBinary('promtool'), args, { cwd: paths.packageRoot });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('the alert rules', () => {
  it('cover the services and PostgreSQL, Redis and RabbitMQ going down, errors, latency, queue backlog, dead letters and late reminders', () => {
    const alerts = ruleFiles.flatMap((file) =>
      file.groups.flatMap((group) => group.rules.map((rule) => rule.alert)),
    );
    expect(alerts).toEqual(
      expect.arrayContaining([
        'PostgresDown',
        'RabbitMQDeadLetters',
        'RabbitMQDown',
        'RabbitMQQueueBacklog',
        'RedisDown',
        'ServiceDown',
        'ApiHighErrorRate',
        'ApiHighLatency',
        'ServiceQueueBacklog',
        'ServiceDeadLetters',
        'RemindersLate',
      ]),
    );
  });

  it('pass promtool check rules', async () => {
    const { code, output } = await promtool(
      'check',
      'rules',
      ...ruleFiles.map((file) => file.path),
    );
    expect(output).not.toMatch(/FAILED/);
    expect(code, output).toBe(0);
  });

  it('fire and clear as their promtool unit tests expect', async () => {
    expect(testFiles.length).toBe(ruleFiles.length);
    const { code, output } = await promtool('test', 'rules', ...testFiles);
    expect(code, output).toBe(0);
    expect(output.match(/SUCCESS/g)?.length).toBe(testFiles.length);
  });

  it('are tested firing and clearing, each of them', async () => {
    const { parse } = await import('yaml');
    const { readFileSync } = await import('node:fs');
    for (const alert of ruleFiles.flatMap((file) =>
      file.groups.flatMap((group) => group.rules.map((rule) => rule.alert ?? '')),
    )) {
      const checks = testFiles.flatMap((file) => {
        const doc = parse(readFileSync(file, 'utf8')) as {
          tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
        };
        return doc.tests
          .flatMap((test) => test.alert_rule_test ?? [])
          .filter((check) => check.alertname === alert);
      });
      expect(
        checks.some((check) => check.exp_alerts.length > 0),
        `${alert} fires in a test`,
      ).toBe(true);
      expect(
        checks.some((check) => check.exp_alerts.length === 0),
        `${alert} is shown not firing / cleared`,
      ).toBe(true);
    }
  });

  it('fail promtool when an expectation is wrong (the unit tests can fail)', async () => {
    const { mkdtempSync, writeFileSync, copyFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const directory = mkdtempSync(join(tmpdir(), 'alerts-'));
    copyFileSync(join(paths.alerts, 'redis.yml'), join(directory, 'redis.yml'));
    const broken = join(directory, 'broken.test.yml');
    writeFileSync(
      broken,
      [
        'rule_files: [redis.yml]',
        'tests:',
        '  - interval: 1m',
        '    input_series:',
        '      - series: \'redis_up{job="integrations/redis_exporter", instance="r:6379"}\'',
        "        values: '1x10'",
        '    alert_rule_test:',
        '      - eval_time: 5m',
        '        alertname: RedisDown',
        '        exp_alerts: [{ exp_labels: { severity: critical, instance: "r:6379", job: integrations/redis_exporter } }]',
        '',
      ].join('\n'),
    );
    const { code } = await promtool('test', 'rules', broken);
    expect(code).not.toBe(0);
  });

  it('have valid PromQL whose metrics the tests can name', () => {
    for (const file of ruleFiles) {
      for (const group of file.groups) {
        for (const rule of group.rules) {
          expect(promqlMetricNames(rule.expr).length, rule.alert ?? '').toBeGreaterThan(0);
          expect(rule.labels?.severity, `${rule.alert ?? ''} severity`).toMatch(
            /^(critical|warning)$/,
          );
          expect(rule.annotations?.summary, `${rule.alert ?? ''} summary`).toBeTruthy();
        }
      }
    }
  });

  it('have group names unique across files, as one ruler namespace needs', () => {
    const names = ruleFiles.flatMap((file) => file.groups.map((group) => group.name));
    expect(new Set(names).size).toBe(names.length);
  });
});
