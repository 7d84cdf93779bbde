export {
  comparePairs,
  describeThreadCpu,
  measureHttp,
  verdict,
  type Comparison,
  type HttpTarget,
  type Load,
  type Measurement,
} from './compare.ts';
export { fixedRate, saturate, type LoadOptions, type LoadResult } from './load.ts';
export {
  describeSinkCounts,
  receive,
  startOtlpSink,
  type OtlpSink,
  type SinkCounts,
} from './otlp-sink.ts';
export {
  processCpuMicros,
  processRssBytes,
  processThreadCpuMicros,
  startCpuMeter,
  threadKind,
  type CpuPerUnit,
} from './process-stats.ts';
export { fixed, machineLine, REPORT_PATH, signed, table, writeReportSection } from './report.ts';
export { median, percentile } from './stats.ts';
