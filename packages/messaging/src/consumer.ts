// Consumes one service's queue: validates each event, runs the handler once per message id inside a
// CONSUMER span of the publisher's trace, acks only after the handler resolved, moves failures to the
// delayed retry queues and, after the last attempt (or at once for contract violations), parks them in
// the dead-letter queue; a failure because the database is unavailable keeps the message in the
// longest retry queue for as long as the outage lasts instead (it is never parked for that). Resumes
// by itself after the connection or channel is lost.
import {
  SpanKind,
  SpanStatusCode,
  context,
  trace,
  type ObservableResult,
  type Span,
  type TracerProvider,
} from '@opentelemetry/api';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { DomainError } from '@game-scheduler/domain';
import { isDatabaseUnavailable } from '@game-scheduler/db';
import type { MessagingConnection } from './connection.ts';
import type { DomainEvent } from './contracts/envelope.ts';
import { parseEvent } from './contracts/parse-event.ts';
import { brokerUnavailable, contractError, contractViolationOf } from './errors.ts';
import { HEADERS, attemptOf, type MessageHeaders } from './headers.ts';
import type { IdempotencyStore } from './idempotency.ts';
import { assertNotAutoInstrumented } from './instrumentation-guard.ts';
import {
  AttrValues,
  MESSAGING_TRACER_NAME,
  Metrics,
  attributeKeys as attr,
  createCounter,
  createObservableGauge,
  outcomeValue,
  spanNames,
} from './telemetry-names.ts';
import type { Topology } from './topology.ts';
import { within } from './observe-within.ts';
import { extractTraceContext } from './trace-context.ts';

export interface HandlerContext<Tx> {
  /** What `IdempotencyStore.runOnce` runs the handler in (the database transaction for PostgreSQL). */
  tx: Tx;
  messageId: string;
  /** 1 on the first delivery, then counting retries. */
  attempt: number;
  /** The broker's redelivered flag (the previous delivery was not acked). */
  redelivered: boolean;
}

/** Resolve to ack; throw to retry (or dead-letter after the last attempt). */
export type EventHandler<Tx> = (event: DomainEvent, context: HandlerContext<Tx>) => Promise<void>;

export type ConsumerOutcome = 'acked' | 'duplicate' | 'retried' | 'dead_lettered';

export interface ConsumeOptions<Tx> {
  connection: MessagingConnection;
  topology: Topology;
  /** The consuming service; one of the topology's consumers. */
  service: string;
  handler: EventHandler<Tx>;
  idempotency: IdempotencyStore<Tx>;
  /**
   * Events the handler may handle more than once with the same effects (an announcement rendered
   * from the database again, say): handled through `idempotency.runUnrecorded`, without the record
   * (and, for PostgreSQL, without the transaction) that makes the others run once. Default: none.
   */
  repeatable?: (event: DomainEvent) => boolean;
  /** Unacked messages in flight at once (handled concurrently). Default 10. */
  prefetch?: number;
  tracerProvider?: TracerProvider;
  /** For logging and tests: what happened to each delivery, with the error if there was one. */
  onOutcome?: (
    outcome: ConsumerOutcome,
    info: { messageId: string | undefined; error?: unknown },
  ) => void;
}

export interface Consumer {
  /** Stops taking messages, waits for those in flight, closes the channel. */
  close(): Promise<void>;
}

const BROKER_HEADERS = [
  'x-death',
  'x-delivery-count',
  'x-first-death-exchange',
  'x-first-death-queue',
  'x-first-death-reason',
  'x-last-death-exchange',
  'x-last-death-queue',
  'x-last-death-reason',
];
const MAX_REASON_LENGTH = 1000;

/** amqplib types the header table as `any`. */
function headersOf(message: ConsumeMessage): MessageHeaders {
  const headers: unknown = message.properties.headers;
  return typeof headers === 'object' && headers !== null ? (headers as MessageHeaders) : {};
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Publishes through `send` and resolves once the broker confirmed it. */
function confirmed(send: (callback: (error: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    send((error) => {
      if (error) reject(brokerUnavailable(`Publish not confirmed: ${errorMessage(error)}`, error));
      else resolve();
    });
  });
}

export async function consume<Tx>(options: ConsumeOptions<Tx>): Promise<Consumer> {
  const names = options.topology.queues[options.service];
  if (names === undefined) {
    throw new DomainError('INTERNAL', `The topology has no consumer "${options.service}"`);
  }
  const queues = names;
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(
    MESSAGING_TRACER_NAME,
  );
  const prefetch = options.prefetch ?? 10;
  const inFlight = new Set<Promise<void>>();
  const retries = createCounter(Metrics.messagingRetries);
  const parked = createCounter(Metrics.messagingDeadLetters);
  const depth = createObservableGauge(Metrics.messagingQueueDepth);
  let closing = false;
  let active: { model: ChannelModel; channel: ConfirmChannel; consumerTag: string } | null = null;

  /** Every queue of this service, for the depth gauge. */
  const observedQueues = [
    { queue: queues.main, kind: AttrValues.messagingQueueKind.main },
    ...queues.retries.map((retry) => ({
      queue: retry.queue,
      kind: AttrValues.messagingQueueKind.retry,
    })),
    { queue: queues.deadLetter, kind: AttrValues.messagingQueueKind.deadLetter },
  ];

  /**
   * Reads each queue's ready-message count on a channel of its own (a passive declare of a missing
   * queue closes its channel, which must never be the consuming one). Connection lost or a queue
   * deleted meanwhile: what was read so far.
   */
  async function readDepths(model: ChannelModel) {
    const depths: { queue: string; kind: string; count: number }[] = [];
    let channel: Channel | undefined;
    try {
      channel = await model.createChannel();
      channel.on('error', () => undefined);
      for (const { queue, kind } of observedQueues) {
        const { messageCount } = await channel.checkQueue(queue);
        depths.push({ queue, kind, count: messageCount });
      }
    } catch {
      // reported as far as it got
    } finally {
      await channel?.close().catch(() => undefined);
    }
    return depths;
  }

  /** While disconnected nothing is observed: a gap in the series, not a false zero. */
  async function observeDepth(result: ObservableResult): Promise<void> {
    const model = active?.model;
    if (model === undefined) return;
    for (const { queue, kind, count } of (await within(readDepths(model))) ?? []) {
      result.observe(count, {
        [attr.messagingDestinationName]: queue,
        [attr.messagingQueueKind]: kind,
      });
    }
  }

  function republishProperties(message: ConsumeMessage, headers: MessageHeaders): Options.Publish {
    const { properties } = message;
    const kept = Object.fromEntries(
      Object.entries(headersOf(message)).filter(([name]) => !BROKER_HEADERS.includes(name)),
    );
    const published: Options.Publish = { persistent: true, headers: { ...kept, ...headers } };
    if (typeof properties.messageId === 'string') published.messageId = properties.messageId;
    if (typeof properties.type === 'string') published.type = properties.type;
    if (typeof properties.contentType === 'string') published.contentType = properties.contentType;
    if (typeof properties.timestamp === 'number') published.timestamp = properties.timestamp;
    return published;
  }

  function routingKeyOf(message: ConsumeMessage): string {
    const header = headersOf(message)[HEADERS.routingKey];
    return typeof header === 'string' ? header : message.fields.routingKey;
  }

  async function deadLetter(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    code: string,
    reason: string,
  ): Promise<void> {
    const properties = republishProperties(message, {
      [HEADERS.deadLetterCode]: code,
      [HEADERS.deadLetterReason]: reason.slice(0, MAX_REASON_LENGTH),
      [HEADERS.sourceQueue]: queues.main,
      [HEADERS.routingKey]: routingKeyOf(message),
      [HEADERS.attempt]: attemptOf(headersOf(message)),
    });
    await confirmed((callback) =>
      channel.publish(
        options.topology.deadLetterExchange,
        options.service,
        message.content,
        properties,
        callback,
      ),
    );
  }

  async function retry(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    queue: string,
    nextAttempt: number,
  ): Promise<void> {
    const properties = republishProperties(message, {
      [HEADERS.attempt]: nextAttempt,
      [HEADERS.sourceQueue]: queues.main,
      [HEADERS.routingKey]: routingKeyOf(message),
    });
    await confirmed((callback) =>
      channel.sendToQueue(queue, message.content, properties, callback),
    );
  }

  async function handle(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    span: Span,
  ): Promise<ConsumerOutcome> {
    const attempt = attemptOf(headersOf(message));
    span.setAttribute(attr.retryAttempt, attempt);
    let event: DomainEvent;
    try {
      event = parseEvent(JSON.parse(message.content.toString('utf8')));
    } catch (error) {
      const violation = contractViolationOf(error) ?? 'INVALID';
      const reason =
        violation === 'INVALID' && !(error instanceof DomainError)
          ? contractError('INVALID', `Message body is not JSON: ${errorMessage(error)}`)
          : error;
      span.recordException(reason instanceof Error ? reason : String(reason));
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(reason) });
      await deadLetter(channel, message, `CONTRACT_${violation}`, errorMessage(reason));
      options.onOutcome?.('dead_lettered', {
        messageId: message.properties.messageId as string | undefined,
        error: reason,
      });
      return 'dead_lettered';
    }
    span.setAttributes({
      [attr.messagingMessageId]: event.id,
      [attr.eventType]: event.type,
      [attr.eventVersion]: event.version,
    });
    try {
      const work = (tx: Tx): Promise<void> =>
        options.handler(event, {
          tx,
          messageId: event.id,
          attempt,
          redelivered: message.fields.redelivered,
        });
      let ran = true;
      if (options.repeatable?.(event) === true) await options.idempotency.runUnrecorded(work);
      else ({ ran } = await options.idempotency.runOnce(options.service, event.id, work));
      const outcome = ran ? 'acked' : 'duplicate';
      options.onOutcome?.(outcome, { messageId: event.id });
      return outcome;
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
      // The database being down is no fault of the message: it waits in the longest retry queue
      // as long as the outage lasts instead of using up its attempts and being parked.
      const last = queues.retries.length;
      const waiting = isDatabaseUnavailable(error) && attempt >= last && last > 0;
      const next = queues.retries[waiting ? last - 1 : attempt - 1];
      if (next !== undefined) {
        await retry(channel, message, next.queue, waiting ? last : attempt + 1);
        options.onOutcome?.('retried', { messageId: event.id, error });
        return 'retried';
      }
      await deadLetter(
        channel,
        message,
        'HANDLER_FAILED',
        `Failed ${attempt} attempts; last error: ${errorMessage(error)}`,
      );
      options.onOutcome?.('dead_lettered', { messageId: event.id, error });
      return 'dead_lettered';
    }
  }

  function onDelivery(channel: ConfirmChannel, message: ConsumeMessage): void {
    const parent = extractTraceContext(headersOf(message));
    const span = tracer.startSpan(
      spanNames.eventProcess,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          [attr.messagingSystem]: 'rabbitmq',
          [attr.messagingOperationType]: 'process',
          [attr.messagingDestinationName]: queues.main,
        },
      },
      parent,
    );
    const work = context
      .with(trace.setSpan(parent, span), () => handle(channel, message, span))
      .then(
        (outcome) => {
          span.setAttribute(attr.outcome, outcomeValue[outcome]);
          const counted =
            outcome === 'retried' ? retries : outcome === 'dead_lettered' ? parked : null;
          counted?.add(1, {
            [attr.messagingDestinationName]: queues.main,
            [attr.eventType]: routingKeyOf(message),
          });
          // Acked only now: the handler (and its transaction) finished, or the message was moved on.
          channel.ack(message);
        },
        (error: unknown) => {
          // Neither handled nor moved on (the retry or dead-letter publish failed): give it back to
          // the broker for redelivery (bounded by the queue's delivery limit). If the channel is gone
          // this throws, and the broker requeues it anyway; idempotency covers a handler that ran.
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
          channel.nack(message, false, true);
        },
      )
      .catch(() => undefined)
      .finally(() => {
        span.end();
        inFlight.delete(work);
      });
    inFlight.add(work);
  }

  async function start(model: ChannelModel): Promise<void> {
    if (closing) return;
    const channel = await model.createConfirmChannel();
    assertNotAutoInstrumented(channel);
    channel.on('error', () => undefined);
    channel.on('close', () => {
      if (active?.channel !== channel) return;
      active = null;
      // Closed without the connection (or by the broker): start over on a fresh connection.
      if (!closing) options.connection.reset(model);
    });
    await channel.prefetch(prefetch);
    const { consumerTag } = await channel.consume(
      queues.main,
      (message) => {
        if (message === null) {
          // The broker cancelled the consumer (queue deleted or failed over): reconnect and resume.
          if (!closing) options.connection.reset(model);
          return;
        }
        onDelivery(channel, message);
      },
      { noAck: false },
    );
    active = { model, channel, consumerTag };
  }

  const unregister = await options.connection.register(start);
  depth.addCallback(observeDepth);

  return {
    async close() {
      closing = true;
      depth.removeCallback(observeDepth);
      unregister();
      const current = active;
      if (current) await current.channel.cancel(current.consumerTag).catch(() => undefined);
      await Promise.allSettled([...inFlight]);
      active = null;
      if (current) await current.channel.close().catch(() => undefined);
    },
  };
}
