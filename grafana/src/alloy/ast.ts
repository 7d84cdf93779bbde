// The syntax tree of an Alloy configuration file: a body of attributes and blocks, and the
// expressions attribute values are made of.

export interface Position {
  line: number;
  column: number;
}

export type Expr =
  | { kind: 'string'; value: string; pos: Position }
  | { kind: 'number'; value: number; pos: Position }
  | { kind: 'bool'; value: boolean; pos: Position }
  | { kind: 'null'; pos: Position }
  | { kind: 'list'; items: Expr[]; pos: Position }
  | { kind: 'object'; entries: ObjectEntry[]; pos: Position }
  /** A dotted name such as `otelcol.processor.batch.default.input` or `constants.hostname`. */
  | { kind: 'reference'; path: string[]; pos: Position }
  /** A call of a standard-library function such as `sys.env("X")` or `coalesce(a, b)`. */
  | { kind: 'call'; callee: string; args: Expr[]; pos: Position }
  | { kind: 'index'; target: Expr; index: Expr; pos: Position }
  | { kind: 'field'; target: Expr; name: string; pos: Position }
  | { kind: 'unary'; op: '!' | '-'; operand: Expr; pos: Position }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; pos: Position };

export type BinaryOp =
  '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%' | '^';

export interface ObjectEntry {
  key: string;
  value: Expr;
}

export interface Attribute {
  kind: 'attribute';
  name: string;
  value: Expr;
  pos: Position;
}

export interface Block {
  kind: 'block';
  /** The dotted block name, e.g. `prometheus.scrape` or `rule`. */
  name: string;
  label: string | undefined;
  body: Statement[];
  pos: Position;
}

export type Statement = Attribute | Block;
