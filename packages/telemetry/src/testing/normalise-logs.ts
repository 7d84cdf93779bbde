// Turns a decoded ExportLogsServiceRequest into CapturedLog records.
import type { CapturedLog } from './captured-types.ts';
import { captureOrigin, flattenAnyValue, flattenAttributes, hexId } from './any-value.ts';
import type { DecodedLogsRequest } from './otlp-decoded.ts';

export function normaliseLogs(request: DecodedLogsRequest): CapturedLog[] {
  const logs: CapturedLog[] = [];
  for (const resourceLogs of request.resourceLogs) {
    for (const scopeLogs of resourceLogs.scopeLogs) {
      const origin = captureOrigin(resourceLogs.resource, scopeLogs.scope);
      for (const record of scopeLogs.logRecords) {
        logs.push({
          ...origin,
          timeUnixNano: record.timeUnixNano ?? 0n,
          observedTimeUnixNano: record.observedTimeUnixNano ?? 0n,
          severityText: record.severityText ?? '',
          severityNumber: record.severityNumber ?? 0,
          body: record.body === undefined ? undefined : flattenAnyValue(record.body),
          attributes: flattenAttributes(record.attributes),
          eventName: record.eventName ?? '',
          traceId: hexId(record.traceId),
          spanId: hexId(record.spanId),
        });
      }
    }
  }
  return logs;
}
