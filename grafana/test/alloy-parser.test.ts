import { describe, expect, it } from 'vitest';
import {
  AlloySyntaxError,
  evaluate,
  parseAlloy,
  parseAlloyExpression,
  type Block,
  type Expr,
} from '../src/index.ts';

function onlyBlock(source: string): Block {
  const [statement] = parseAlloy(source);
  if (statement?.kind !== 'block') throw new Error('expected a block');
  return statement;
}

function value(source: string, env: Record<string, string> = {}): unknown {
  return evaluate(parseAlloyExpression(source), { env });
}

describe('the Alloy parser', () => {
  it('reads a labelled component block with attributes and nested blocks', () => {
    const block = onlyBlock(`
      // a comment
      otelcol.receiver.otlp "default" {
        /* block
           comment */
        http {
          endpoint = "0.0.0.0:4318" # hash comment
        }
        output {
          traces = [otelcol.processor.batch.default.input]
        }
      }
    `);
    expect(block.name).toBe('otelcol.receiver.otlp');
    expect(block.label).toBe('default');
    expect(block.body.map((statement) => statement.kind === 'block' && statement.name)).toEqual([
      'http',
      'output',
    ]);
    const output = block.body[1] as Block;
    const traces = output.body[0];
    expect(traces).toMatchObject({
      kind: 'attribute',
      name: 'traces',
      value: {
        kind: 'list',
        items: [{ kind: 'reference', path: ['otelcol', 'processor', 'batch', 'default', 'input'] }],
      },
    });
  });

  it('reads unlabelled blocks and empty bodies', () => {
    const statements = parseAlloy(
      'logging {\n  level = "info"\n}\nprometheus.exporter.self "alloy" { }\n',
    );
    expect(statements).toMatchObject([
      { kind: 'block', name: 'logging', label: undefined },
      { kind: 'block', name: 'prometheus.exporter.self', label: 'alloy', body: [] },
    ]);
  });

  it('reads strings with escapes, raw strings, numbers, bools and null', () => {
    expect(value('"a\\"b\\n\\u00e9"')).toBe('a"b\né');
    expect(value('`raw \\d+ "quoted"`')).toBe('raw \\d+ "quoted"');
    expect(value('1.5e2')).toBe(150);
    expect(value('true')).toBe(true);
    expect(value('null')).toBeNull();
  });

  it('reads lists and objects with trailing commas and quoted keys', () => {
    expect(value('[1, 2,\n 3,\n]')).toEqual([1, 2, 3]);
    expect(value('{ "__address__" = "rabbitmq:15692", job = "x", }')).toEqual({
      __address__: 'rabbitmq:15692',
      job: 'x',
    });
  });

  it('gives operators their precedence', () => {
    expect(value('1 + 2 * 3')).toBe(7);
    expect(value('(1 + 2) * 3')).toBe(9);
    expect(value('2 ^ 3 ^ 2')).toBe(512);
    expect(value('!false && 1 < 2 || false')).toBe(true);
    expect(value('"a" + "b" + "c"')).toBe('abc');
  });

  it('evaluates the standard-library calls the config uses', () => {
    expect(value('sys.env("HOST")', { HOST: 'db' })).toBe('db');
    expect(value('sys.env("UNSET")')).toBe('');
    expect(value('coalesce(sys.env("UNSET"), "fallback")')).toBe('fallback');
    expect(value('coalesce(sys.env("SET"), "fallback")', { SET: 'given' })).toBe('given');
    expect(value('string.format("%s:%s/%d", "h", "p", 5)')).toBe('h:p/5');
    expect(value('[1, 2][1]')).toBe(2);
    expect(value('{ a = { b = "c" } }.a.b')).toBe('c');
  });

  it('turns a component reference into an export marker instead of a value', () => {
    const expr: Expr = parseAlloyExpression('prometheus.remote_write.grafana.receiver');
    expect(evaluate(expr, { env: {} })).toEqual({
      kind: 'export',
      reference: 'prometheus.remote_write.grafana.receiver',
    });
  });

  it('reports syntax errors with their position', () => {
    expect(() => parseAlloy('a "x" {\n  b = \n}')).toThrow(
      /expected an expression.*line 3, column 1/,
    );
    expect(() => parseAlloy('a "x" {\n  b = [1, 2\n}')).toThrow(AlloySyntaxError);
    expect(() => parseAlloy('a "x" {\n  b = "unterminated\n}')).toThrow(
      /unterminated string at line 2/,
    );
    expect(() => parseAlloy('a "x" {\n  b = 1 c = 2\n}')).toThrow(/line break between statements/);
    expect(() => parseAlloy('a "x" {')).toThrow(/expected '}' before end of file/);
  });
});
