import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { otlpProtoDir } from './index.ts';

const sharedProtoDir = fileURLToPath(new URL('../../../../../shared/otlp-proto/', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

const protoFiles = (dir: string): string[] =>
  filesUnder(dir).filter((file) => file.endsWith('.proto') || file === 'LICENSE');

describe('the vendored OTLP proto definitions', () => {
  it('hold the three export services, their messages and the Apache license', () => {
    expect(protoFiles(otlpProtoDir)).toEqual([
      'LICENSE',
      'opentelemetry/proto/collector/logs/v1/logs_service.proto',
      'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
      'opentelemetry/proto/collector/trace/v1/trace_service.proto',
      'opentelemetry/proto/common/v1/common.proto',
      'opentelemetry/proto/logs/v1/logs.proto',
      'opentelemetry/proto/metrics/v1/metrics.proto',
      'opentelemetry/proto/resource/v1/resource.proto',
      'opentelemetry/proto/trace/v1/trace.proto',
    ]);
    expect(readFileSync(path.join(otlpProtoDir, 'LICENSE'), 'utf8')).toContain('Apache License');
  });

  // ../shared exists only on the machines this project is built on, not in a user's clone.
  it.runIf(existsSync(sharedProtoDir))('are byte for byte the official copy in ../shared', () => {
    expect(protoFiles(otlpProtoDir)).toEqual(protoFiles(sharedProtoDir));
    for (const file of protoFiles(sharedProtoDir)) {
      expect(readFileSync(path.join(otlpProtoDir, file)), file).toEqual(
        readFileSync(path.join(sharedProtoDir, file)),
      );
    }
  });
});
