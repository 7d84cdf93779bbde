// discord.js's REST client with our telemetry: every call our code makes (interaction replies,
// announcements, DMs, command registration) is a CLIENT span `discord.rest` with the method, the
// route template and the final status, and every HTTP response, 429s included, counts in
// `discord.rest.requests`. @discordjs/rest itself queues per route and waits out 429s.
//
// Interaction webhooks (editing or following up a reply: `/webhooks/<application>/<token>`, sent
// without the bot token) are outside Discord's global limit, but @discordjs/rest counts every call
// but the first callback against its own 50 per second: at 200 clicks per second the answers would
// queue behind that limit for minutes (and the 15-minute tokens expire). They go through a second
// manager whose global budget is not the bot's, keeping their per-route limits.
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  DiscordAPIError,
  HTTPError,
  REST,
  RESTEvents,
  type InternalRequest,
  type RESTOptions,
} from '@discordjs/rest';
import { Attr, Metrics, SpanNames, createCounter, withSpan } from '@game-scheduler/telemetry';
import { SpanKind, type Span } from '@opentelemetry/api';
import { restRouteTemplate } from './rest-route.ts';

/** The status of a failed call, when Discord answered. */
export function statusOf(error: unknown): number | undefined {
  if (error instanceof DiscordAPIError || error instanceof HTTPError) return error.status;
  return undefined;
}

/** Discord's JSON error code of a failed call (e.g. 10008 Unknown Message), or undefined. */
export function discordErrorCode(error: unknown): number | string | undefined {
  return error instanceof DiscordAPIError ? error.code : undefined;
}

/** An interaction webhook call: token-authenticated, outside the bot's global limit. */
function isInteractionWebhook(options: InternalRequest): boolean {
  return options.auth === false && options.fullRoute.startsWith('/webhooks/');
}

export class TracedRest extends REST {
  readonly #calls = new AsyncLocalStorage<Span>();
  readonly #interactionWebhooks: REST;

  constructor(options: Partial<RESTOptions>) {
    super(options);
    this.#interactionWebhooks = new REST({
      ...options,
      globalRequestsPerSecond: Number.MAX_SAFE_INTEGER,
    });
    const requests = createCounter(Metrics.discordRestRequests);
    for (const manager of [this, this.#interactionWebhooks]) {
      manager.on(RESTEvents.Response, (request, response) => {
        requests.add(1, {
          [Attr.httpRequestMethod]: request.method.toUpperCase(),
          [Attr.discordRestRoute]: restRouteTemplate(request.path),
          [Attr.httpResponseStatusCode]: response.status,
        });
        // The last answer (after any 429 waited out) is the call's status.
        this.#calls.getStore()?.setAttribute(Attr.httpResponseStatusCode, response.status);
      });
    }
  }

  override clearHashSweeper(): void {
    super.clearHashSweeper();
    this.#interactionWebhooks.clearHashSweeper();
  }

  override clearHandlerSweeper(): void {
    super.clearHandlerSweeper();
    this.#interactionWebhooks.clearHandlerSweeper();
  }

  override request(options: InternalRequest): Promise<unknown> {
    return withSpan(
      SpanNames.discordRest,
      {
        [Attr.httpRequestMethod]: options.method.toUpperCase(),
        [Attr.discordRestRoute]: restRouteTemplate(options.fullRoute),
      },
      (span) =>
        this.#calls.run(span, () =>
          isInteractionWebhook(options)
            ? this.#interactionWebhooks.request(options)
            : super.request(options),
        ),
      // Ours is THE span of the call: undici's span for the same request is not recorded twice.
      { kind: SpanKind.CLIENT, suppressNested: true },
    );
  }
}
