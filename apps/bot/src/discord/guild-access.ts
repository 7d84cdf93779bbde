// What the game use cases ask about Discord, answered by the bot: roles come from the interaction
// itself (Discord sends the member with every guild interaction) and otherwise from the gateway
// cache or one REST lookup; guild and channel names from the gateway cache.
import type { GuildDirectory, GuildMembership, MembershipSource } from '@game-scheduler/games';
import {
  DiscordAPIError,
  PermissionFlagsBits,
  type Client,
  type Interaction,
  type PermissionsBitField,
} from 'discord.js';

/** Discord's "Unknown Member" / "Unknown Guild". */
const UNKNOWN_MEMBER = 10007;
const UNKNOWN_GUILD = 10004;

/**
 * The owner, or a member with MANAGE_GUILD (`has` counts ADMINISTRATOR as every permission): an
 * administrator of the guild, who manages the bot there (see guild-rules in @game-scheduler/games).
 */
function isAdministrator(
  ownerId: string | undefined,
  userId: string,
  permissions: Readonly<PermissionsBitField> | null | undefined,
): boolean {
  return ownerId === userId || permissions?.has(PermissionFlagsBits.ManageGuild) === true;
}

/** Members from the gateway cache, else fetched (the bot has no privileged members intent). */
export function gatewayMembership(client: Client): MembershipSource {
  return {
    async membership(guildId, userId) {
      const guild = client.guilds.cache.get(guildId);
      if (guild === undefined) return null;
      try {
        const member = guild.members.cache.get(userId) ?? (await guild.members.fetch(userId));
        const membership = {
          guildId,
          roleIds: [...member.roles.cache.keys()],
          administrator: isAdministrator(guild.ownerId, userId, member.permissions),
        };
        return membership;
      } catch (error) {
        if (
          error instanceof DiscordAPIError &&
          (error.code === UNKNOWN_MEMBER || error.code === UNKNOWN_GUILD)
        ) {
          return null;
        }
        throw error;
      }
    },
  };
}

/** The interacting member's roles straight from the interaction; anyone else from `fallback`. */
export function interactionMembership(
  interaction: Interaction,
  fallback: MembershipSource,
): MembershipSource {
  const member = interaction.member;
  const membership = {
    guildId: interaction.guildId ?? '',
    roleIds:
      member === null
        ? []
        : Array.isArray(member.roles)
          ? [...member.roles]
          : [...member.roles.cache.keys()],
    administrator: isAdministrator(
      interaction.guild?.ownerId,
      interaction.user.id,
      interaction.memberPermissions,
    ),
  };
  const own: GuildMembership | null =
    interaction.guildId === null || member === null ? null : membership;
  return {
    membership(guildId, userId) {
      if (own !== null && guildId === own.guildId && userId === interaction.user.id) {
        return Promise.resolve(own);
      }
      return fallback.membership(guildId, userId);
    },
  };
}

export function gatewayDirectory(client: Client): GuildDirectory {
  return {
    guild(guildId) {
      const guild = client.guilds.cache.get(guildId);
      return Promise.resolve(guild === undefined ? null : { name: guild.name });
    },
    channel(channelId) {
      const channel = client.channels.cache.get(channelId);
      if (channel === undefined || channel.isDMBased()) return Promise.resolve(null);
      return Promise.resolve({ guildId: channel.guildId, name: channel.name });
    },
  };
}
