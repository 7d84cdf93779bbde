// Prometheus relabelling, as Alloy's `discovery.relabel` and `prometheus.relabel` apply it: each
// rule joins its source labels with the separator, matches the fully anchored regex, and keeps,
// drops or rewrites the label set.
import type { Block } from '../alloy/ast.ts';
import { attributeOf } from '../alloy/config.ts';
import { evaluate, type EvaluationContext } from '../alloy/evaluate.ts';

export type Labels = Record<string, string>;

export type RelabelAction = 'replace' | 'keep' | 'drop' | 'labeldrop' | 'labelkeep';

export interface RelabelRule {
  sourceLabels: string[];
  separator: string;
  regex: string;
  targetLabel: string | undefined;
  replacement: string;
  action: RelabelAction;
}

const ACTIONS: readonly RelabelAction[] = ['replace', 'keep', 'drop', 'labeldrop', 'labelkeep'];

/** Go's RE2 syntax and JavaScript agree on the constructs our rules use; anchored like Prometheus. */
export function anchoredRegex(regex: string): RegExp {
  return new RegExp(`^(?:${regex})$`);
}

function stringAttribute(
  block: Block,
  name: string,
  context: EvaluationContext,
): string | undefined {
  const attribute = attributeOf(block, name);
  if (attribute === undefined) return undefined;
  const value = evaluate(attribute.value, context);
  if (typeof value !== 'string') throw new Error(`rule attribute ${name} must be a string`);
  return value;
}

/** Reads one `rule { … }` block, with Prometheus' defaults for what it leaves out. */
export function ruleFromBlock(block: Block, context: EvaluationContext): RelabelRule {
  const sourceAttribute = attributeOf(block, 'source_labels');
  const sources = sourceAttribute === undefined ? [] : evaluate(sourceAttribute.value, context);
  if (!Array.isArray(sources) || !sources.every((source) => typeof source === 'string')) {
    throw new Error('source_labels must be a list of strings');
  }
  const action = stringAttribute(block, 'action', context) ?? 'replace';
  const knownAction = ACTIONS.find((candidate) => candidate === action);
  if (knownAction === undefined) throw new Error(`unsupported relabel action ${action}`);
  return {
    sourceLabels: sources,
    separator: stringAttribute(block, 'separator', context) ?? ';',
    regex: stringAttribute(block, 'regex', context) ?? '(.*)',
    targetLabel: stringAttribute(block, 'target_label', context),
    replacement: stringAttribute(block, 'replacement', context) ?? '$1',
    action: knownAction,
  };
}

/** `$1`, `${1}` and `${name}` expansion of a replacement from the regex match. */
function expand(template: string, match: RegExpExecArray): string {
  return template.replace(
    /\$(?:\{(\w+)\}|(\d+))/g,
    (_whole, braced: string | undefined, plain: string | undefined) => {
      const key = braced ?? plain ?? '';
      const value = /^\d+$/.test(key) ? match[Number(key)] : match.groups?.[key];
      return value ?? '';
    },
  );
}

/** Applies the rules in order; `undefined` means the series or target is dropped. */
export function applyRelabelRules(
  labels: Labels,
  rules: readonly RelabelRule[],
): Labels | undefined {
  let current: Labels = { ...labels };
  for (const rule of rules) {
    const regex = anchoredRegex(rule.regex);
    const value = rule.sourceLabels.map((name) => current[name] ?? '').join(rule.separator);
    switch (rule.action) {
      case 'keep':
        if (!regex.test(value)) return undefined;
        break;
      case 'drop':
        if (regex.test(value)) return undefined;
        break;
      case 'replace': {
        const match = regex.exec(value);
        if (match === null || rule.targetLabel === undefined) break;
        const result = expand(rule.replacement, match);
        const target = expand(rule.targetLabel, match);
        if (result === '') {
          const { [target]: _removed, ...rest } = current;
          current = rest;
        } else {
          current = { ...current, [target]: result };
        }
        break;
      }
      case 'labeldrop':
        current = Object.fromEntries(Object.entries(current).filter(([name]) => !regex.test(name)));
        break;
      case 'labelkeep':
        current = Object.fromEntries(Object.entries(current).filter(([name]) => regex.test(name)));
        break;
    }
  }
  return current;
}
