import type { ScenarioDefinition } from './scenario/declarations.ts';

/** A small community for `docker compose up` and manual runs: one guild, a few players, one DM-closed. */
export const demoScenario: ScenarioDefinition = {
  users: [
    { id: '1300000000000000101', username: 'host_hana', globalName: 'Hana' },
    { id: '1300000000000000102', username: 'player_pat', globalName: 'Pat' },
    { id: '1300000000000000103', username: 'player_quinn', globalName: 'Quinn', dmsClosed: true },
    { id: '1300000000000000104', username: 'player_rio', globalName: 'Rio' },
  ],
  guilds: [
    {
      id: '1300000000000000201',
      name: 'Game Night',
      owner: 'host_hana',
      roles: [
        { id: '1300000000000000301', name: 'Game Host', permissions: '32' },
        { id: '1300000000000000302', name: 'Player' },
      ],
      channels: [
        { id: '1300000000000000401', name: 'general' },
        { id: '1300000000000000402', name: 'game-announcements' },
      ],
      members: [
        { userId: '1300000000000000101', nick: 'Hana (host)', roles: ['Game Host'] },
        { userId: '1300000000000000102', roles: ['Player'] },
        { userId: '1300000000000000103', roles: ['Player'] },
        { userId: '1300000000000000104', nick: 'Rio', roles: ['Player'] },
      ],
    },
  ],
  oauthUser: 'host_hana',
};
