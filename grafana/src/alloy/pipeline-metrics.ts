// Alloy's own metrics that say whether the pipeline works end to end; config.alloy keeps them (job
// "integrations/alloy") so a verification can read them from Grafana. Depending on the Alloy
// version the OpenTelemetry counters carry a `_total` suffix or not; the keep rule accepts both.
export const alloyPipelineMetrics = {
  acceptedSpans: 'otelcol_receiver_accepted_spans_total',
  refusedSpans: 'otelcol_receiver_refused_spans_total',
  acceptedMetricPoints: 'otelcol_receiver_accepted_metric_points_total',
  refusedMetricPoints: 'otelcol_receiver_refused_metric_points_total',
  acceptedLogRecords: 'otelcol_receiver_accepted_log_records_total',
  refusedLogRecords: 'otelcol_receiver_refused_log_records_total',
  sentSpans: 'otelcol_exporter_sent_spans_total',
  failedSpans: 'otelcol_exporter_send_failed_spans_total',
  sentMetricPoints: 'otelcol_exporter_sent_metric_points_total',
  failedMetricPoints: 'otelcol_exporter_send_failed_metric_points_total',
  sentLogRecords: 'otelcol_exporter_sent_log_records_total',
  failedLogRecords: 'otelcol_exporter_send_failed_log_records_total',
  remoteWriteSamples: 'prometheus_remote_storage_samples_total',
  remoteWriteFailedSamples: 'prometheus_remote_storage_samples_failed_total',
  remoteWriteDroppedSamples: 'prometheus_remote_storage_samples_dropped_total',
} as const;
