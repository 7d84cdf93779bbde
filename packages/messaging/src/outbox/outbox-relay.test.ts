import { describe, expect, it } from 'vitest';
import { gameCreatedPayload } from '../../test/support/events.ts';
import { createEvent } from '../contracts/create-event.ts';
import type { DomainEvent } from '../contracts/envelope.ts';
import { createInMemoryOutboxStore } from './in-memory-outbox-store.ts';
import { startOutboxRelay } from './outbox-relay.ts';

function row(gameId: string): {
  id: string;
  event: DomainEvent;
  traceparent: null;
  tracestate: null;
} {
  const event = createEvent('game.created', gameCreatedPayload({ gameId }));
  return { id: event.id, event, traceparent: null, tracestate: null };
}

function gameIdOf(event: DomainEvent): string {
  return event.payload.gameId;
}

describe('outbox relay (with a stand-in publisher)', () => {
  it('keeps a row whose publish failed, and the rows behind it, for the next pass in order', async () => {
    const store = createInMemoryOutboxStore();
    const published: string[] = [];
    let brokerUp = false;
    const errors: unknown[] = [];
    const relay = await startOutboxRelay({
      store,
      sweepIntervalMs: 60_000,
      onError: (error) => errors.push(error),
      publisher: {
        publish: (event) => {
          if (!brokerUp) return Promise.reject(new Error('broker down'));
          published.push(gameIdOf(event));
          return Promise.resolve();
        },
      },
    });
    store.insert(row('a'));
    store.insert(row('b'));
    await relay.drain();
    expect(published).toEqual([]);
    expect(store.records.map((record) => record.publishedAt)).toEqual([null, null]);
    expect(store.records[0]?.lastError).toBe('broker down');
    expect(store.records[1]?.attempts).toBe(0);
    expect(errors.length).toBeGreaterThan(0);

    brokerUp = true;
    await relay.drain();
    expect(published).toEqual(['a', 'b']);
    expect(store.records.every((record) => record.publishedAt !== null)).toBe(true);
    await relay.stop();
  });

  it('hands a pass’s rows to the broker before the first confirm, and keeps a refused row and those behind it', async () => {
    const store = createInMemoryOutboxStore();
    const published: string[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    let refuse: string | null = 'c';
    const relay = await startOutboxRelay({
      store,
      sweepIntervalMs: 60_000,
      onError: () => undefined,
      publisher: {
        publish: async (event) => {
          inFlight += 1;
          mostInFlight = Math.max(mostInFlight, inFlight);
          await new Promise((resolve) => setImmediate(resolve));
          inFlight -= 1;
          if (gameIdOf(event) === refuse) throw new Error('broker refused');
          published.push(gameIdOf(event));
        },
      },
    });
    for (const gameId of ['a', 'b', 'c', 'd']) store.insert(row(gameId));
    await relay.drain();
    expect(mostInFlight).toBe(4);
    expect(store.records.map((record) => record.publishedAt !== null)).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(store.records[2]?.attempts).toBe(1);
    expect(store.records[2]?.lastError).toBe('broker refused');

    // The row behind the refused one reached the broker and goes out again with it: twice, never lost.
    refuse = null;
    await relay.drain();
    expect(published).toEqual(['a', 'b', 'd', 'c', 'd']);
    expect(store.records.every((record) => record.publishedAt !== null)).toBe(true);
    await relay.stop();
  });

  it('sets aside a row that breaks its contract and publishes the rows behind it', async () => {
    const store = createInMemoryOutboxStore();
    const published: string[] = [];
    const relay = await startOutboxRelay({
      store,
      sweepIntervalMs: 60_000,
      publisher: {
        publish: (event) => {
          published.push(gameIdOf(event));
          return Promise.resolve();
        },
      },
    });
    const broken = row('broken');
    store.insert({ ...broken, event: { ...broken.event, version: 9 } });
    store.insert(row('fine'));
    await relay.drain();
    expect(published).toEqual(['fine']);
    expect(store.records[0]).toMatchObject({ rejected: true, publishedAt: null });
    expect(store.records[0]?.lastError).toContain('version 9');
    await relay.stop();
  });

  it('claims batch after batch until nothing is pending', async () => {
    const store = createInMemoryOutboxStore();
    const published: string[] = [];
    const ids = Array.from({ length: 7 }, (_, index) => `g${index}`);
    for (const id of ids) store.insert(row(id));
    const relay = await startOutboxRelay({
      store,
      batchSize: 3,
      sweepIntervalMs: 60_000,
      publisher: {
        publish: (event) => {
          published.push(gameIdOf(event));
          return Promise.resolve();
        },
      },
    });
    await relay.drain();
    expect(published).toEqual(ids);
    await relay.stop();
  });
});
