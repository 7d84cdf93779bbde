// Loads the dashboards (Grafana JSON model) and lists every PromQL expression they run: panel
// targets and the label_values() queries of template variables.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { paths } from './paths.ts';

export interface DashboardTarget {
  refId?: string;
  expr?: string;
  datasource?: { type?: string; uid?: string };
}

export interface DashboardPanel {
  id?: number;
  type?: string;
  title?: string;
  datasource?: { type?: string; uid?: string };
  targets?: DashboardTarget[];
  panels?: DashboardPanel[];
}

export interface DashboardVariable {
  name: string;
  type: string;
  query?: unknown;
  definition?: string;
  datasource?: { type?: string; uid?: string };
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: DashboardPanel[];
  templating?: { list: DashboardVariable[] };
  [key: string]: unknown;
}

export interface DashboardFile {
  file: string;
  path: string;
  dashboard: Dashboard;
}

export interface DashboardExpression {
  dashboard: string;
  /** Panel title or `variable <name>`. */
  where: string;
  expr: string;
}

export function loadDashboards(directory: string = paths.dashboards): DashboardFile[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const path = join(directory, file);
      const dashboard = JSON.parse(readFileSync(path, 'utf8')) as Dashboard;
      return { file, path, dashboard };
    });
}

/** Panels, with those nested in collapsed rows. */
export function allPanels(dashboard: Dashboard): DashboardPanel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** The selector inside `label_values(selector, label)`, or the query itself. */
export function variableExpression(variable: DashboardVariable): string | undefined {
  if (variable.type !== 'query') return undefined;
  const query = variable.query;
  const text =
    typeof query === 'string'
      ? query
      : typeof query === 'object' &&
          query !== null &&
          'query' in query &&
          typeof query.query === 'string'
        ? query.query
        : variable.definition;
  if (text === undefined) return undefined;
  const labelValues = /^\s*label_values\(\s*(.+)\s*,\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)\s*$/s.exec(text);
  if (labelValues?.[1] !== undefined) return labelValues[1];
  const queryResult = /^\s*query_result\((.+)\)\s*$/s.exec(text);
  return queryResult?.[1] ?? text;
}

export function dashboardExpressions(file: DashboardFile): DashboardExpression[] {
  const { dashboard } = file;
  const expressions: DashboardExpression[] = [];
  for (const panel of allPanels(dashboard)) {
    for (const target of panel.targets ?? []) {
      if (target.expr !== undefined) {
        expressions.push({
          dashboard: dashboard.title,
          where: panel.title ?? `panel ${panel.id ?? '?'}`,
          expr: target.expr,
        });
      }
    }
  }
  for (const variable of dashboard.templating?.list ?? []) {
    const expr = variableExpression(variable);
    if (expr !== undefined) {
      expressions.push({ dashboard: dashboard.title, where: `variable ${variable.name}`, expr });
    }
  }
  return expressions;
}
