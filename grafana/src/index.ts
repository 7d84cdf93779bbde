export type { Attribute, Block, Expr, Position, Statement } from './alloy/ast.ts';
export { AlloySyntaxError, tokenize } from './alloy/lexer.ts';
export { parseAlloy, parseAlloyExpression } from './alloy/parser.ts';
export {
  evaluate,
  isComponentExport,
  AlloyEvaluationError,
  SUPPORTED_FUNCTIONS,
  type AlloyValue,
  type EvaluationContext,
} from './alloy/evaluate.ts';
export {
  alloyEnvVars,
  attributeOf,
  blocksOf,
  componentsNamed,
  exportedFields,
  findComponent,
  findReferences,
  loadAlloyConfig,
  requireAttribute,
  requireBlock,
  unresolvedReferences,
  walkExpressions,
  type AlloyConfig,
  type Component,
  type Reference,
} from './alloy/config.ts';
export {
  anchoredRegex,
  applyRelabelRules,
  ruleFromBlock,
  type Labels,
  type RelabelRule,
} from './prometheus/relabel.ts';
export { parseExposition, type Sample } from './prometheus/exposition.ts';
export {
  analysePromql,
  selectorMatches,
  promqlMetricNames,
  substituteGrafanaVariables,
  type PromqlAnalysis,
  type LabelMatcher,
  type VectorSelector,
} from './prometheus/promql.ts';
export {
  allPanels,
  dashboardExpressions,
  loadDashboards,
  variableExpression,
  type Dashboard,
  type DashboardExpression,
  type DashboardFile,
  type DashboardPanel,
} from './dashboards.ts';
export {
  loadRuleFiles,
  parseRuleFile,
  type AlertRule,
  type RuleFile,
  type RuleGroup,
} from './alert-rules.ts';
export {
  describePlan,
  executePlan,
  planPush,
  rulerRulesUrl,
  type PlannedRequest,
  type PushResult,
  type PushTarget,
} from './grafana-push.ts';
export { paths } from './paths.ts';
export { alloyPipelineMetrics } from './alloy/pipeline-metrics.ts';
export {
  counterValue,
  explainOtlpStatus,
  scrapeTargetsIn,
  testPayloads,
  verifyTelemetry,
  type Check,
  type CheckStatus,
  type ScrapeTarget,
  type VerifyOptions,
} from './telemetry-verify.ts';
