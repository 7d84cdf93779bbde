// Game use cases shared by the API and the bot: authorization against the guild (not a member →
// 404, member without the right → 403, the rules in guild-rules.ts), the domain's roster rules,
// and every write in ONE transaction with its outbox event. Roster changes lock the game row
// (SELECT … FOR UPDATE) so concurrent joins never exceed the cap; joining a game made from a
// template with allowed roles needs one of those roles (mayUseTemplate).
import type { Game, Participant, Prisma, PrismaClient } from '@game-scheduler/db';
import {
  DomainError,
  canTransition,
  changeCap,
  isEditable,
  join,
  leave,
  outcomeError,
  removeParticipant,
  userIdsOf,
  type Roster,
} from '@game-scheduler/domain';
import { createEvent, outboxInsert, writeOutboxEvent } from '@game-scheduler/messaging';
import { Attr, AttrValues, SpanNames, withSpan } from '@game-scheduler/telemetry';
import type { GuildDirectory, GuildMembership, MembershipSource } from './access.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { gameSummaryView, gameView, type GameSummaryView, type GameView } from './game-view.ts';
import { gameMetrics } from './game-metrics.ts';
import { isGuildManager, mayUseTemplate } from './guild-rules.ts';
import { gameToIcs } from './ics.ts';
import { rosterEventFields, rosterOf, type RowParticipant } from './roster-rows.ts';
import {
  completeFromTemplate,
  type CreateGameInput,
  type CreateGameRequest,
} from './template-defaults.ts';

export type { CreateGameRequest } from './template-defaults.ts';

export interface UpdateGameInput {
  readonly title?: string | undefined;
  readonly description?: string | null | undefined;
  readonly where?: string | null | undefined;
  readonly startsAt?: string | undefined;
  readonly durationMinutes?: number | undefined;
  readonly maxPlayers?: number | null | undefined;
  readonly reminderMinutes?: readonly number[] | undefined;
}

export interface ListGamesInput {
  readonly guildId: string;
  readonly channelId?: string | undefined;
  readonly status?: Game['status'] | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
}

export interface GamePage {
  readonly items: GameSummaryView[];
  readonly nextCursor: string | null;
}

export interface JoinResult {
  readonly game: GameView;
  readonly list: 'confirmed' | 'waitlist';
  /** The player's place in `list`, from 1. */
  readonly place: number;
  /** Confirmed players after the join (without building the roster's view). */
  readonly confirmedCount: number;
}

export interface GameService {
  create(userId: string, request: CreateGameRequest): Promise<GameView>;
  list(userId: string, input: ListGamesInput): Promise<GamePage>;
  get(userId: string, gameId: string): Promise<GameView>;
  /** The game as an iCalendar file. */
  calendar(userId: string, gameId: string): Promise<string>;
  update(userId: string, gameId: string, input: UpdateGameInput): Promise<GameView>;
  cancel(userId: string, gameId: string, reason: string | null): Promise<GameView>;
  join(userId: string, gameId: string): Promise<JoinResult>;
  leave(userId: string, gameId: string): Promise<GameView>;
  removePlayer(userId: string, gameId: string, targetUserId: string): Promise<GameView>;
}

type Tx = Prisma.TransactionClient;
/** A participant row as lockGame reads it: id, user_id, display_name, join_sequence, joined_at (ms). */
type ParticipantJson = [string, string | null, string | null, number, number];
type GameWithRows = Prisma.GameGetPayload<{ include: { participants: true } }>;

const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;

/** Games whose guild is remembered per database client (the oldest learnt forgotten first). */
const GAME_GUILDS_AT_MOST = 100_000;
const gameGuildsByClient = new WeakMap<PrismaClient, Map<string, string>>();

/** Game id → guild id: a game never moves to another guild, so what was read once stays true. */
function gameGuildsOf(prisma: PrismaClient): Map<string, string> {
  let guilds = gameGuildsByClient.get(prisma);
  if (guilds === undefined) {
    guilds = new Map();
    gameGuildsByClient.set(prisma, guilds);
  }
  return guilds;
}

function rememberGuild(guilds: Map<string, string>, gameId: string, guildId: string): void {
  if (guilds.has(gameId)) return;
  guilds.set(gameId, guildId);
  if (guilds.size > GAME_GUILDS_AT_MOST) {
    const oldest = guilds.keys().next();
    if (oldest.done !== true) guilds.delete(oldest.value);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The metric attributes for the list a player joined or left. */
function rosterListAttributes(list: 'confirmed' | 'waitlist') {
  return {
    [Attr.rosterList]:
      list === 'confirmed' ? AttrValues.rosterList.participant : AttrValues.rosterList.waitlist,
  };
}

function gameNotFound(): DomainError {
  return new DomainError('NOT_FOUND', 'Game not found');
}

/** An ISO 8601 instant PostgreSQL can store (timestamptz covers years 4713 BC to 294276 AD). */
function instant(value: string, field: string): Date {
  const date = new Date(value);
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1 || year > 9999) {
    throw new DomainError('VALIDATION', `${field} must be an ISO 8601 date-time`, {
      details: { field },
    });
  }
  return date;
}

function futureInstant(value: string, field: string): Date {
  const date = instant(value, field);
  if (date.getTime() <= Date.now()) {
    throw new DomainError('VALIDATION', `${field} must be in the future`, { details: { field } });
  }
  return date;
}

function reminders(values: readonly number[] | undefined): number[] {
  return [...new Set(values ?? [])].sort((a, b) => b - a);
}

function location(game: Game) {
  return {
    gameId: game.id,
    guildId: game.guildId,
    channelId: game.channelId,
    announcementMessageId: game.messageId,
  };
}

function timing(game: Game) {
  return {
    startsAt: game.startsAt.toISOString(),
    durationMinutes: game.durationMinutes,
    reminderMinutesBefore: [...game.reminderMinutes],
  };
}

export interface GameServiceDeps {
  readonly prisma: PrismaClient;
  /** Names of guilds and channels the database does not know yet. */
  readonly directory: GuildDirectory;
  /** Who is in which guild with which roles. */
  readonly guildAccess: MembershipSource;
  /** Which front door the calls come through: metrics, span attributes and `createdVia`. */
  readonly source: 'api' | 'discord';
}

export function createGameService(deps: GameServiceDeps): GameService {
  const { prisma, directory, guildAccess, source } = deps;
  const sourceAttr = { [Attr.gameSource]: AttrValues.gameSource[source] };
  const gameGuilds = gameGuildsOf(prisma);

  async function memberOr404(guildId: string, userId: string, what: string) {
    const membership = await guildAccess.membership(guildId, userId);
    if (membership === null) throw new DomainError('NOT_FOUND', `${what} not found`);
    return membership;
  }

  /** The game as the user may see it: 404 when it does not exist or its guild is not theirs. */
  async function visibleGame(userId: string, gameId: string) {
    const game = await prisma.game.findUnique({ where: { id: gameId } });
    if (game === null) throw gameNotFound();
    const membership = await guildAccess.membership(game.guildId, userId);
    if (membership === null) throw gameNotFound();
    return { game, membership };
  }

  /** `db`: the transaction when called within one (a second pooled connection could deadlock). */
  async function botManagerRoleIds(guildId: string, db: Tx = prisma): Promise<string[]> {
    const guild = await db.guild.findUnique({
      where: { id: guildId },
      select: { botManagerRoleIds: true },
    });
    return guild?.botManagerRoleIds ?? [];
  }

  async function assertManager(game: Game, membership: GuildMembership, userId: string) {
    if (game.hostId === userId) return;
    if (isGuildManager(membership, await botManagerRoleIds(game.guildId))) return;
    throw new DomainError('FORBIDDEN', 'Only the host or a bot manager can do this');
  }

  /** A game made from a template with allowed roles is joined by those roles (guild-rules.ts). */
  async function assertMayJoin(tx: Tx, game: Game, membership: GuildMembership, userId: string) {
    if (game.templateId === null || game.hostId === userId) return;
    const template = await tx.gameTemplate.findUnique({
      where: { id: game.templateId },
      select: { allowedRoleIds: true },
    });
    if (template === null || template.allowedRoleIds.length === 0) return;
    if (mayUseTemplate(membership, template, await botManagerRoleIds(game.guildId, tx))) return;
    throw new DomainError('FORBIDDEN', 'This game is limited to other roles');
  }

  /**
   * Locks the game row for the rest of the transaction and reads it with its participants: the
   * lock and the game in one statement (SELECT … FOR UPDATE returning the row), then the rows.
   */
  async function lockGame(tx: Tx, gameId: string): Promise<GameWithRows> {
    // Not a uuid: no such game (and no cast error from PostgreSQL).
    if (!UUID.test(gameId)) throw gameNotFound();
    const [game] = await tx.$queryRaw<Game[]>`
      SELECT id, guild_id AS "guildId", channel_id AS "channelId", message_id AS "messageId",
             host_id AS "hostId", template_id AS "templateId", title, description,
             starts_at AS "startsAt", duration_minutes AS "durationMinutes",
             max_players AS "maxPlayers", reminder_minutes AS "reminderMinutes", "where", status,
             created_at AS "createdAt", updated_at AS "updatedAt"
      FROM games WHERE id = ${gameId}::uuid FOR UPDATE`;
    if (game === undefined) throw gameNotFound();
    // In a statement of its own, so it sees what the previous holder of the lock committed. One
    // JSON value instead of a row per participant: decoding hundreds of rows one by one was the
    // biggest part of a click's CPU once a game had a long waitlist.
    const [roster] = await tx.$queryRaw<{ rows: string }[]>`
      SELECT coalesce(json_agg(json_build_array(id, user_id, display_name, join_sequence,
                                                (extract(epoch FROM joined_at) * 1000)::bigint)
                               ORDER BY join_sequence), '[]')::text AS rows
      FROM participants WHERE game_id = ${gameId}::uuid`;
    const participants = (JSON.parse(roster?.rows ?? '[]') as ParticipantJson[]).map(
      ([id, userId, displayName, joinSequence, joinedAt]): Participant => ({
        id,
        gameId,
        userId,
        displayName,
        joinSequence,
        joinedAt: new Date(joinedAt),
      }),
    );
    return { ...game, participants };
  }

  /**
   * The caller's membership of the game's guild, asked before any transaction when the guild of
   * the game is known (it may take a Discord lookup, which must not hold the game's lock);
   * undefined when it is not known yet. 404 when they are not a member.
   */
  async function membershipBeforeLock(userId: string, gameId: string) {
    const guildId = gameGuilds.get(gameId);
    if (guildId === undefined) return undefined;
    const membership = await guildAccess.membership(guildId, userId);
    if (membership === null) throw gameNotFound();
    return membership;
  }

  /**
   * The locked game as the user may see it (404 otherwise), without a visibility read of its own:
   * the membership asked before the lock if the game's guild was known, else asked now.
   */
  async function lockVisibleGame(
    tx: Tx,
    userId: string,
    gameId: string,
    known: GuildMembership | undefined,
  ) {
    const game = await lockGame(tx, gameId);
    rememberGuild(gameGuilds, gameId, game.guildId);
    if (known?.guildId === game.guildId) return { game, membership: known };
    const membership = await guildAccess.membership(game.guildId, userId);
    if (membership === null) throw gameNotFound();
    return { game, membership };
  }

  async function ensureGuildAndChannel(guildId: string, channelId: string) {
    const [guild, channel] = await Promise.all([
      prisma.guild.findUnique({ where: { id: guildId } }),
      prisma.channel.findUnique({ where: { id: channelId } }),
    ]);
    if (channel !== null) {
      if (channel.guildId !== guildId) throw badChannel();
      if (!channel.isEnabled) {
        throw new DomainError('FORBIDDEN', 'Games cannot be posted in this channel');
      }
    }
    const discordChannel = channel === null ? await directory.channel(channelId) : null;
    if (channel === null && discordChannel?.guildId !== guildId) throw badChannel();
    const discordGuild = guild === null ? await directory.guild(guildId) : null;
    return {
      guildName: guild?.name ?? discordGuild?.name ?? guildId,
      channelName: channel?.name ?? discordChannel?.name ?? channelId,
      guildExists: guild !== null,
      channelExists: channel !== null,
    };
  }

  /** The request completed from its template; a template may be limited to some roles. */
  async function withTemplate(
    request: CreateGameRequest,
    membership: GuildMembership,
  ): Promise<CreateGameInput> {
    if (request.templateId === undefined) return completeFromTemplate(request, null);
    const template = await prisma.gameTemplate.findUnique({ where: { id: request.templateId } });
    if (template?.guildId !== request.guildId) {
      throw new DomainError('NOT_FOUND', 'Template not found');
    }
    if (
      template.allowedRoleIds.length > 0 &&
      !mayUseTemplate(membership, template, await botManagerRoleIds(request.guildId))
    ) {
      throw new DomainError('FORBIDDEN', 'This template is limited to other roles');
    }
    return completeFromTemplate(request, template);
  }

  function badChannel(): DomainError {
    return new DomainError('VALIDATION', 'channelId is not a text channel of this guild', {
      details: { field: 'channelId' },
    });
  }

  function updatedEvent(
    game: Game,
    roster: Roster,
    changes: {
      fields: (
        | 'title'
        | 'description'
        | 'startsAt'
        | 'durationMinutes'
        | 'reminderMinutesBefore'
        | 'maxPlayers'
        | 'roster'
      )[];
      joinedUserIds?: string[];
      leftUserIds?: string[];
      promotedUserIds?: string[];
    },
  ) {
    return createEvent('game.updated', {
      ...location(game),
      ...timing(game),
      ...rosterEventFields(roster),
      title: game.title,
      maxPlayers: game.maxPlayers,
      changes: {
        fields: changes.fields,
        joinedUserIds: changes.joinedUserIds ?? [],
        leftUserIds: changes.leftUserIds ?? [],
        promotedUserIds: changes.promotedUserIds ?? [],
      },
    });
  }

  return {
    create(userId, request) {
      return withSpan(SpanNames.gameCreate, sourceAttr, async (span) => {
        const membership = await memberOr404(request.guildId, userId, 'Guild');
        const input = await withTemplate(request, membership);
        const startsAt = futureInstant(input.startsAt, 'startsAt');
        const place = await ensureGuildAndChannel(input.guildId, input.channelId);
        const game = await prisma.$transaction(async (tx) => {
          // INSERT … ON CONFLICT DO NOTHING: the first games of a guild, created at the same
          // moment, must not trip over each other recording it (an upsert reads, then inserts).
          if (!place.guildExists) {
            await tx.guild.createMany({
              data: [{ id: input.guildId, name: place.guildName }],
              skipDuplicates: true,
            });
          }
          if (!place.channelExists) {
            await tx.channel.createMany({
              data: [{ id: input.channelId, guildId: input.guildId, name: place.channelName }],
              skipDuplicates: true,
            });
          }
          const created = await tx.game.create({
            data: {
              guildId: input.guildId,
              channelId: input.channelId,
              hostId: userId,
              title: input.title,
              description: input.description ?? null,
              where: input.where ?? null,
              startsAt,
              durationMinutes: input.durationMinutes,
              maxPlayers: input.maxPlayers ?? null,
              reminderMinutes: reminders(input.reminderMinutes),
              templateId: input.templateId,
            },
          });
          await writeOutboxEvent(
            tx,
            createEvent('game.created', {
              ...location(created),
              ...timing(created),
              participantUserIds: [],
              waitlistUserIds: [],
              title: created.title,
              description: created.description,
              hostUserId: created.hostId,
              maxPlayers: created.maxPlayers,
              createdVia: source,
            }),
          );
          return created;
        }, TRANSACTION_OPTIONS);
        span.setAttribute(Attr.gameId, game.id);
        gameMetrics.gamesCreated.add(1, sourceAttr);
        return gameView(game, rosterOf(game.maxPlayers, []));
      });
    },

    async list(userId, input) {
      await memberOr404(input.guildId, userId, 'Guild');
      const after = input.cursor === undefined ? null : decodeCursor(input.cursor);
      const and: Prisma.GameWhereInput[] = [{ guildId: input.guildId }];
      if (input.channelId !== undefined) and.push({ channelId: input.channelId });
      if (input.status !== undefined) and.push({ status: input.status });
      if (input.from !== undefined) and.push({ startsAt: { gte: instant(input.from, 'from') } });
      if (input.to !== undefined) and.push({ startsAt: { lt: instant(input.to, 'to') } });
      if (after !== null) {
        and.push({
          OR: [
            { startsAt: { gt: after.startsAt } },
            { startsAt: after.startsAt, id: { gt: after.id } },
          ],
        });
      }
      const rows = await prisma.game.findMany({
        where: { AND: and },
        orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
        take: input.limit + 1,
        include: { _count: { select: { participants: true } } },
      });
      const page = rows.slice(0, input.limit);
      const last = page.at(-1);
      return {
        items: page.map((row) => gameSummaryView(row, row._count.participants)),
        nextCursor:
          rows.length > input.limit && last !== undefined
            ? encodeCursor({ startsAt: last.startsAt, id: last.id })
            : null,
      };
    },

    async get(userId, gameId) {
      await visibleGame(userId, gameId);
      const game = await prisma.game.findUnique({
        where: { id: gameId },
        include: { participants: true },
      });
      if (game === null) throw gameNotFound();
      return gameView(game, rosterOf(game.maxPlayers, game.participants));
    },

    async calendar(userId, gameId) {
      const { game } = await visibleGame(userId, gameId);
      return gameToIcs(game);
    },

    update(userId, gameId, input) {
      return withSpan(SpanNames.gameUpdate, { [Attr.gameId]: gameId }, async () => {
        const { game: seen, membership } = await visibleGame(userId, gameId);
        await assertManager(seen, membership, userId);
        const startsAt =
          input.startsAt === undefined ? undefined : futureInstant(input.startsAt, 'startsAt');
        return prisma.$transaction(async (tx) => {
          const current = await lockGame(tx, gameId);
          if (!isEditable(current.status)) {
            throw new DomainError(
              'CONFLICT',
              `A ${current.status.toLowerCase()} game cannot be edited`,
            );
          }
          const before = rosterOf(current.maxPlayers, current.participants);
          const data: Prisma.GameUpdateInput = {};
          const fields: Parameters<typeof updatedEvent>[2]['fields'] = [];
          if (input.title !== undefined && input.title !== current.title) {
            data.title = input.title;
            fields.push('title');
          }
          if (input.description !== undefined && input.description !== current.description) {
            data.description = input.description;
            fields.push('description');
          }
          if (input.where !== undefined && input.where !== current.where) data.where = input.where;
          if (startsAt !== undefined && startsAt.getTime() !== current.startsAt.getTime()) {
            data.startsAt = startsAt;
            fields.push('startsAt');
          }
          if (
            input.durationMinutes !== undefined &&
            input.durationMinutes !== current.durationMinutes
          ) {
            data.durationMinutes = input.durationMinutes;
            fields.push('durationMinutes');
          }
          if (input.reminderMinutes !== undefined) {
            const next = reminders(input.reminderMinutes);
            if (next.join() !== current.reminderMinutes.join()) {
              data.reminderMinutes = next;
              fields.push('reminderMinutesBefore');
            }
          }
          let roster = before;
          let promoted: RowParticipant[] = [];
          if (input.maxPlayers !== undefined && input.maxPlayers !== current.maxPlayers) {
            const change = changeCap(before, input.maxPlayers);
            roster = change.roster;
            promoted = [...change.promoted];
            data.maxPlayers = input.maxPlayers;
            fields.push('maxPlayers');
            if (change.promoted.length > 0 || change.demoted.length > 0) fields.push('roster');
          }
          if (Object.keys(data).length === 0) return gameView(current, before);
          const updated = await tx.game.update({ where: { id: gameId }, data });
          if (fields.length > 0) {
            await writeOutboxEvent(
              tx,
              updatedEvent(updated, roster, { fields, promotedUserIds: userIdsOf(promoted) }),
            );
          }
          return gameView(updated, roster);
        }, TRANSACTION_OPTIONS);
      });
    },

    cancel(userId, gameId, reason) {
      return withSpan(SpanNames.gameCancel, { [Attr.gameId]: gameId }, async () => {
        const { game: seen, membership } = await visibleGame(userId, gameId);
        await assertManager(seen, membership, userId);
        const view = await prisma.$transaction(async (tx) => {
          const current = await lockGame(tx, gameId);
          if (!canTransition(current.status, 'CANCELLED')) {
            throw new DomainError(
              'INVALID_TRANSITION',
              `A ${current.status.toLowerCase()} game cannot be cancelled`,
            );
          }
          const updated = await tx.game.update({
            where: { id: gameId },
            data: { status: 'CANCELLED' },
          });
          const roster = rosterOf(updated.maxPlayers, current.participants);
          await writeOutboxEvent(
            tx,
            createEvent('game.cancelled', {
              ...location(updated),
              ...rosterEventFields(roster),
              title: updated.title,
              startsAt: updated.startsAt.toISOString(),
              cancelledByUserId: userId,
              reason,
            }),
          );
          return gameView(updated, roster);
        }, TRANSACTION_OPTIONS);
        gameMetrics.gamesCancelled.add(1, sourceAttr);
        return view;
      });
    },

    join(userId, gameId) {
      return withSpan(SpanNames.gameJoin, { [Attr.gameId]: gameId }, async () => {
        const known = await membershipBeforeLock(userId, gameId);
        const result = await prisma.$transaction(async (tx) => {
          const { game: current, membership } = await lockVisibleGame(tx, userId, gameId, known);
          await assertMayJoin(tx, current, membership, userId);
          const outcome = join(
            rosterOf(current.maxPlayers, current.participants),
            userId,
            current.status,
          );
          const refused = outcomeError(outcome);
          if (refused !== null) throw refused;
          if (outcome.kind !== 'confirmed' && outcome.kind !== 'waitlisted') throw gameNotFound();
          // The game row stays locked and every roster change takes that lock first: the rows read
          // under it plus the one inserted are the roster, no second read needed. The event's
          // roster is the domain's (the new player last, as join_sequence will put them), so the
          // row and the event are written in one statement.
          const event = updatedEvent(current, outcome.roster, {
            fields: ['roster'],
            joinedUserIds: [userId],
          });
          const [created] = await tx.$queryRaw<Participant[]>`
            WITH added AS (
              INSERT INTO participants (game_id, user_id) VALUES (${gameId}::uuid, ${userId})
              RETURNING id, game_id AS "gameId", user_id AS "userId", display_name AS "displayName",
                        join_sequence AS "joinSequence", joined_at AS "joinedAt"
            ), event AS (${outboxInsert(event)})
            SELECT * FROM added`;
          if (created === undefined) throw new Error('The participant insert returned no row');
          const confirmed = outcome.kind === 'confirmed';
          return {
            // The roster with the inserted row (its id and joined_at) only if the view is read.
            game: gameView(current, () =>
              rosterOf(current.maxPlayers, [...current.participants, created]),
            ),
            list: confirmed ? 'confirmed' : 'waitlist',
            place: confirmed ? outcome.spot : outcome.place,
            confirmedCount: outcome.roster.confirmed.length,
          } satisfies JoinResult;
        }, TRANSACTION_OPTIONS);
        gameMetrics.playersJoined.add(1, rosterListAttributes(result.list));
        return result;
      });
    },

    leave(userId, gameId) {
      return withSpan(SpanNames.gameLeave, { [Attr.gameId]: gameId }, async () => {
        const known = await membershipBeforeLock(userId, gameId);
        const { view, list } = await prisma.$transaction(async (tx) => {
          const { game: current } = await lockVisibleGame(tx, userId, gameId, known);
          const outcome = leave(
            rosterOf(current.maxPlayers, current.participants),
            userId,
            current.status,
          );
          const refused = outcomeError(outcome);
          if (refused !== null) throw refused;
          if (outcome.kind !== 'removed') throw gameNotFound();
          const event = updatedEvent(current, outcome.roster, {
            fields: ['roster'],
            leftUserIds: [userId],
            promotedUserIds: userIdsOf(outcome.promoted),
          });
          // The row's removal and the event in one statement.
          await tx.$executeRaw`
            WITH removed AS (
              DELETE FROM participants WHERE id = ${outcome.participant.row.id}::uuid
            ), event AS (${outboxInsert(event)})
            SELECT 1`;
          return { view: gameView(current, outcome.roster), list: outcome.placement.list };
        }, TRANSACTION_OPTIONS);
        gameMetrics.playersLeft.add(1, rosterListAttributes(list));
        return view;
      });
    },

    async removePlayer(userId, gameId, targetUserId) {
      const { game: seen, membership } = await visibleGame(userId, gameId);
      await assertManager(seen, membership, userId);
      return prisma.$transaction(async (tx) => {
        const current = await lockGame(tx, gameId);
        const outcome = removeParticipant(
          rosterOf(current.maxPlayers, current.participants),
          { userId: targetUserId },
          current.status,
        );
        const refused = outcomeError(outcome);
        if (refused !== null) throw refused;
        if (outcome.kind !== 'removed') throw gameNotFound();
        await tx.participant.delete({ where: { id: outcome.participant.row.id } });
        await writeOutboxEvent(
          tx,
          createEvent('game.player_removed', {
            ...location(current),
            ...rosterEventFields(outcome.roster),
            title: current.title,
            startsAt: current.startsAt.toISOString(),
            removedUserId: targetUserId,
            removedByUserId: userId,
            promotedUserIds: userIdsOf(outcome.promoted),
          }),
        );
        return gameView(current, outcome.roster);
      }, TRANSACTION_OPTIONS);
    },
  };
}
