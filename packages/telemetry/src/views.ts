// Metric views that bound cardinality: every known instrument keeps only its allow-listed attributes
// (never user, game or message ids), histograms get explicit buckets where declared.
import {
  AggregationType,
  createAllowListAttributesProcessor,
  type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import { allMetricDefinitions, type MetricDefinition } from './names.ts';

/** Per-stream cardinality limit for every instrument (a safety net for unknown instruments too). */
export const CARDINALITY_LIMIT = 500;

function viewFor(definition: MetricDefinition): ViewOptions {
  const view: ViewOptions = {
    instrumentName: definition.name,
    attributesProcessors: [createAllowListAttributesProcessor([...definition.attributes])],
    aggregationCardinalityLimit: CARDINALITY_LIMIT,
  };
  if (definition.kind === 'histogram' && definition.buckets !== undefined) {
    return {
      ...view,
      aggregation: {
        type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
        options: { boundaries: [...definition.buckets] },
      },
    };
  }
  return view;
}

/** One view per instrument declared in names.ts. */
export function createMetricViews(
  definitions: readonly MetricDefinition[] = allMetricDefinitions,
): ViewOptions[] {
  return definitions.map(viewFor);
}
