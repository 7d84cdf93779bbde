// Routes the SDK's own diagnostics into our logger, each distinct message once, so a broken collector
// cannot flood the service's log.
import { DiagLogLevel, diag, type DiagLogger } from '@opentelemetry/api';
import { setGlobalErrorHandler } from '@opentelemetry/core';
import type { Logger } from 'pino';
import { redactText } from './redact.ts';

const MAX_REMEMBERED = 200;

export function installDiagLogger(logger: Logger): void {
  const seen = new Set<string>();
  const once = (level: 'error' | 'warn', message: string, args: unknown[]): void => {
    const key = `${level}:${message}`.slice(0, 200);
    if (seen.has(key)) return;
    if (seen.size >= MAX_REMEMBERED) seen.clear();
    seen.add(key);
    const detail = args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' ');
    logger[level](
      { component: 'opentelemetry-sdk', detail: redactText(detail) },
      redactText(message),
    );
  };
  const diagLogger: DiagLogger = {
    error: (message, ...args) => {
      once('error', message, args);
    },
    warn: (message, ...args) => {
      once('warn', message, args);
    },
    info: () => undefined,
    debug: () => undefined,
    verbose: () => undefined,
  };
  diag.setLogger(diagLogger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  // Failed exports are reported by the exporter guards (once per outage); the SDK's per-export
  // error callback stays quiet.
  setGlobalErrorHandler(() => undefined);
}
