// One error shape for the whole API, mapped from DomainError codes (and fastify's own errors, schema
// validation included), recorded on the active span; 5xx are logged with the cause, never sent.
import { Attr, recordError } from '@game-scheduler/telemetry';
import { trace } from '@opentelemetry/api';
import fp from 'fastify-plugin';
import { mapError } from '../http/error-mapping.ts';

export const errorHandlerPlugin = fp(
  (app) => {
    app.setErrorHandler((error, request, reply) => {
      const mapped = mapError(error);
      const span = trace.getActiveSpan();
      if (mapped.status >= 500) {
        if (span !== undefined) recordError(span, error);
        request.log.error({ err: error, code: mapped.body.error.code }, 'Request failed');
      } else {
        span?.setAttribute(Attr.errorType, mapped.body.error.code);
        request.log.info({ code: mapped.body.error.code }, mapped.body.error.message);
      }
      return reply.code(mapped.status).type('application/json').send(mapped.body);
    });
    app.setNotFoundHandler((request, reply) => {
      return reply.code(404).send({
        error: {
          code: 'NOT_FOUND',
          message: `No route ${request.method} ${request.url.split('?')[0] ?? ''}`,
        },
      });
    });
  },
  { name: 'error-handler' },
);
