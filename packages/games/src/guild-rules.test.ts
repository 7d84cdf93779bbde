import { describe, expect, it } from 'vitest';
import type { GuildMembership } from './access.ts';
import {
  isBotManager,
  isGuildAdministrator,
  isGuildManager,
  mayUseTemplate,
} from './guild-rules.ts';

const GUILD = '1300000000000000201';
const HOST_ROLE = '1300000000000000301';
const PLAYER_ROLE = '1300000000000000302';
const MANAGER_ROLE = '1300000000000000303';

function member(roleIds: string[], administrator?: boolean): GuildMembership {
  return administrator === undefined
    ? { guildId: GUILD, roleIds }
    : { guildId: GUILD, roleIds, administrator };
}

describe('guild rules', () => {
  it('treats a member without the administrator flag as no administrator', () => {
    expect(isGuildAdministrator(member([]))).toBe(false);
    expect(isGuildAdministrator(member([], false))).toBe(false);
    expect(isGuildAdministrator(member([], true))).toBe(true);
  });

  it('makes a member with a bot-manager role a bot manager', () => {
    expect(isBotManager(member([PLAYER_ROLE, MANAGER_ROLE]), [MANAGER_ROLE])).toBe(true);
    expect(isBotManager(member([PLAYER_ROLE]), [MANAGER_ROLE])).toBe(false);
    expect(isBotManager(member([PLAYER_ROLE]), [])).toBe(false);
  });

  it('lets administrators manage a guild that has no bot-manager roles yet', () => {
    expect(isGuildManager(member([], true), [])).toBe(true);
    expect(isGuildManager(member([PLAYER_ROLE]), [])).toBe(false);
    expect(isGuildManager(member([MANAGER_ROLE]), [MANAGER_ROLE])).toBe(true);
  });

  it('lets everyone use a template without allowed roles', () => {
    expect(mayUseTemplate(member([]), { allowedRoleIds: [] }, [])).toBe(true);
  });

  it('limits a template with allowed roles to those roles and the managers', () => {
    const raid = { allowedRoleIds: [HOST_ROLE] };
    expect(mayUseTemplate(member([HOST_ROLE]), raid, [])).toBe(true);
    expect(mayUseTemplate(member([PLAYER_ROLE]), raid, [])).toBe(false);
    expect(mayUseTemplate(member([PLAYER_ROLE, MANAGER_ROLE]), raid, [MANAGER_ROLE])).toBe(true);
    expect(mayUseTemplate(member([PLAYER_ROLE], true), raid, [])).toBe(true);
  });
});
