import { SimApiError } from '../http/errors.ts';
import type { JsonObject } from '../state/types.ts';

export interface FaultSpec {
  /** Route template, e.g. "/channels/:channelId/messages". */
  route: string;
  /** HTTP method; any when omitted. */
  method?: string;
  /** Status to answer with. Default 500. */
  status?: number;
  /** How many matching requests fail before the route works again. Default 1. */
  times?: number;
  /** Body to answer with. Default Discord's `{ message: "500: Internal Server Error", code: 0 }`. */
  body?: JsonObject;
}

interface ActiveFault {
  route: string;
  method: string | undefined;
  status: number;
  remaining: number;
  body: JsonObject;
}

/** Makes chosen routes fail N times, for retry and fault-handling tests. */
export class FaultInjector {
  #faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    const status = spec.status ?? 500;
    this.#faults.push({
      route: spec.route,
      method: spec.method?.toUpperCase(),
      status,
      remaining: spec.times ?? 1,
      body: spec.body ?? { message: `${status}: ${statusText(status)}`, code: 0 },
    });
  }

  clear(): void {
    this.#faults = [];
  }

  /** The error to answer with, consuming one failure, or null. */
  take(method: string, route: string): SimApiError | null {
    const fault = this.#faults.find(
      (f) =>
        f.route === route && (f.method === undefined || f.method === method) && f.remaining > 0,
    );
    if (!fault) return null;
    fault.remaining -= 1;
    this.#faults = this.#faults.filter((f) => f.remaining > 0);
    return new SimApiError(fault.status, fault.body);
  }
}

function statusText(status: number): string {
  switch (status) {
    case 500:
      return 'Internal Server Error';
    case 502:
      return 'Bad Gateway';
    case 503:
      return 'Service Unavailable';
    case 504:
      return 'Gateway Timeout';
    default:
      return 'Error';
  }
}
