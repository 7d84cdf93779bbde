import { toApiMember } from '../rest/serialize.ts';
import type { SimStore } from '../state/store.ts';
import type { JsonObject } from '../state/types.ts';

/** GUILD_MEMBERS_CHUNK for an op 8 REQUEST_GUILD_MEMBERS (query prefix, user_ids, limit, nonce). */
export function memberChunk(store: SimStore, d: JsonObject): JsonObject {
  const guildId = typeof d.guild_id === 'string' ? d.guild_id : '';
  const query = typeof d.query === 'string' ? d.query.toLowerCase() : null;
  const userIds = Array.isArray(d.user_ids)
    ? (d.user_ids as string[])
    : typeof d.user_ids === 'string'
      ? [d.user_ids]
      : null;
  const limit = typeof d.limit === 'number' && d.limit > 0 ? d.limit : Number.POSITIVE_INFINITY;
  let members = store.guildMembers(guildId);
  if (userIds) members = members.filter((m) => userIds.includes(m.userId));
  if (query) {
    members = members.filter((m) => {
      const user = store.users.get(m.userId);
      return (
        (user?.username.toLowerCase().startsWith(query) ?? false) ||
        (m.nick?.toLowerCase().startsWith(query) ?? false)
      );
    });
  }
  members = members.slice(0, limit);
  const chunk: JsonObject = {
    guild_id: guildId,
    members: members.map((m) => toApiMember(store, m)),
    chunk_index: 0,
    chunk_count: 1,
  };
  if (userIds) chunk.not_found = userIds.filter((id) => !members.some((m) => m.userId === id));
  if (d.nonce !== undefined) chunk.nonce = d.nonce;
  return chunk;
}
