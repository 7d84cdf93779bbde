// Guild use cases: the configured guilds a user is in, a guild's settings (time zone, bot-manager
// roles) and its channels (enabled for games or not). Who may change what is in guild-rules.ts.
//
// No outbox event: nothing another service keeps is derived from these settings. The bot and the
// daemons read the guild's row (time zone, bot-manager roles) and a channel's `is_enabled` when
// they act, so the next interaction already follows a change; existing games, their announcements
// and their schedules do not depend on them.
import type { Channel, Guild, PrismaClient } from '@game-scheduler/db';
import { DomainError } from '@game-scheduler/domain';
import type { GuildDirectory, GuildRole, GuildRoleDirectory, MembershipSource } from './access.ts';
import { configureGuild } from './guild-config-telemetry.ts';
import { createGuildContexts, timeZoneName, type GuildContext } from './guild-context.ts';

export interface GuildSummaryView {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
}

export interface GuildSettingsView extends GuildSummaryView {
  readonly botManagerRoleIds: readonly string[];
  /** The guild's roles, to choose bot-manager and template roles from. */
  readonly roles: readonly GuildRole[];
  /** What the caller may do here. */
  readonly access: { readonly manage: boolean; readonly administer: boolean };
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ChannelView {
  readonly id: string;
  readonly guildId: string;
  readonly name: string;
  readonly isEnabled: boolean;
}

export interface UpdateGuildInput {
  readonly timeZone?: string | undefined;
  readonly botManagerRoleIds?: readonly string[] | undefined;
}

export interface GuildService {
  /** The guilds among `guildIds` (the user's own, from Discord) that the bot is configured for. */
  configured(guildIds: readonly string[]): Promise<GuildSummaryView[]>;
  get(userId: string, guildId: string): Promise<GuildSettingsView>;
  update(userId: string, guildId: string, input: UpdateGuildInput): Promise<GuildSettingsView>;
  channels(userId: string, guildId: string): Promise<ChannelView[]>;
  updateChannel(
    userId: string,
    guildId: string,
    channelId: string,
    input: { readonly isEnabled: boolean },
  ): Promise<ChannelView>;
}

export interface GuildServiceDeps {
  readonly prisma: PrismaClient;
  readonly guildAccess: MembershipSource;
  readonly directory: GuildDirectory & GuildRoleDirectory;
}

function summary(guild: Guild): GuildSummaryView {
  return { id: guild.id, name: guild.name, timeZone: guild.timeZone };
}

function channelView(channel: Channel): ChannelView {
  return {
    id: channel.id,
    guildId: channel.guildId,
    name: channel.name,
    isEnabled: channel.isEnabled,
  };
}

export function createGuildService(deps: GuildServiceDeps): GuildService {
  const { prisma } = deps;
  const contexts = createGuildContexts(deps);

  async function settings(context: GuildContext, guild: Guild): Promise<GuildSettingsView> {
    return {
      ...summary(guild),
      botManagerRoleIds: guild.botManagerRoleIds,
      roles: await contexts.roles(guild.id),
      access: { manage: context.manager, administer: context.administrator },
      createdAt: guild.createdAt.toISOString(),
      updatedAt: guild.updatedAt.toISOString(),
    };
  }

  return {
    async configured(guildIds) {
      if (guildIds.length === 0) return [];
      const rows = await prisma.guild.findMany({
        where: { id: { in: [...guildIds] } },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      });
      return rows.map(summary);
    },

    async get(userId, guildId) {
      const context = await contexts.member(userId, guildId);
      return settings(context, context.guild);
    },

    update(userId, guildId, input) {
      return configureGuild('settings', guildId, async () => {
        const context = await contexts.manager(userId, guildId);
        const data: { timeZone?: string; botManagerRoleIds?: string[] } = {};
        if (input.timeZone !== undefined) data.timeZone = timeZoneName(input.timeZone, 'timeZone');
        if (input.botManagerRoleIds !== undefined) {
          if (!context.administrator) {
            throw new DomainError(
              'FORBIDDEN',
              'Only an administrator of the guild chooses the bot-manager roles',
            );
          }
          data.botManagerRoleIds = await contexts.roleIds(
            guildId,
            input.botManagerRoleIds,
            'botManagerRoleIds',
          );
        }
        const guild = await prisma.guild.update({ where: { id: guildId }, data });
        return settings(context, guild);
      });
    },

    async channels(userId, guildId) {
      await contexts.member(userId, guildId);
      const rows = await prisma.channel.findMany({
        where: { guildId },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      });
      return rows.map(channelView);
    },

    updateChannel(userId, guildId, channelId, input) {
      return configureGuild('channel', guildId, async () => {
        await contexts.manager(userId, guildId);
        const found = await contexts.channel(guildId, channelId);
        if (found === null) throw new DomainError('NOT_FOUND', 'Channel not found');
        const row = await prisma.channel.upsert({
          where: { id: channelId },
          create: { id: channelId, guildId, name: found.name, isEnabled: input.isEnabled },
          update: { isEnabled: input.isEnabled },
        });
        return channelView(row);
      });
    },
  };
}
