// What the guild use cases check first: the caller is a member of a guild the bot is configured
// for (otherwise 404, nothing disclosed), and, for writes, a manager (otherwise 403). Plus the
// checks of ids a manager names: roles and channels of that guild.
import type { Channel, Guild, PrismaClient } from '@game-scheduler/db';
import { DomainError, canonicalTimeZone, isValidTimeZone } from '@game-scheduler/domain';
import type {
  GuildDirectory,
  GuildMembership,
  GuildRole,
  GuildRoleDirectory,
  MembershipSource,
} from './access.ts';
import { isGuildAdministrator, isGuildManager } from './guild-rules.ts';

export interface GuildContext {
  readonly guild: Guild;
  readonly membership: GuildMembership;
  /** Administrator or bot manager (guild-rules.ts). */
  readonly manager: boolean;
  readonly administrator: boolean;
}

export interface GuildContextDeps {
  readonly prisma: PrismaClient;
  readonly guildAccess: MembershipSource;
  readonly directory: GuildDirectory & GuildRoleDirectory;
}

function guildNotFound(): DomainError {
  return new DomainError('NOT_FOUND', 'Guild not found');
}

export function validationError(field: string, message: string): DomainError {
  return new DomainError('VALIDATION', `${field} ${message}`, { details: { field } });
}

/** An IANA zone name, canonically spelt; 400 naming `field` otherwise (an offset is no zone). */
export function timeZoneName(value: string, field: string): string {
  if (/^[+-]/.test(value) || !isValidTimeZone(value)) {
    throw validationError(field, 'must be an IANA time zone such as "Europe/Berlin"');
  }
  return canonicalTimeZone(value);
}

export function createGuildContexts(deps: GuildContextDeps) {
  const { prisma, guildAccess, directory } = deps;

  /** The guild as the member sees it; 404 when they are not in it or it is not configured. */
  async function member(userId: string, guildId: string): Promise<GuildContext> {
    const membership = await guildAccess.membership(guildId, userId);
    if (membership === null) throw guildNotFound();
    const guild = await prisma.guild.findUnique({ where: { id: guildId } });
    if (guild === null) throw guildNotFound();
    const administrator = isGuildAdministrator(membership);
    return {
      guild,
      membership,
      administrator,
      manager: isGuildManager(membership, guild.botManagerRoleIds),
    };
  }

  /** As member(), then 403 unless the member manages the guild. */
  async function manager(userId: string, guildId: string): Promise<GuildContext> {
    const context = await member(userId, guildId);
    if (!context.manager) {
      throw new DomainError(
        'FORBIDDEN',
        'Only a bot manager or an administrator of the guild can do this',
      );
    }
    return context;
  }

  /** The guild's roles (without @everyone), [] when Discord does not tell. */
  async function roles(guildId: string): Promise<readonly GuildRole[]> {
    return (await directory.roles(guildId)) ?? [];
  }

  /** The ids, deduplicated, each a role of the guild; 400 naming `field` otherwise. */
  async function roleIds(
    guildId: string,
    ids: readonly string[],
    field: string,
  ): Promise<string[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return unique;
    const known = new Set((await roles(guildId)).map((role) => role.id));
    const unknown = unique.find((id) => !known.has(id));
    if (unknown !== undefined) {
      throw new DomainError(
        'VALIDATION',
        `${field} names ${unknown}, which is not a role of this guild`,
        {
          details: { field, value: unknown },
        },
      );
    }
    return unique;
  }

  /**
   * A text channel of the guild: the known row, or what Discord says (with `known: false`, for the
   * caller to insert). null when it is neither.
   */
  async function channel(
    guildId: string,
    channelId: string,
  ): Promise<{ readonly row: Channel | null; readonly name: string } | null> {
    const row = await prisma.channel.findUnique({ where: { id: channelId } });
    if (row !== null) return row.guildId === guildId ? { row, name: row.name } : null;
    const discordChannel = await directory.channel(channelId);
    if (discordChannel?.guildId !== guildId) return null;
    return { row: null, name: discordChannel.name };
  }

  return { member, manager, roles, roleIds, channel };
}

export type GuildContexts = ReturnType<typeof createGuildContexts>;
