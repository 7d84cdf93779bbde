// The low-cardinality template of a Discord REST path, for span and metric attributes: ids and
// tokens become named placeholders (`/channels/:channel_id/messages/:message_id`), so a metric has
// one series per endpoint rather than one per channel or interaction.

/** The placeholder for the segment that follows each collection name. */
const PLACEHOLDERS: Readonly<Record<string, readonly string[]>> = {
  applications: [':application_id'],
  channels: [':channel_id'],
  commands: [':command_id'],
  guilds: [':guild_id'],
  interactions: [':interaction_id', ':interaction_token'],
  members: [':user_id'],
  messages: [':message_id'],
  recipients: [':user_id'],
  roles: [':role_id'],
  users: [':user_id'],
  webhooks: [':webhook_id', ':webhook_token'],
};

/** Segments that are names, not ids, where an id could stand. */
const LITERALS = new Set(['@me', '@original', 'callback']);

export function restRouteTemplate(path: string): string {
  const segments = path.split('?')[0]?.split('/') ?? [];
  const out: string[] = [];
  let pending: string[] = [];
  for (const raw of segments) {
    // discord.js percent-encodes `@original`.
    const segment = raw.replace(/^%40/i, '@');
    const placeholder = pending[0];
    if (placeholder !== undefined && !LITERALS.has(segment)) {
      out.push(placeholder);
      pending = pending.slice(1);
      continue;
    }
    out.push(/^\d{5,}$/.test(segment) ? ':id' : segment);
    pending = [...(PLACEHOLDERS[segment] ?? [])];
  }
  return out.join('/');
}
