// Who may do what in a guild, as pure rules on a member's roles, so the API and the bot decide
// alike.
//
// - A guild administrator is the owner, or a member holding ADMINISTRATOR or MANAGE_GUILD.
// - A bot manager holds one of the guild's bot-manager roles (guilds.bot_manager_role_ids).
// - Managers (administrators and bot managers) change the guild's time zone, its channels and its
//   templates, and edit or cancel any game of the guild; a host does so for their own games.
// - Only administrators choose the bot-manager roles: otherwise a bot manager could make any role,
//   or everyone, a bot manager.
// - A template with allowed roles limits both creating a game from it and joining a game made from
//   it to members holding one of those roles; managers always may, and so may the game's host. An
//   empty list means everyone. The rule is read at the time of the request, so changing a
//   template's roles applies to its existing games too (a deleted template limits nothing).
import type { GuildMembership } from './access.ts';

export function isGuildAdministrator(membership: GuildMembership): boolean {
  return membership.administrator === true;
}

export function isBotManager(
  membership: GuildMembership,
  botManagerRoleIds: readonly string[],
): boolean {
  const managers = new Set(botManagerRoleIds);
  return membership.roleIds.some((role) => managers.has(role));
}

/** May change the guild's settings (other than the bot-manager roles), channels and templates. */
export function isGuildManager(
  membership: GuildMembership,
  botManagerRoleIds: readonly string[],
): boolean {
  return isGuildAdministrator(membership) || isBotManager(membership, botManagerRoleIds);
}

/** May create a game from a template, or join a game made from it. */
export function mayUseTemplate(
  membership: GuildMembership,
  template: { readonly allowedRoleIds: readonly string[] },
  botManagerRoleIds: readonly string[],
): boolean {
  if (template.allowedRoleIds.length === 0) return true;
  const allowed = new Set(template.allowedRoleIds);
  if (membership.roleIds.some((role) => allowed.has(role))) return true;
  return isGuildManager(membership, botManagerRoleIds);
}
