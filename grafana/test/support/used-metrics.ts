// Every PromQL expression the dashboards and alert rules run, with the metrics and selectors in it.
import {
  analysePromql,
  dashboardExpressions,
  loadDashboards,
  loadRuleFiles,
  type VectorSelector,
} from '../../src/index.ts';
import { servicesMetricNames } from './services-metrics.ts';

export interface UsedExpression {
  source: string;
  expr: string;
  metrics: string[];
  selectors: VectorSelector[];
  errors: string[];
}

export function usedExpressions(): UsedExpression[] {
  const fromDashboards = loadDashboards().flatMap((file) =>
    dashboardExpressions(file).map((entry) => ({
      source: `${file.file}: ${entry.where}`,
      expr: entry.expr,
    })),
  );
  const fromAlerts = loadRuleFiles().flatMap((file) =>
    file.groups.flatMap((group) =>
      group.rules.map((rule) => ({
        source: `${file.file}: ${rule.alert ?? rule.record ?? '?'}`,
        expr: rule.expr,
      })),
    ),
  );
  return [...fromDashboards, ...fromAlerts].map((entry) => ({
    ...entry,
    ...analysePromql(entry.expr),
  }));
}

export function usedMetricNames(): Set<string> {
  return new Set(usedExpressions().flatMap((entry) => entry.metrics));
}

/** The used metrics that must come from Alloy's scrapes: all but the services' OTLP metrics. */
export function usedInfrastructureMetricNames(): Set<string> {
  const services = servicesMetricNames();
  return new Set([...usedMetricNames()].filter((name) => !services.has(name)));
}
