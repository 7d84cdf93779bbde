// The metric names Prometheus/Mimir show after OTLP ingestion with the default translation strategy
// (escape to underscores, add unit and type suffixes), following the OpenTelemetry→Prometheus
// compatibility specification as implemented by Prometheus' otlptranslator.
import type { MetricType } from './captured-types.ts';

/** UCUM unit → Prometheus unit word. '1' (dimensionless) adds no unit word. */
const unitWords: Record<string, string> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '1': '',
  '%': 'percent',
};

/** UCUM unit after '/' → singular word used as `per_<word>`. */
const perUnitWords: Record<string, string> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

export interface PrometheusNameInput {
  name: string;
  unit: string;
  type: MetricType;
  /** Sums only: monotonic sums are Prometheus counters (`_total`); others become gauges. */
  isMonotonic: boolean;
}

function escapeUnit(unit: string): string {
  return unit
    .replace(/[^a-zA-Z0-9:]/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_/, '');
}

/** The main and `per_` unit words for a UCUM unit; `{…}` annotations give no word. */
function unitSuffixes(unit: string): { main: string; per: string } {
  const slash = unit.indexOf('/');
  const mainUnit = (slash === -1 ? unit : unit.slice(0, slash)).trim();
  const perUnit = slash === -1 ? '' : unit.slice(slash + 1).trim();
  const main = mainUnit !== '' && !/[{}]/.test(mainUnit) ? (unitWords[mainUnit] ?? mainUnit) : '';
  const perWord = perUnit !== '' && !/[{}]/.test(perUnit) ? (perUnitWords[perUnit] ?? perUnit) : '';
  return { main: escapeUnit(main), per: escapeUnit(perWord === '' ? '' : `per_${perWord}`) };
}

/**
 * The base series name of a metric: `http.server.request.duration` (histogram, unit `s`) →
 * `http_server_request_duration_seconds`; `game_scheduler.games.created` (monotonic sum, unit
 * `{game}`) → `game_scheduler_games_created_total`.
 */
export function prometheusBaseName(metric: PrometheusNameInput): string {
  // Split on every character outside [a-zA-Z0-9:], underscores included, so runs collapse.
  let tokens = metric.name.split(/[^a-zA-Z0-9:]+/).filter((token) => token !== '');

  const suffixes = unitSuffixes(metric.unit);
  let main = tokens.includes(suffixes.main) ? '' : suffixes.main;
  let per = suffixes.per === 'per_' ? '' : suffixes.per.replace(/_$/, '');
  if (tokens.includes(per)) per = '';
  if (per !== '') main = main.replace(/_$/, '');
  if (main !== '') tokens.push(main);
  if (per !== '') tokens.push(per);

  if (metric.type === 'sum' && metric.isMonotonic) {
    tokens = [...tokens.filter((token) => token !== 'total'), 'total'];
  }
  if (metric.unit === '1' && metric.type === 'gauge') {
    tokens = [...tokens.filter((token) => token !== 'ratio'), 'ratio'];
  }

  const name = tokens.join('_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/**
 * Every series name a metric produces: classic histograms expand to `_bucket`, `_sum`, `_count`;
 * summaries to the base name plus `_sum`, `_count`; exponential histograms become one native histogram.
 */
export function prometheusSeriesNames(metric: PrometheusNameInput): string[] {
  const base = prometheusBaseName(metric);
  switch (metric.type) {
    case 'histogram':
      return [`${base}_bucket`, `${base}_sum`, `${base}_count`];
    case 'summary':
      return [base, `${base}_sum`, `${base}_count`];
    default:
      return [base];
  }
}
