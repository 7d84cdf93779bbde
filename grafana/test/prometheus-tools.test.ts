import { describe, expect, it } from 'vitest';
import {
  analysePromql,
  applyRelabelRules,
  parseExposition,
  promqlMetricNames,
  rulerRulesUrl,
  selectorMatches,
  type RelabelRule,
} from '../src/index.ts';

function rule(partial: Partial<RelabelRule>): RelabelRule {
  return {
    sourceLabels: [],
    separator: ';',
    regex: '(.*)',
    targetLabel: undefined,
    replacement: '$1',
    action: 'replace',
    ...partial,
  };
}

describe('the PromQL reader', () => {
  it('names the metrics of selectors, in functions, aggregations and binary expressions', () => {
    expect(
      promqlMetricNames(
        'sum by (datname) (rate(pg_stat_database_blks_hit{job="j"}[$__rate_interval])) / ignoring(x) group_left pg_up or {__name__="redis_up"}',
      ),
    ).toEqual(['pg_stat_database_blks_hit', 'pg_up', 'redis_up']);
  });

  it('reports invalid expressions instead of guessing', () => {
    expect(analysePromql('sum(rate(x[5m])').errors).not.toEqual([]);
    expect(analysePromql('x y').errors).not.toEqual([]);
    expect(analysePromql('{job="only-a-label"}').errors).toEqual([
      expect.stringMatching(/without a metric name/),
    ]);
    expect(() => promqlMetricNames('rate(x[5m]')).toThrow(/invalid PromQL/);
  });

  it('reads label matchers and applies them as PromQL does, regexes anchored', () => {
    const [selector] = analysePromql(
      'q{queue=~".+\\\\.dead-letter", job!="x", instance=~"$instance"}',
    ).selectors;
    expect(selector?.matchers).toEqual([
      { label: 'queue', op: '=~', value: '.+\\.dead-letter' },
      { label: 'job', op: '!=', value: 'x' },
      { label: 'instance', op: '=~', value: '.*' },
    ]);
    expect(selectorMatches(selector!, 'q', { queue: 'gs.bot.dead-letter', job: 'y' })).toBe(true);
    expect(selectorMatches(selector!, 'q', { queue: 'gs.bot.dead-letterx', job: 'y' })).toBe(false);
    expect(selectorMatches(selector!, 'q', { queue: 'gs.bot.dead-letter', job: 'x' })).toBe(false);
    expect(selectorMatches(selector!, 'other', { queue: 'gs.bot.dead-letter' })).toBe(false);
  });
});

describe('the relabel rules', () => {
  it('keep and drop on the joined source labels with an anchored regex', () => {
    const keep = rule({ sourceLabels: ['__name__'], regex: 'up|pg_up', action: 'keep' });
    expect(applyRelabelRules({ __name__: 'pg_up' }, [keep])).toEqual({ __name__: 'pg_up' });
    expect(applyRelabelRules({ __name__: 'pg_up_extra' }, [keep])).toBeUndefined();
    const drop = rule({ sourceLabels: ['datname'], regex: 'template[01]', action: 'drop' });
    expect(applyRelabelRules({ __name__: 'x', datname: 'template0' }, [drop])).toBeUndefined();
    expect(applyRelabelRules({ __name__: 'x' }, [drop])).toEqual({ __name__: 'x' });
  });

  it('replace with capture groups, set constants, and remove a label replaced by nothing', () => {
    expect(
      applyRelabelRules({ a: 'host:5432' }, [
        rule({ sourceLabels: ['a'], regex: '(.*):(\\d+)', targetLabel: 'port', replacement: '$2' }),
      ]),
    ).toEqual({
      a: 'host:5432',
      port: '5432',
    });
    expect(
      applyRelabelRules({}, [rule({ targetLabel: 'job', replacement: 'integrations/x' })]),
    ).toEqual({ job: 'integrations/x' });
    expect(
      applyRelabelRules({ job: 'old' }, [rule({ targetLabel: 'job', replacement: '' })]),
    ).toEqual({});
  });
});

describe('the exposition parser', () => {
  it('reads names, labels with escapes, special values and skips comments', () => {
    const samples = parseExposition(
      [
        '# HELP x help',
        '# TYPE x gauge',
        'x 1',
        'y{a="1",b="q\\"uote, and } brace"} 2.5e3 1700000000000',
        'z{le="+Inf",} +Inf',
        'w NaN',
      ].join('\n'),
    );
    expect(samples.map((sample) => sample.name)).toEqual(['x', 'y', 'z', 'w']);
    expect(samples[1]).toEqual({
      name: 'y',
      labels: { a: '1', b: 'q"uote, and } brace' },
      value: 2500,
    });
    expect(samples[2]?.value).toBe(Infinity);
    expect(Number.isNaN(samples[3]?.value)).toBe(true);
  });

  it('rejects malformed lines', () => {
    expect(() => parseExposition('x{a=1} 1')).toThrow(/line 1/);
    expect(() => parseExposition('x oops')).toThrow(/invalid sample value/);
  });
});

describe('the ruler URL', () => {
  it('is derived from the remote-write URL Alloy uses', () => {
    expect(rulerRulesUrl('https://prometheus-prod-24.grafana.net/api/prom/push')).toBe(
      'https://prometheus-prod-24.grafana.net/api/prom/config/v1/rules',
    );
    expect(rulerRulesUrl('https://prometheus-prod-24.grafana.net/api/prom/')).toBe(
      'https://prometheus-prod-24.grafana.net/api/prom/config/v1/rules',
    );
  });
});
