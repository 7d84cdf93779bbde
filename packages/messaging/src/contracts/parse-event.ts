// Validation on both sides of the wire: publishers call it before sending, consumers after receiving.
import type { z } from 'zod';
import { contractError } from '../errors.ts';
import { envelopeSchema, type DomainEvent } from './envelope.ts';
import { EVENT_PAYLOADS, type EventType } from './game-events.ts';

function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: string): string {
  return issues
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.');
      return `${path === '' ? '(root)' : path}: ${issue.message}`;
    })
    .join('; ');
}

/**
 * Events this module returned: already checked, so checking one again (an event made by createEvent
 * and written to the outbox, or a stored event the relay read and hands to the publisher) returns it
 * as it is. Events are not changed once made; one that was would not be checked again.
 */
const checked = new WeakSet<object>();

function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_PAYLOADS, type);
}

/**
 * Checks an incoming or outgoing event against its versioned contract and returns it typed. Throws a
 * `DomainError` (code VALIDATION, `details.contract` UNKNOWN_TYPE, UNKNOWN_VERSION or INVALID) whose message
 * names every offending field, e.g. `payload.title: Too small: expected string to have >=1 characters`.
 */
export function parseEvent(input: unknown): DomainEvent {
  if (typeof input === 'object' && input !== null && checked.has(input))
    return input as DomainEvent;
  const envelope = envelopeSchema.safeParse(input);
  if (!envelope.success) {
    throw contractError(
      'INVALID',
      `Invalid event envelope: ${describeIssues(envelope.error.issues, '')}`,
    );
  }
  const { type, version } = envelope.data;
  if (!isEventType(type)) {
    throw contractError('UNKNOWN_TYPE', `Unknown event type "${type}"`);
  }
  const schemas: Partial<Record<number, z.ZodType>> = EVENT_PAYLOADS[type];
  const schema = schemas[version];
  if (schema === undefined) {
    throw contractError('UNKNOWN_VERSION', `Unknown version ${version} of event type "${type}"`);
  }
  const payload = schema.safeParse(envelope.data.payload);
  if (!payload.success) {
    throw contractError(
      'INVALID',
      `Invalid ${type} v${version} event: ${describeIssues(payload.error.issues, 'payload')}`,
    );
  }
  const event = { ...envelope.data, payload: payload.data } as DomainEvent;
  checked.add(event);
  return event;
}
