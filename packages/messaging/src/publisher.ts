// Publishes domain events: validated, persistent, confirmed by the broker, with the W3C trace context
// in the headers and a PRODUCER span around the publish.
import {
  SpanKind,
  SpanStatusCode,
  context,
  trace,
  type Context,
  type TracerProvider,
} from '@opentelemetry/api';
import type { ConfirmChannel } from 'amqplib';
import type { MessagingConnection } from './connection.ts';
import type { DomainEvent } from './contracts/envelope.ts';
import { parseEvent } from './contracts/parse-event.ts';
import { brokerUnavailable } from './errors.ts';
import type { MessageHeaders } from './headers.ts';
import { assertNotAutoInstrumented } from './instrumentation-guard.ts';
import { MESSAGING_TRACER_NAME, attributeKeys as attr, spanNames } from './telemetry-names.ts';
import { injectTraceContext } from './trace-context.ts';

export interface PublisherOptions {
  connection: MessagingConnection;
  /** The topic exchange (`Topology.eventsExchange`). */
  exchange: string;
  /** Default: the global tracer provider. */
  tracerProvider?: TracerProvider;
  /**
   * Longest a publish may take, waiting for a connection included, before it rejects
   * (DEPENDENCY_UNAVAILABLE) so callers such as the outbox relay do not hang while RabbitMQ is down.
   * Default 30 s.
   */
  timeoutMs?: number;
}

export interface PublishOptions {
  /**
   * Parent of the PRODUCER span, e.g. `contextFromTraceparent(row.traceparent)` in the outbox relay.
   * Default: the active context.
   */
  parentContext?: Context;
}

export interface Publisher {
  /** Resolves once the broker has confirmed the message; rejects (DEPENDENCY_UNAVAILABLE) otherwise. */
  publish(event: DomainEvent, options?: PublishOptions): Promise<void>;
  close(): Promise<void>;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function withTimeout(
  work: Promise<void>,
  timeoutMs: number,
  event: DomainEvent,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        brokerUnavailable(`Publishing ${event.type} ${event.id} timed out after ${timeoutMs} ms`),
      );
    }, timeoutMs);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createPublisher(options: PublisherOptions): Publisher {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(
    MESSAGING_TRACER_NAME,
  );
  let channel: Promise<ConfirmChannel> | null = null;

  function openChannel(): Promise<ConfirmChannel> {
    const opening = (async () => {
      const model = await options.connection.current();
      const created = await model.createConfirmChannel();
      assertNotAutoInstrumented(created);
      created.on('error', () => undefined);
      created.on('close', () => {
        if (channel === opening) channel = null;
      });
      return created;
    })();
    opening.catch(() => {
      if (channel === opening) channel = null;
    });
    channel = opening;
    return opening;
  }

  async function send(event: DomainEvent, headers: MessageHeaders): Promise<void> {
    const confirmChannel = await (channel ?? openChannel());
    await new Promise<void>((resolve, reject) => {
      confirmChannel.publish(
        options.exchange,
        event.type,
        Buffer.from(JSON.stringify(event)),
        {
          persistent: true,
          messageId: event.id,
          type: event.type,
          contentType: 'application/json',
          timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
          headers,
        },
        (error: unknown) => {
          if (error) {
            reject(
              brokerUnavailable(
                `Broker did not confirm ${event.type} ${event.id}: ${errorMessage(error)}`,
                error,
              ),
            );
          } else {
            resolve();
          }
        },
      );
    });
  }

  return {
    async publish(input, publishOptions = {}) {
      const event = parseEvent(input);
      const parent = publishOptions.parentContext ?? context.active();
      const span = tracer.startSpan(
        spanNames.eventPublish,
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            [attr.messagingSystem]: 'rabbitmq',
            [attr.messagingOperationType]: 'send',
            [attr.messagingDestinationName]: options.exchange,
            [attr.messagingMessageId]: event.id,
            [attr.eventType]: event.type,
            [attr.eventVersion]: event.version,
          },
        },
        parent,
      );
      try {
        const headers: MessageHeaders = {};
        injectTraceContext(headers, trace.setSpan(parent, span));
        await withTimeout(send(event, headers), options.timeoutMs ?? 30_000, event);
        span.setStatus({ code: SpanStatusCode.OK });
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
        throw error;
      } finally {
        span.end();
      }
    },
    async close() {
      const open = channel;
      channel = null;
      if (open) {
        const confirmChannel = await open.catch(() => null);
        await confirmChannel?.close().catch(() => undefined);
      }
    },
  };
}
