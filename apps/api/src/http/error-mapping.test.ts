import { Prisma, createPrismaClient } from '@game-scheduler/db';
import { DomainError } from '@game-scheduler/domain';
import { getServices } from '@game-scheduler/testing';
import { describe, expect, it } from 'vitest';
import { mapError } from './error-mapping.ts';

describe('mapError', () => {
  it.each([
    ['VALIDATION', 400],
    ['UNAUTHENTICATED', 401],
    ['FORBIDDEN', 403],
    ['NOT_FOUND', 404],
    ['CONFLICT', 409],
    ['ALREADY_JOINED', 409],
    ['GAME_FULL', 409],
    ['RATE_LIMITED', 429],
    ['DEPENDENCY_UNAVAILABLE', 503],
    ['INTERNAL', 500],
  ] as const)('answers %s with %i', (code, status) => {
    expect(mapError(new DomainError(code, 'x')).status).toBe(status);
  });

  it('keeps the message and details of a client error', () => {
    const mapped = mapError(
      new DomainError('VALIDATION', 'title is empty', { details: { field: 'title' } }),
    );
    expect(mapped.body).toEqual({
      error: { code: 'VALIDATION', message: 'title is empty', details: { field: 'title' } },
    });
  });

  it('never sends what an unexpected error says', () => {
    const mapped = mapError(new Error('password authentication failed for user "admin"'));
    expect(mapped.status).toBe(500);
    expect(mapped.body).toEqual({
      error: { code: 'INTERNAL', message: 'Something went wrong on our side.' },
    });
  });

  it('sends no details for a 503 either', () => {
    const mapped = mapError(
      new DomainError('DEPENDENCY_UNAVAILABLE', 'redis at 10.0.0.5 down', {
        details: { host: '10.0.0.5' },
      }),
    );
    expect(mapped.body.error).toEqual({
      code: 'DEPENDENCY_UNAVAILABLE',
      message: 'A service we depend on is unavailable; try again shortly.',
    });
  });

  it('answers a unique key taken by a concurrent request with 409 and a row gone with 404', () => {
    const taken = new Prisma.PrismaClientKnownRequestError('Unique constraint failed on (name)', {
      code: 'P2002',
      clientVersion: '7.10.0',
    });
    const gone = new Prisma.PrismaClientKnownRequestError('No record was found for an update', {
      code: 'P2025',
      clientVersion: '7.10.0',
    });
    expect(mapError(taken)).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT' } } });
    expect(mapError(gone)).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect(JSON.stringify(mapError(taken).body)).not.toContain('name');
  });

  it('treats an unreachable database as a dependency failure', () => {
    const error = Object.assign(new Error("Can't reach database server"), { code: 'P1001' });
    expect(mapError(error).status).toBe(503);
  });

  it('treats a query cut off by PostgreSQL shutting down as a dependency failure, not a 500', async () => {
    // The error Prisma throws when the server terminates the connection under a query (SQLSTATE
    // 57P01, as `pg_ctl stop -m fast` or a restart does to every session).
    const prisma = createPrismaClient(getServices().databaseUrl, { poolSize: 1 });
    const cutOff: unknown = await prisma
      .$queryRawUnsafe('SELECT pg_terminate_backend(pg_backend_pid())')
      .then(
        () => null,
        (error: unknown) => error,
      );
    await prisma.$disconnect();
    expect(mapError(cutOff)).toMatchObject({
      status: 503,
      body: { error: { code: 'DEPENDENCY_UNAVAILABLE' } },
    });
  });

  it('names the field of a schema validation error', () => {
    const mapped = mapError({
      statusCode: 400,
      validationContext: 'body',
      validation: [
        {
          instancePath: '',
          keyword: 'required',
          params: { missingProperty: 'title' },
          message: "must have required property 'title'",
        },
      ],
    });
    expect(mapped.status).toBe(400);
    expect(mapped.body.error).toMatchObject({
      code: 'VALIDATION',
      details: { field: 'title', location: 'body' },
    });
  });

  it('names a nested field by its path', () => {
    const mapped = mapError({
      statusCode: 400,
      validationContext: 'body',
      validation: [
        {
          instancePath: '/reminderMinutes/0',
          keyword: 'minimum',
          params: {},
          message: 'must be >= 0',
        },
      ],
    });
    expect(mapped.body.error.details).toMatchObject({ field: 'reminderMinutes.0' });
  });
});
