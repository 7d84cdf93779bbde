import { describe, expect, it } from 'vitest';
import { assertNotAutoInstrumented } from './instrumentation-guard.ts';

describe('assertNotAutoInstrumented', () => {
  it('accepts a channel whose methods are amqplib’s own', () => {
    expect(() => {
      assertNotAutoInstrumented({ publish: () => true, consume: () => Promise.resolve() });
    }).not.toThrow();
  });

  it('refuses a channel patched by the amqplib OpenTelemetry instrumentation', () => {
    const patched = Object.assign(() => true, { __wrapped: true });
    expect(() => {
      assertNotAutoInstrumented({ publish: patched, consume: () => Promise.resolve() });
    }).toThrow(/instrumentation-amqplib/);
  });
});
