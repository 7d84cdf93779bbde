import type { GatewayPayload } from './opcodes.ts';

const MAX_BUFFERED_EVENTS = 5000;

/** A gateway session: survives its socket so a client can RESUME and get the events it missed. */
export class GatewaySession {
  readonly id: string;
  readonly intents: number;
  readonly shard: [number, number];
  seq = 0;
  readonly events: GatewayPayload[] = [];
  /** Sends a payload on the socket currently attached, if any. */
  sender: ((payload: GatewayPayload) => void) | null = null;
  /** The connection currently attached (identity only). */
  owner: object | null = null;
  /** When the last socket went away; null while connected. */
  disconnectedAt: number | null = null;

  constructor(id: string, intents: number, shard: [number, number]) {
    this.id = id;
    this.intents = intents;
    this.shard = shard;
  }

  /** Numbers, buffers and (if connected) sends a dispatch. */
  dispatch(event: string, data: unknown): void {
    this.seq += 1;
    const payload: GatewayPayload = { op: 0, t: event, s: this.seq, d: data };
    this.events.push(payload);
    if (this.events.length > MAX_BUFFERED_EVENTS) this.events.shift();
    this.sender?.(payload);
  }

  /** Events after `seq`, or null when some of them are no longer buffered. */
  eventsAfter(seq: number): GatewayPayload[] | null {
    const first = this.events[0];
    if (first?.s != null && first.s > seq + 1) return null;
    return this.events.filter((e) => e.s !== null && e.s > seq);
  }

  /** Whether this shard receives events of a guild (DMs go to shard 0), as Discord routes them. */
  receivesGuild(guildId: string | null): boolean {
    const [shardId, shardCount] = this.shard;
    if (guildId === null) return shardId === 0;
    return Number((BigInt(guildId) >> 22n) % BigInt(shardCount)) === shardId;
  }
}
