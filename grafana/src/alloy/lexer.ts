// Tokenizer for the Alloy configuration syntax: identifiers, strings (quoted with escapes, and raw
// back-quoted), numbers, punctuation and operators; `//`, `#` and `/* */` comments are skipped.
import type { Position } from './ast.ts';

export type TokenKind = 'ident' | 'string' | 'number' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The identifier, the punctuation/operator text, or the decoded string value. */
  text: string;
  pos: Position;
  /** True when a line break separates this token from the previous one. */
  newlineBefore: boolean;
}

export class AlloySyntaxError extends Error {
  readonly pos: Position;
  constructor(message: string, pos: Position) {
    super(`${message} at line ${pos.line}, column ${pos.column}`);
    this.name = 'AlloySyntaxError';
    this.pos = pos;
  }
}

const PUNCTUATION = [
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ',',
  '.',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '!',
];

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  a: '\u0007',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  "'": "'",
  '"': '"',
};

function isIdentStart(ch: string): boolean {
  return /[A-Za-z_]/.test(ch);
}

function isIdentPart(ch: string): boolean {
  return /[A-Za-z0-9_]/.test(ch);
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let newlineBefore = true;

  const pos = (at: number): Position => ({ line, column: at - lineStart + 1 });
  const advanceNewline = (at: number): void => {
    line += 1;
    lineStart = at + 1;
    newlineBefore = true;
  };

  while (i < source.length) {
    const ch = source.charAt(i);
    if (ch === '\n') {
      advanceNewline(i);
      i += 1;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i += 1;
      continue;
    }
    if (ch === '#' || source.startsWith('//', i)) {
      while (i < source.length && source.charAt(i) !== '\n') i += 1;
      continue;
    }
    if (source.startsWith('/*', i)) {
      const start = pos(i);
      const end = source.indexOf('*/', i + 2);
      if (end === -1) throw new AlloySyntaxError('unterminated block comment', start);
      for (let j = i; j < end; j += 1) if (source.charAt(j) === '\n') advanceNewline(j);
      i = end + 2;
      continue;
    }

    const start = pos(i);
    const push = (kind: TokenKind, text: string): void => {
      tokens.push({ kind, text, pos: start, newlineBefore });
      newlineBefore = false;
    };

    if (isIdentStart(ch)) {
      let j = i + 1;
      while (j < source.length && isIdentPart(source.charAt(j))) j += 1;
      push('ident', source.slice(i, j));
      i = j;
      continue;
    }
    if (/[0-9]/.test(ch)) {
      const match = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(source.slice(i));
      const text = match?.[0] ?? ch;
      push('number', text);
      i += text.length;
      continue;
    }
    if (ch === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= source.length || source.charAt(j) === '\n') {
          throw new AlloySyntaxError('unterminated string', start);
        }
        const c = source.charAt(j);
        if (c === '"') break;
        if (c !== '\\') {
          value += c;
          j += 1;
          continue;
        }
        const e = source.charAt(j + 1);
        const simple = SIMPLE_ESCAPES[e];
        if (simple !== undefined) {
          value += simple;
          j += 2;
        } else if (e === 'x' || e === 'u' || e === 'U') {
          const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          const hex = source.slice(j + 2, j + 2 + digits);
          if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) {
            throw new AlloySyntaxError(`invalid \\${e} escape`, pos(j));
          }
          value += String.fromCodePoint(parseInt(hex, 16));
          j += 2 + digits;
        } else if (/[0-7]/.test(e)) {
          const oct = source.slice(j + 1, j + 4);
          if (!/^[0-7]{3}$/.test(oct)) throw new AlloySyntaxError('invalid octal escape', pos(j));
          value += String.fromCharCode(parseInt(oct, 8));
          j += 4;
        } else {
          throw new AlloySyntaxError(`unknown escape sequence \\${e}`, pos(j));
        }
      }
      push('string', value);
      i = j + 1;
      continue;
    }
    if (ch === '`') {
      const end = source.indexOf('`', i + 1);
      if (end === -1) throw new AlloySyntaxError('unterminated raw string', start);
      push('string', source.slice(i + 1, end));
      for (let j = i; j < end; j += 1) if (source.charAt(j) === '\n') advanceNewline(j);
      newlineBefore = false;
      i = end + 1;
      continue;
    }
    const punct = PUNCTUATION.find((p) => source.startsWith(p, i));
    if (punct === undefined) throw new AlloySyntaxError(`unexpected character '${ch}'`, start);
    push('punct', punct);
    i += punct.length;
  }
  tokens.push({ kind: 'eof', text: '', pos: pos(i), newlineBefore: true });
  return tokens;
}
