// Join/Leave clicks for the bot's benchmarks, sent to the local Discord open-loop at a fixed rate:
// each click has a scheduled time and latencies count from it, so a stall in the bot (or in this
// process) delays every click behind it and is not hidden. Users take turns (user i clicks every
// users/rate seconds) and each click is the one that makes sense for that user on that game, per a
// model kept here: Join when the model has them out, Leave when in. Every click answered must then
// have succeeded, and the database must end as the answered clicks say.
import { percentile } from '@game-scheduler/bench';
import { simNow, type DiscordSim } from '@game-scheduler/discord-sim';

export interface BenchGame {
  readonly id: string;
  readonly title: string;
  readonly messageId: string;
  readonly maxPlayers: number | null;
}

export type ClickAction = 'join' | 'leave';

export interface SentClick {
  readonly userId: string;
  readonly game: BenchGame;
  readonly action: ClickAction;
  /** When the click was due, ms since the Unix epoch (the clock the local Discord records with). */
  readonly scheduledAt: number;
  readonly interactionId: string | null;
  readonly token: string | null;
  /** Why the local Discord refused to send the click (none expected). */
  readonly sendError: string | null;
}

/** The click each user makes next, and what the roster of each game should be afterwards. */
export class ClickPlan {
  readonly #users: readonly string[];
  readonly #games: readonly BenchGame[];
  readonly #joined = new Map<string, Set<string>>();
  #next = 0;
  #seed: number;

  constructor(users: readonly string[], games: readonly BenchGame[], seed = 20_261_124) {
    this.#users = users;
    this.#games = games;
    this.#seed = seed;
    for (const game of games) this.#joined.set(game.id, new Set());
  }

  /** A deterministic PRNG (mulberry32), so two runs click alike. */
  #random(): number {
    this.#seed = (this.#seed + 0x6d2b79f5) | 0;
    let t = this.#seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  next(): { userId: string; game: BenchGame; action: ClickAction } {
    const userId = this.#users[this.#next % this.#users.length];
    const game = this.#games[Math.floor(this.#random() * this.#games.length)];
    if (userId === undefined || game === undefined) throw new Error('no users or no games');
    this.#next += 1;
    const joined = this.#joined.get(game.id) ?? new Set<string>();
    const action: ClickAction = joined.has(userId) ? 'leave' : 'join';
    if (action === 'join') joined.add(userId);
    else joined.delete(userId);
    return { userId, game, action };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends `rate` clicks per second for `seconds`, open-loop, from `plan`. */
export async function sendClicks(
  sim: DiscordSim,
  plan: ClickPlan,
  rate: number,
  seconds: number,
): Promise<SentClick[]> {
  const total = Math.round(rate * seconds);
  const intervalMs = 1000 / rate;
  const clicks: SentClick[] = [];
  // the local Discord's clock: acknowledgements and answers are timed to a fraction of a millisecond
  const start = simNow() + 20;
  while (clicks.length < total) {
    const now = simNow();
    while (clicks.length < total && start + clicks.length * intervalMs <= now) {
      const scheduledAt = start + clicks.length * intervalMs;
      const { userId, game, action } = plan.next();
      try {
        const handle = sim.clickButton({
          userId,
          messageId: game.messageId,
          customId: `game:${action}:${game.id}`,
        });
        clicks.push({
          userId,
          game,
          action,
          scheduledAt,
          interactionId: handle.id,
          token: handle.token,
          sendError: null,
        });
      } catch (error) {
        const sendError = error instanceof Error ? error.message : String(error);
        clicks.push({
          userId,
          game,
          action,
          scheduledAt,
          interactionId: null,
          token: null,
          sendError,
        });
      }
    }
    const due = start + clicks.length * intervalMs;
    if (clicks.length < total) await sleep(Math.max(0, due - simNow()));
  }
  return clicks;
}

export type OutcomeKind = 'confirmed' | 'waitlisted' | 'left' | 'other';

export interface ClickResult {
  readonly click: SentClick;
  /** First interaction callback (the deferral) minus the scheduled time, ms; null if none. */
  readonly ackMs: number | null;
  /** Whether the callback came within Discord's window (the local Discord refuses it after 3 s). */
  readonly acked: boolean;
  /** The final answer (the edit of the deferred reply) minus the scheduled time, ms. */
  readonly answerMs: number | null;
  readonly answer: string | null;
  readonly outcome: OutcomeKind | null;
  /** From "You're in … (n/cap players)". */
  readonly confirmedCount: number | null;
}

const CONFIRMED = /^You're in \*\*.*\*\* \((\d+)(?:\/\d+)? players\)\.$/s;

function outcomeOf(text: string): { outcome: OutcomeKind; confirmedCount: number | null } {
  const confirmed = CONFIRMED.exec(text);
  if (confirmed?.[1] !== undefined)
    return { outcome: 'confirmed', confirmedCount: Number(confirmed[1]) };
  if (text.includes("is full: you're number"))
    return { outcome: 'waitlisted', confirmedCount: null };
  if (text.startsWith('You left **')) return { outcome: 'left', confirmedCount: null };
  return { outcome: 'other', confirmedCount: null };
}

const ANSWER_ROUTE = '/webhooks/:applicationId/:interactionToken/messages/:messageId';

/** When each interaction token's reply was first edited, from the local Discord's call log. */
function answerTimes(sim: DiscordSim, afterSeq: number): Map<string, number> {
  const times = new Map<string, number>();
  for (const call of sim.calls({ method: 'PATCH', route: ANSWER_ROUTE, afterSeq })) {
    const token = call.params['interactionToken'];
    if (call.status === 200 && token !== undefined && !times.has(token))
      times.set(token, call.preciseTime);
  }
  return times;
}

function resultOf(sim: DiscordSim, click: SentClick, answeredAt: Map<string, number>): ClickResult {
  const interaction =
    click.interactionId === null ? undefined : sim.interaction(click.interactionId);
  const ack = interaction?.responses[0];
  const content =
    click.interactionId === null ? undefined : sim.originalResponse(click.interactionId)?.content;
  const answer = typeof content === 'string' && content !== '' ? content : null;
  const answerTime = click.token === null ? undefined : answeredAt.get(click.token);
  const parsed = answer === null ? null : outcomeOf(answer);
  return {
    click,
    ackMs: ack === undefined ? null : ack.preciseTime - click.scheduledAt,
    acked: ack !== undefined,
    answerMs: answer === null || answerTime === undefined ? null : answerTime - click.scheduledAt,
    answer,
    outcome: parsed?.outcome ?? null,
    confirmedCount: parsed?.confirmedCount ?? null,
  };
}

/**
 * Waits until every click has its final answer (or `timeoutMs` passed), then reads what the local
 * Discord recorded of each.
 */
export async function collectResults(
  sim: DiscordSim,
  clicks: readonly SentClick[],
  afterSeq: number,
  timeoutMs: number,
): Promise<ClickResult[]> {
  const deadline = Date.now() + timeoutMs;
  let pending = clicks.filter((click) => click.interactionId !== null);
  while (pending.length > 0 && Date.now() < deadline) {
    pending = pending.filter((click) => {
      const content = sim.originalResponse(click.interactionId ?? '')?.content;
      return typeof content !== 'string' || content === '';
    });
    if (pending.length > 0) await sleep(250);
  }
  const answeredAt = answerTimes(sim, afterSeq);
  return clicks.map((click) => resultOf(sim, click, answeredAt));
}

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export function summarize(values: readonly (number | null)[]): LatencySummary {
  const sorted = Float64Array.from(values.filter((v): v is number => v !== null)).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}
