// Reads PromQL with Prometheus' own grammar (@prometheus-io/lezer-promql): reports syntax errors and
// lists the metric names an expression selects, so tests can check that every series a dashboard
// or alert needs is scraped and survives the collector's filters.
import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';

export interface LabelMatcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export interface VectorSelector {
  metric: string | undefined;
  matchers: LabelMatcher[];
}

export interface PromqlAnalysis {
  metrics: string[];
  selectors: VectorSelector[];
  errors: string[];
}

/**
 * Grafana's interval variables become `5m`; a dashboard's own variables (used in regex matchers such
 * as `instance=~"$instance"`) become `.*`, what "All" selects.
 */
export function substituteGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__(rate_interval|interval|range)\b/g, '5m')
    .replace(/\$\{__(rate_interval|interval|range)\}/g, '5m')
    .replace(/\$\{(\w+)(:\w+)?\}/g, '.*')
    .replace(/\$(\w+)/g, '.*');
}

function unquote(literal: string): string {
  const quote = literal.charAt(0);
  const body = literal.slice(1, -1);
  if (quote === '`') return body;
  return body.replace(/\\(.)/g, (_whole, ch: string) => (ch === 'n' ? '\n' : ch));
}

function childOf(node: SyntaxNode, name: string): SyntaxNode | null {
  for (let child = node.firstChild; child !== null; child = child.nextSibling) {
    if (child.name === name) return child;
  }
  return null;
}

const MATCH_OPS: readonly LabelMatcher['op'][] = ['=', '!=', '=~', '!~'];

/** A vector selector's metric (`metric{…}`, `{__name__="metric"}` or `{"metric"}`) and matchers. */
function readSelector(node: SyntaxNode, text: string): VectorSelector {
  const identifier = childOf(node, 'Identifier');
  let metric = identifier === null ? undefined : text.slice(identifier.from, identifier.to);
  const matchers: LabelMatcher[] = [];
  const list = childOf(node, 'LabelMatchers');
  for (let child = list?.firstChild ?? null; child !== null; child = child.nextSibling) {
    if (child.name === 'QuotedLabelName') metric = unquote(text.slice(child.from, child.to));
    if (child.name !== 'UnquotedLabelMatcher' && child.name !== 'QuotedLabelMatcher') continue;
    const nameNode = child.firstChild;
    const opNode = childOf(child, 'MatchOp');
    const valueNode = childOf(child, 'StringLiteral');
    if (nameNode === null || opNode === null || valueNode === null) continue;
    const rawName = text.slice(nameNode.from, nameNode.to);
    const label = /^["'`]/.test(rawName) ? unquote(rawName) : rawName;
    const op = MATCH_OPS.find((candidate) => candidate === text.slice(opNode.from, opNode.to));
    if (op === undefined) continue;
    const value = unquote(text.slice(valueNode.from, valueNode.to));
    if (label === '__name__' && op === '=') metric = value;
    else matchers.push({ label, op, value });
  }
  return { metric, matchers };
}

/** Parses an expression; Grafana variables are substituted first. */
export function analysePromql(expression: string): PromqlAnalysis {
  const text = substituteGrafanaVariables(expression);
  const tree = parser.parse(text);
  const metrics = new Set<string>();
  const selectors: VectorSelector[] = [];
  const errors: string[] = [];
  if (text.trim() === '') errors.push('empty expression');
  tree.iterate({
    enter: (ref) => {
      if (ref.type.isError) {
        errors.push(
          `syntax error at ${ref.from}: …${text.slice(Math.max(0, ref.from - 15), ref.from + 15)}…`,
        );
      }
      if (ref.name === 'VectorSelector') {
        const selector = readSelector(ref.node, text);
        selectors.push(selector);
        if (selector.metric === undefined)
          errors.push(`selector without a metric name at ${ref.from}`);
        else metrics.add(selector.metric);
      }
    },
  });
  return { metrics: [...metrics].sort(), selectors, errors: [...new Set(errors)] };
}

/** Whether a series' labels satisfy every matcher of a selector (regexes anchored as in PromQL). */
export function selectorMatches(
  selector: VectorSelector,
  name: string,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (selector.metric !== undefined && selector.metric !== name) return false;
  return selector.matchers.every(({ label, op, value }) => {
    const actual = labels[label] ?? '';
    switch (op) {
      case '=':
        return actual === value;
      case '!=':
        return actual !== value;
      case '=~':
        return new RegExp(`^(?:${value})$`).test(actual);
      case '!~':
        return !new RegExp(`^(?:${value})$`).test(actual);
    }
  });
}

/** The metric names of a valid expression; throws with the syntax errors otherwise. */
export function promqlMetricNames(expression: string): string[] {
  const { metrics, errors } = analysePromql(expression);
  if (errors.length > 0)
    throw new Error(`invalid PromQL ${JSON.stringify(expression)}: ${errors.join('; ')}`);
  return metrics;
}
