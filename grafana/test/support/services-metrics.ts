// The Prometheus names of the services' own metrics (declared in packages/telemetry's registry),
// as Grafana Cloud / Mimir shows them after OTLP ingestion. These reach Grafana over OTLP, not
// through Alloy's scrapes, so dashboards may use them without an infrastructure job.
import { allMetricDefinitions, type MetricDefinition } from '@game-scheduler/telemetry';
import { prometheusSeriesNames, type PrometheusNameInput } from '@game-scheduler/telemetry/testing';

function nameInput(definition: MetricDefinition): PrometheusNameInput {
  switch (definition.kind) {
    case 'counter':
      return { name: definition.name, unit: definition.unit, type: 'sum', isMonotonic: true };
    case 'up_down_counter':
      return { name: definition.name, unit: definition.unit, type: 'sum', isMonotonic: false };
    case 'histogram':
      return {
        name: definition.name,
        unit: definition.unit,
        type: 'histogram',
        isMonotonic: false,
      };
    case 'gauge':
    case 'observable_gauge':
      return { name: definition.name, unit: definition.unit, type: 'gauge', isMonotonic: false };
  }
}

export function servicesMetricNames(): Set<string> {
  return new Set(
    allMetricDefinitions.flatMap((definition) => prometheusSeriesNames(nameInput(definition))),
  );
}
