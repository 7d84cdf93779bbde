import { toApiCurrentUser, toGatewayGuild } from '../rest/serialize.ts';
import type { SimStore } from '../state/store.ts';
import type { JsonObject, SimGuild } from '../state/types.ts';

/** Guilds the bot is a member of (the only ones its sessions hear about). */
export function botGuilds(store: SimStore): SimGuild[] {
  return store.userGuilds(store.application.botUserId);
}

export function readyPayload(
  store: SimStore,
  sessionId: string,
  resumeUrl: string,
  shard: [number, number],
  guilds: SimGuild[],
): JsonObject {
  return {
    v: 10,
    user_settings: {},
    user: { ...toApiCurrentUser(store.botUser, true), verified: true, email: null },
    guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
    session_id: sessionId,
    resume_gateway_url: resumeUrl,
    shard,
    application: { id: store.application.id, flags: 0 },
    private_channels: [],
    presences: [],
    relationships: [],
    guild_join_requests: [],
    geo_ordered_rtc_regions: [],
    auth: {},
    session_type: 'normal',
    _trace: ['["discord-sim",{"micros":0}]'],
  };
}

export function guildCreatePayload(store: SimStore, guild: SimGuild): JsonObject {
  return toGatewayGuild(store, guild);
}
