// A parsed Alloy configuration seen as what Alloy runs: components (labelled top-level blocks),
// the references between them, and the environment variables it reads.
import type { Attribute, Block, Expr, Position, Statement } from './ast.ts';
import { parseAlloy } from './parser.ts';

export interface Component {
  /** e.g. `prometheus.scrape` */
  name: string;
  label: string;
  /** `<name>.<label>`, the prefix other components use to reference its exports. */
  id: string;
  block: Block;
}

export interface Reference {
  /** e.g. `prometheus.relabel.postgres.receiver` */
  path: string;
  pos: Position;
  /** The component whose arguments contain the reference. */
  from: string;
}

export interface AlloyConfig {
  statements: Statement[];
  components: Component[];
}

/** Where a reference does not lead to an exported field of a defined component. */
export interface UnresolvedReference extends Reference {
  reason: string;
}

/** Component families and the fields they export (what a reference may end with). */
const EXPORTS: readonly { prefix: string; fields: readonly string[] }[] = [
  { prefix: 'otelcol.receiver.', fields: [] },
  { prefix: 'otelcol.processor.', fields: ['input'] },
  { prefix: 'otelcol.exporter.', fields: ['input'] },
  { prefix: 'otelcol.connector.', fields: ['input'] },
  { prefix: 'otelcol.auth.', fields: ['handler'] },
  { prefix: 'prometheus.exporter.', fields: ['targets'] },
  { prefix: 'prometheus.scrape', fields: [] },
  { prefix: 'prometheus.relabel', fields: ['receiver', 'rules'] },
  { prefix: 'prometheus.remote_write', fields: ['receiver'] },
  { prefix: 'discovery.relabel', fields: ['output', 'rules'] },
  { prefix: 'local.file', fields: ['content'] },
];

/** Standard-library namespaces a reference may start with instead of a component. */
const STDLIB_NAMESPACES = new Set(['constants']);

export function exportedFields(componentName: string): readonly string[] | undefined {
  return EXPORTS.find((entry) => componentName.startsWith(entry.prefix))?.fields;
}

export function loadAlloyConfig(source: string): AlloyConfig {
  const statements = parseAlloy(source);
  const components: Component[] = [];
  for (const statement of statements) {
    if (statement.kind !== 'block' || statement.label === undefined) continue;
    const id = `${statement.name}.${statement.label}`;
    if (components.some((component) => component.id === id)) {
      throw new Error(`component ${id} is defined twice`);
    }
    components.push({ name: statement.name, label: statement.label, id, block: statement });
  }
  return { statements, components };
}

export function findComponent(config: AlloyConfig, name: string, label?: string): Component {
  const matches = config.components.filter(
    (component) => component.name === name && (label === undefined || component.label === label),
  );
  const [only] = matches;
  if (matches.length !== 1 || only === undefined) {
    throw new Error(
      `expected exactly one ${name}${label ? ` "${label}"` : ''}, found ${matches.length}`,
    );
  }
  return only;
}

export function componentsNamed(config: AlloyConfig, name: string): Component[] {
  return config.components.filter((component) => component.name === name);
}

/** The attribute `name` directly inside `block`, if present. */
export function attributeOf(block: Block, name: string): Attribute | undefined {
  return block.body.find(
    (statement): statement is Attribute =>
      statement.kind === 'attribute' && statement.name === name,
  );
}

/** The attribute's expression; throws when the attribute is missing. */
export function requireAttribute(block: Block, name: string): Expr {
  const attribute = attributeOf(block, name);
  if (attribute === undefined) {
    throw new Error(
      `${block.name}${block.label ? ` "${block.label}"` : ''} has no attribute ${name}`,
    );
  }
  return attribute.value;
}

/** The nested blocks called `name` directly inside `block`. */
export function blocksOf(block: Block, name: string): Block[] {
  return block.body.filter(
    (statement): statement is Block => statement.kind === 'block' && statement.name === name,
  );
}

export function requireBlock(block: Block, name: string): Block {
  const [first] = blocksOf(block, name);
  if (first === undefined) throw new Error(`${block.name} has no ${name} block`);
  return first;
}

function walkExpr(expr: Expr, visit: (expr: Expr) => void): void {
  visit(expr);
  switch (expr.kind) {
    case 'list':
      for (const item of expr.items) walkExpr(item, visit);
      break;
    case 'object':
      for (const entry of expr.entries) walkExpr(entry.value, visit);
      break;
    case 'call':
      for (const arg of expr.args) walkExpr(arg, visit);
      break;
    case 'index':
      walkExpr(expr.target, visit);
      walkExpr(expr.index, visit);
      break;
    case 'field':
    case 'unary':
      walkExpr(expr.kind === 'field' ? expr.target : expr.operand, visit);
      break;
    case 'binary':
      walkExpr(expr.left, visit);
      walkExpr(expr.right, visit);
      break;
    default:
      break;
  }
}

/** Every expression in the statements, nested blocks included. */
export function walkExpressions(
  statements: readonly Statement[],
  visit: (expr: Expr) => void,
): void {
  for (const statement of statements) {
    if (statement.kind === 'attribute') walkExpr(statement.value, visit);
    else walkExpressions(statement.body, visit);
  }
}

/** Every reference to a component export, with the component it appears in. */
export function findReferences(config: AlloyConfig): Reference[] {
  const references: Reference[] = [];
  for (const statement of config.statements) {
    if (statement.kind !== 'block') continue;
    const from =
      statement.label === undefined ? statement.name : `${statement.name}.${statement.label}`;
    walkExpressions(statement.body, (expr) => {
      if (expr.kind !== 'reference') return;
      if (STDLIB_NAMESPACES.has(expr.path[0] ?? '')) return;
      references.push({ path: expr.path.join('.'), pos: expr.pos, from });
    });
  }
  return references;
}

/** References that do not name an exported field of a component defined in the file. */
export function unresolvedReferences(config: AlloyConfig): UnresolvedReference[] {
  const problems: UnresolvedReference[] = [];
  for (const reference of findReferences(config)) {
    const target = config.components.find((component) =>
      reference.path.startsWith(`${component.id}.`),
    );
    if (target === undefined) {
      problems.push({ ...reference, reason: 'no such component' });
      continue;
    }
    const field = reference.path.slice(target.id.length + 1);
    const fields = exportedFields(target.name);
    if (fields === undefined) {
      problems.push({ ...reference, reason: `unknown component type ${target.name}` });
    } else if (!fields.includes(field)) {
      problems.push({ ...reference, reason: `${target.name} exports no field ${field}` });
    }
  }
  return problems;
}

/**
 * The environment variables a configuration reads through `sys.env("…")`, sorted. The compose file
 * must pass each of them to the Alloy container.
 */
export function alloyEnvVars(configText: string): string[] {
  const names = new Set<string>();
  walkExpressions(parseAlloy(configText), (expr) => {
    if (expr.kind !== 'call' || expr.callee !== 'sys.env') return;
    const [arg] = expr.args;
    if (arg?.kind !== 'string') throw new Error('sys.env must be called with a string literal');
    names.add(arg.value);
  });
  return [...names].sort();
}
