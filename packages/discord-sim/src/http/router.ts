/** A small method + path-template router ("/channels/:channelId/messages/@original"). */

export interface RouteMatch<H> {
  handler: H;
  template: string;
  params: Record<string, string>;
}

interface CompiledRoute<H> {
  method: string;
  template: string;
  segments: string[];
  handler: H;
}

export class Router<H> {
  readonly #routes: CompiledRoute<H>[] = [];

  add(method: string, template: string, handler: H): this {
    this.#routes.push({
      method: method.toUpperCase(),
      template,
      segments: template.split('/').filter((s) => s !== ''),
      handler,
    });
    return this;
  }

  /** Finds the route; `methodMismatch` is true when the path exists under another method. */
  match(method: string, path: string): { match: RouteMatch<H> | null; methodMismatch: boolean } {
    const parts = path.split('/').filter((s) => s !== '');
    let methodMismatch = false;
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method !== method.toUpperCase()) {
        methodMismatch = true;
        continue;
      }
      return {
        match: { handler: route.handler, template: route.template, params },
        methodMismatch,
      };
    }
    return { match: null, methodMismatch };
  }
}

function matchSegments(segments: string[], parts: string[]): Record<string, string> | null {
  if (segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? '';
    const part = parts[i] ?? '';
    if (segment.startsWith(':')) {
      params[segment.slice(1)] = decodeURIComponent(part);
    } else if (segment !== part) {
      return null;
    }
  }
  return params;
}
