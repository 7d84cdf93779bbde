// Loads the vendored OTLP .proto definitions (packages/telemetry/proto) with protobufjs and exposes the
// request/response message types of the three OTLP export services.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import type { Signal } from './captured-types.ts';

/** The vendored proto directory; the same relative path works from src/testing and dist/testing. */
export const otlpProtoDir: string = fileURLToPath(new URL('../../proto/', import.meta.url));

const serviceFiles: Record<Signal, string> = {
  traces: 'opentelemetry/proto/collector/trace/v1/trace_service.proto',
  metrics: 'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
  logs: 'opentelemetry/proto/collector/logs/v1/logs_service.proto',
};

const messageNames: Record<Signal, { request: string; response: string }> = {
  traces: {
    request: 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
    response: 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse',
  },
  metrics: {
    request: 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest',
    response: 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse',
  },
  logs: {
    request: 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest',
    response: 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse',
  },
};

export interface OtlpMessageTypes {
  request: protobuf.Type;
  response: protobuf.Type;
}

let loadedRoot: protobuf.Root | undefined;

function otlpRoot(): protobuf.Root {
  if (loadedRoot === undefined) {
    const root = new protobuf.Root();
    // The .proto files import each other by paths relative to the proto directory.
    root.resolvePath = (_origin, target) =>
      path.isAbsolute(target) ? target : path.join(otlpProtoDir, target);
    loadedRoot = root.loadSync(Object.values(serviceFiles));
  }
  return loadedRoot;
}

/** The ExportXServiceRequest/Response types for one signal. */
export function otlpMessageTypes(signal: Signal): OtlpMessageTypes {
  const root = otlpRoot();
  const names = messageNames[signal];
  return { request: root.lookupType(names.request), response: root.lookupType(names.response) };
}
