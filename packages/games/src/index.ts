export type { GuildDirectory, GuildMembership, MembershipSource } from './access.ts';
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
