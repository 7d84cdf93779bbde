export type {
  GuildDirectory,
  GuildMembership,
  GuildRole,
  GuildRoleDirectory,
  MembershipSource,
} from './access.ts';
export { recordAnnouncement } from './announcement.ts';
export { listMyGames, type MyGame } from './my-games.ts';
export { decodeCursor, encodeCursor } from './cursor.ts';
export {
  createGameService,
  type CreateGameRequest,
  type GamePage,
  type GameService,
  type GameServiceDeps,
  type JoinResult,
  type ListGamesInput,
  type UpdateGameInput,
} from './game-service.ts';
export { gameSummaryView, gameView, type GameSummaryView, type GameView } from './game-view.ts';
export { gameToIcs } from './ics.ts';
export { rosterOf, rosterView, type ParticipantView, type RowParticipant } from './roster-rows.ts';
export { timeZoneName } from './guild-context.ts';
export {
  isBotManager,
  isGuildAdministrator,
  isGuildManager,
  mayUseTemplate,
} from './guild-rules.ts';
export {
  createGuildService,
  type ChannelView,
  type GuildService,
  type GuildServiceDeps,
  type GuildSettingsView,
  type GuildSummaryView,
  type UpdateGuildInput,
} from './guild-service.ts';
export {
  createTemplateService,
  templateView,
  type CreateTemplateInput,
  type TemplateService,
  type TemplateServiceDeps,
  type TemplateView,
  type UpdateTemplateInput,
} from './template-service.ts';
