// Evaluates Alloy expressions the way Alloy would for the parts that do not depend on running
// components: literals, operators, `sys.env`, `coalesce`, `string.format`, `string.join`,
// `constants.*`. A reference to a component export evaluates to a `ComponentExport` marker.
import type { Expr } from './ast.ts';

export interface ComponentExport {
  kind: 'export';
  /** The reference as written, e.g. `otelcol.processor.batch.default.input`. */
  reference: string;
}

export type AlloyValue =
  string | number | boolean | null | AlloyValue[] | { [key: string]: AlloyValue } | ComponentExport;

export interface EvaluationContext {
  /** The environment `sys.env` reads; a missing variable reads as the empty string. */
  env: Readonly<Record<string, string | undefined>>;
  /** Values of `constants.*`; `hostname` defaults to `alloy`. */
  constants?: Readonly<Record<string, string>>;
}

export class AlloyEvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlloyEvaluationError';
  }
}

export function isComponentExport(value: AlloyValue): value is ComponentExport {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    value.kind === 'export' &&
    typeof value.reference === 'string'
  );
}

/** Alloy's notion of an empty value for `coalesce`: null, "", [], {} (and false/0, the zero values). */
function isEmpty(value: AlloyValue): boolean {
  if (value === null || value === '' || value === false || value === 0) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object' && !isComponentExport(value))
    return Object.keys(value).length === 0;
  return false;
}

function asString(value: AlloyValue, what: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new AlloyEvaluationError(`${what} must be a string, got ${JSON.stringify(value)}`);
}

function asNumber(value: AlloyValue, what: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
    return Number(value);
  }
  throw new AlloyEvaluationError(`${what} must be a number, got ${JSON.stringify(value)}`);
}

/** printf-style formatting for the verbs our config uses (%s, %d, %q, %%). */
function format(spec: string, args: AlloyValue[]): string {
  let argIndex = 0;
  return spec.replace(/%([%sdqv])/g, (_match, verb: string) => {
    if (verb === '%') return '%';
    const arg = args[argIndex];
    argIndex += 1;
    if (arg === undefined)
      throw new AlloyEvaluationError(`string.format: too few arguments for "${spec}"`);
    if (verb === 'd') return String(Math.trunc(asNumber(arg, 'string.format %d argument')));
    if (verb === 'q') return JSON.stringify(asString(arg, 'string.format %q argument'));
    return asString(arg, 'string.format %s argument');
  });
}

const FUNCTIONS: Record<string, (args: AlloyValue[], context: EvaluationContext) => AlloyValue> = {
  'sys.env': (args, context) => {
    const [name] = args;
    if (args.length !== 1 || typeof name !== 'string') {
      throw new AlloyEvaluationError('sys.env takes one string argument');
    }
    return context.env[name] ?? '';
  },
  coalesce: (args) => {
    for (const arg of args) if (!isEmpty(arg)) return arg;
    return args.at(-1) ?? null;
  },
  'string.format': (args) => {
    const [spec, ...rest] = args;
    return format(asString(spec ?? null, 'string.format specification'), rest);
  },
  'string.join': (args) => {
    const [list, separator] = args;
    if (!Array.isArray(list)) throw new AlloyEvaluationError('string.join takes a list');
    return list
      .map((item) => asString(item, 'string.join item'))
      .join(asString(separator ?? '', 'separator'));
  },
  'string.to_lower': (args) => asString(args[0] ?? null, 'string.to_lower argument').toLowerCase(),
  'string.to_upper': (args) => asString(args[0] ?? null, 'string.to_upper argument').toUpperCase(),
  'convert.nonsensitive': (args) => args[0] ?? null,
};

/** The standard-library functions the evaluator (and so our config) may call. */
export const SUPPORTED_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS);

function evaluateBinary(
  expr: Extract<Expr, { kind: 'binary' }>,
  context: EvaluationContext,
): AlloyValue {
  const left = evaluate(expr.left, context);
  if (expr.op === '||') return left === true || evaluate(expr.right, context) === true;
  if (expr.op === '&&') return left === true && evaluate(expr.right, context) === true;
  const right = evaluate(expr.right, context);
  switch (expr.op) {
    case '==':
      return JSON.stringify(left) === JSON.stringify(right);
    case '!=':
      return JSON.stringify(left) !== JSON.stringify(right);
    case '+':
      if (typeof left === 'string' || typeof right === 'string') {
        return asString(left, 'left operand of +') + asString(right, 'right operand of +');
      }
      return asNumber(left, 'left operand') + asNumber(right, 'right operand');
    case '-':
      return asNumber(left, 'left operand') - asNumber(right, 'right operand');
    case '*':
      return asNumber(left, 'left operand') * asNumber(right, 'right operand');
    case '/':
      return asNumber(left, 'left operand') / asNumber(right, 'right operand');
    case '%':
      return asNumber(left, 'left operand') % asNumber(right, 'right operand');
    case '^':
      return asNumber(left, 'left operand') ** asNumber(right, 'right operand');
    case '<':
      return asNumber(left, 'left operand') < asNumber(right, 'right operand');
    case '<=':
      return asNumber(left, 'left operand') <= asNumber(right, 'right operand');
    case '>':
      return asNumber(left, 'left operand') > asNumber(right, 'right operand');
    case '>=':
      return asNumber(left, 'left operand') >= asNumber(right, 'right operand');
  }
}

export function evaluate(expr: Expr, context: EvaluationContext): AlloyValue {
  switch (expr.kind) {
    case 'string':
    case 'number':
    case 'bool':
      return expr.value;
    case 'null':
      return null;
    case 'list':
      return expr.items.map((item) => evaluate(item, context));
    case 'object':
      return Object.fromEntries(
        expr.entries.map((entry) => [entry.key, evaluate(entry.value, context)]),
      );
    case 'reference': {
      if (expr.path[0] === 'constants' && expr.path.length === 2) {
        const name = expr.path[1] ?? '';
        const constants: Record<string, string> = {
          hostname: 'alloy',
          os: 'linux',
          arch: 'amd64',
          ...context.constants,
        };
        const value = constants[name];
        if (value === undefined)
          throw new AlloyEvaluationError(`unknown constant constants.${name}`);
        return value;
      }
      return { kind: 'export', reference: expr.path.join('.') };
    }
    case 'call': {
      const fn = FUNCTIONS[expr.callee];
      if (fn === undefined) throw new AlloyEvaluationError(`unsupported function ${expr.callee}()`);
      return fn(
        expr.args.map((arg) => evaluate(arg, context)),
        context,
      );
    }
    case 'index': {
      const target = evaluate(expr.target, context);
      const index = evaluate(expr.index, context);
      if (Array.isArray(target) && typeof index === 'number') return target[index] ?? null;
      if (
        typeof target === 'object' &&
        target !== null &&
        !Array.isArray(target) &&
        typeof index === 'string'
      ) {
        return (target as Record<string, AlloyValue>)[index] ?? null;
      }
      throw new AlloyEvaluationError('invalid index expression');
    }
    case 'field': {
      const target = evaluate(expr.target, context);
      if (
        typeof target === 'object' &&
        target !== null &&
        !Array.isArray(target) &&
        !isComponentExport(target)
      ) {
        const value = (target as Record<string, AlloyValue>)[expr.name];
        if (value === undefined) throw new AlloyEvaluationError(`object has no field ${expr.name}`);
        return value;
      }
      throw new AlloyEvaluationError(`cannot access field ${expr.name}`);
    }
    case 'unary': {
      const operand = evaluate(expr.operand, context);
      return expr.op === '!' ? operand !== true : -asNumber(operand, 'operand of -');
    }
    case 'binary':
      return evaluateBinary(expr, context);
  }
}
