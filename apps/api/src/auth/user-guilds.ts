// The signed-in user's Discord guilds (cached), ending the session when Discord has revoked its
// token: such a session can do nothing more.
import type { FastifyInstance } from 'fastify';
import type { DiscordUserGuild } from '../discord/discord-client.ts';
import { DiscordUnauthorizedError } from '../discord/discord-client.ts';
import type { Session } from './session-store.ts';

export async function userGuildsOf(
  app: FastifyInstance,
  session: Session,
): Promise<DiscordUserGuild[]> {
  const accessToken = await app.sessions.accessToken(session);
  try {
    return await app.guildAccess.userGuilds(session.userId, accessToken);
  } catch (error) {
    if (error instanceof DiscordUnauthorizedError) await app.sessionStore.destroy(session.id);
    throw error;
  }
}
