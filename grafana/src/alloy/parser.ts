// Recursive-descent parser for the Alloy configuration syntax (the subset our config uses: blocks
// with optional labels, attributes, literals, lists, objects, references, standard-library calls,
// indexing and the usual operators with their precedence).
import type { BinaryOp, Block, Expr, ObjectEntry, Position, Statement } from './ast.ts';
import { AlloySyntaxError, tokenize, type Token } from './lexer.ts';

/** Binary operators from the loosest to the tightest binding; `^` is right-associative. */
const PRECEDENCE: readonly (readonly BinaryOp[])[] = [
  ['||'],
  ['&&'],
  ['==', '!=', '<', '<=', '>', '>='],
  ['+', '-'],
  ['*', '/', '%'],
  ['^'],
];

class Parser {
  private index = 0;
  private readonly tokens: Token[];

  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  private peek(offset = 0): Token {
    const token = this.tokens[Math.min(this.index + offset, this.tokens.length - 1)];
    if (token === undefined) throw new Error('token stream is empty');
    return token;
  }

  private next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index += 1;
    return token;
  }

  private isPunct(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'punct' && token.text === text;
  }

  private expectPunct(text: string): Token {
    const token = this.next();
    if (token.kind !== 'punct' || token.text !== text) {
      throw new AlloySyntaxError(`expected '${text}' but found ${describe(token)}`, token.pos);
    }
    return token;
  }

  private expectIdent(): Token {
    const token = this.next();
    if (token.kind !== 'ident') {
      throw new AlloySyntaxError(`expected an identifier but found ${describe(token)}`, token.pos);
    }
    return token;
  }

  parseFile(): Statement[] {
    const body = this.parseBody('eof');
    return body;
  }

  /** Statements until `}` (inside a block) or the end of the file. */
  private parseBody(end: 'eof' | '}'): Statement[] {
    const body: Statement[] = [];
    for (;;) {
      const token = this.peek();
      if (end === 'eof' && token.kind === 'eof') return body;
      if (end === '}' && this.isPunct('}')) return body;
      if (token.kind === 'eof')
        throw new AlloySyntaxError("expected '}' before end of file", token.pos);
      if (body.length > 0 && !token.newlineBefore) {
        throw new AlloySyntaxError('expected a line break between statements', token.pos);
      }
      body.push(this.parseStatement());
    }
  }

  private parseStatement(): Statement {
    const first = this.expectIdent();
    if (this.isPunct('=')) {
      this.next();
      const value = this.parseExpr();
      return { kind: 'attribute', name: first.text, value, pos: first.pos };
    }
    const parts = [first.text];
    while (this.isPunct('.')) {
      this.next();
      parts.push(this.expectIdent().text);
    }
    let label: string | undefined;
    if (this.peek().kind === 'string') label = this.next().text;
    this.expectPunct('{');
    const body = this.parseBody('}');
    this.expectPunct('}');
    const block: Block = { kind: 'block', name: parts.join('.'), label, body, pos: first.pos };
    return block;
  }

  parseExpr(level = 0): Expr {
    const ops = PRECEDENCE[level];
    if (ops === undefined) return this.parseUnary();
    let left = this.parseExpr(level + 1);
    for (;;) {
      const token = this.peek();
      const op = ops.find((candidate) => token.kind === 'punct' && token.text === candidate);
      if (op === undefined) return left;
      this.next();
      // `^` binds right to left; everything else left to right.
      const right = op === '^' ? this.parseExpr(level) : this.parseExpr(level + 1);
      left = { kind: 'binary', op, left, right, pos: token.pos };
    }
  }

  private parseUnary(): Expr {
    const token = this.peek();
    if (token.kind === 'punct' && (token.text === '!' || token.text === '-')) {
      this.next();
      return { kind: 'unary', op: token.text, operand: this.parseUnary(), pos: token.pos };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePostfix(start: Expr): Expr {
    let expr = start;
    for (;;) {
      const token = this.peek();
      if (token.newlineBefore) return expr;
      if (this.isPunct('[')) {
        this.next();
        const index = this.parseExpr();
        this.expectPunct(']');
        expr = { kind: 'index', target: expr, index, pos: token.pos };
      } else if (this.isPunct('.') && expr.kind !== 'reference') {
        this.next();
        expr = { kind: 'field', target: expr, name: this.expectIdent().text, pos: token.pos };
      } else {
        return expr;
      }
    }
  }

  private parsePrimary(): Expr {
    const token = this.next();
    const pos = token.pos;
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.text, pos };
      case 'number':
        return { kind: 'number', value: Number(token.text), pos };
      case 'ident':
        return this.parseName(token);
      case 'punct':
        if (token.text === '(') {
          const inner = this.parseExpr();
          this.expectPunct(')');
          return inner;
        }
        if (token.text === '[') return this.parseList(pos);
        if (token.text === '{') return this.parseObject(pos);
        break;
      case 'eof':
        break;
    }
    throw new AlloySyntaxError(`expected an expression but found ${describe(token)}`, pos);
  }

  /** `true`, `false`, `null`, a dotted reference, or a call of a dotted function name. */
  private parseName(first: Token): Expr {
    const pos = first.pos;
    if (first.text === 'true' || first.text === 'false') {
      return { kind: 'bool', value: first.text === 'true', pos };
    }
    if (first.text === 'null') return { kind: 'null', pos };
    const path = [first.text];
    while (this.isPunct('.') && this.peek(1).kind === 'ident') {
      this.next();
      path.push(this.next().text);
    }
    if (this.isPunct('(') && !this.peek().newlineBefore) {
      this.next();
      const args = this.parseSequence(')');
      return { kind: 'call', callee: path.join('.'), args, pos };
    }
    return { kind: 'reference', path, pos };
  }

  /** Comma-separated expressions up to `close`; a trailing comma is allowed. */
  private parseSequence(close: ')' | ']'): Expr[] {
    const items: Expr[] = [];
    while (!this.isPunct(close)) {
      items.push(this.parseExpr());
      if (this.isPunct(',')) {
        this.next();
        continue;
      }
      const token = this.peek();
      if (!this.isPunct(close)) {
        throw new AlloySyntaxError(
          `expected ',' or '${close}' but found ${describe(token)}`,
          token.pos,
        );
      }
    }
    this.expectPunct(close);
    return items;
  }

  private parseList(pos: Position): Expr {
    return { kind: 'list', items: this.parseSequence(']'), pos };
  }

  private parseObject(pos: Position): Expr {
    const entries: ObjectEntry[] = [];
    while (!this.isPunct('}')) {
      const keyToken = this.next();
      if (keyToken.kind !== 'ident' && keyToken.kind !== 'string') {
        throw new AlloySyntaxError(
          `expected an object key but found ${describe(keyToken)}`,
          keyToken.pos,
        );
      }
      if (entries.some((entry) => entry.key === keyToken.text)) {
        throw new AlloySyntaxError(`duplicate object key '${keyToken.text}'`, keyToken.pos);
      }
      this.expectPunct('=');
      entries.push({ key: keyToken.text, value: this.parseExpr() });
      if (this.isPunct(',')) {
        this.next();
        continue;
      }
      const token = this.peek();
      if (!this.isPunct('}')) {
        throw new AlloySyntaxError(`expected ',' or '}' but found ${describe(token)}`, token.pos);
      }
    }
    this.expectPunct('}');
    return { kind: 'object', entries, pos };
  }
}

function describe(token: Token): string {
  if (token.kind === 'eof') return 'end of file';
  if (token.kind === 'string') return `string "${token.text}"`;
  return `'${token.text}'`;
}

/** Parses a whole configuration file into its top-level statements. */
export function parseAlloy(source: string): Statement[] {
  return new Parser(tokenize(source)).parseFile();
}

/** Parses one expression, e.g. for tests of the expression grammar. */
export function parseAlloyExpression(source: string): Expr {
  const parser = new Parser(tokenize(source));
  return parser.parseExpr();
}
