// Templates of a guild: defaults for new games, listed in `sortOrder`, at most one the default, and
// optionally limited to some roles (guild-rules.ts). Members read them; managers create, edit,
// delete and reorder them. Every write locks the guild's row, so concurrent writes to one guild's
// templates (names, the default, the order) happen one after the other.
//
// No outbox event: a template is only read when a game is created from it (or joined, for its
// roles), and the game then carries its own copy of every field; no other service keeps anything
// derived from a template.
import type { GameTemplate, Prisma, PrismaClient } from '@game-scheduler/db';
import { DomainError } from '@game-scheduler/domain';
import type { GuildDirectory, GuildRoleDirectory, MembershipSource } from './access.ts';
import { configureGuild } from './guild-config-telemetry.ts';
import { createGuildContexts, validationError } from './guild-context.ts';

export interface TemplateView {
  readonly id: string;
  readonly guildId: string;
  readonly channelId: string | null;
  readonly name: string;
  readonly sortOrder: number;
  readonly isDefault: boolean;
  readonly description: string | null;
  readonly durationMinutes: number | null;
  readonly maxPlayers: number | null;
  readonly reminderMinutes: readonly number[];
  readonly where: string | null;
  readonly allowedRoleIds: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface TemplateFields {
  readonly channelId?: string | null | undefined;
  readonly description?: string | null | undefined;
  readonly durationMinutes?: number | null | undefined;
  readonly maxPlayers?: number | null | undefined;
  readonly reminderMinutes?: readonly number[] | undefined;
  readonly where?: string | null | undefined;
  readonly allowedRoleIds?: readonly string[] | undefined;
  readonly isDefault?: boolean | undefined;
}

export interface CreateTemplateInput extends TemplateFields {
  readonly name: string;
}

export interface UpdateTemplateInput extends TemplateFields {
  readonly name?: string | undefined;
}

export interface TemplateService {
  list(userId: string, guildId: string): Promise<TemplateView[]>;
  get(userId: string, guildId: string, templateId: string): Promise<TemplateView>;
  create(userId: string, guildId: string, input: CreateTemplateInput): Promise<TemplateView>;
  update(
    userId: string,
    guildId: string,
    templateId: string,
    input: UpdateTemplateInput,
  ): Promise<TemplateView>;
  remove(userId: string, guildId: string, templateId: string): Promise<void>;
  /** `templateIds` lists every template of the guild once, in the new order. */
  reorder(userId: string, guildId: string, templateIds: readonly string[]): Promise<TemplateView[]>;
}

export interface TemplateServiceDeps {
  readonly prisma: PrismaClient;
  readonly guildAccess: MembershipSource;
  readonly directory: GuildDirectory & GuildRoleDirectory;
}

type Tx = Prisma.TransactionClient;

/** Checked column values, valid both for creating and for updating a template. */
interface TemplateData {
  name?: string;
  channelId?: string | null;
  description?: string | null;
  durationMinutes?: number | null;
  maxPlayers?: number | null;
  reminderMinutes?: number[];
  where?: string | null;
  allowedRoleIds?: string[];
  isDefault?: boolean;
}

const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;
const ORDER = [{ sortOrder: 'asc' }, { name: 'asc' }, { id: 'asc' }] as const;

export function templateView(template: GameTemplate): TemplateView {
  return {
    id: template.id,
    guildId: template.guildId,
    channelId: template.channelId,
    name: template.name,
    sortOrder: template.sortOrder,
    isDefault: template.isDefault,
    description: template.description,
    durationMinutes: template.durationMinutes,
    maxPlayers: template.maxPlayers,
    reminderMinutes: template.reminderMinutes,
    where: template.where,
    allowedRoleIds: template.allowedRoleIds,
    createdAt: template.createdAt.toISOString(),
    updatedAt: template.updatedAt.toISOString(),
  };
}

function templateNotFound(): DomainError {
  return new DomainError('NOT_FOUND', 'Template not found');
}

function reminders(values: readonly number[]): number[] {
  return [...new Set(values)].sort((a, b) => b - a);
}

export function createTemplateService(deps: TemplateServiceDeps): TemplateService {
  const { prisma } = deps;
  const contexts = createGuildContexts(deps);

  async function lockGuild(tx: Tx, guildId: string): Promise<void> {
    await tx.$queryRaw`SELECT id FROM guilds WHERE id = ${guildId} FOR UPDATE`;
  }

  async function inGuild(tx: Tx | PrismaClient, guildId: string, templateId: string) {
    const template = await tx.gameTemplate.findUnique({ where: { id: templateId } });
    if (template?.guildId !== guildId) throw templateNotFound();
    return template;
  }

  async function assertNameFree(tx: Tx, guildId: string, name: string, except: string | null) {
    const taken = await tx.gameTemplate.findFirst({
      where: { guildId, name, ...(except === null ? {} : { id: { not: except } }) },
      select: { id: true },
    });
    if (taken !== null) {
      throw new DomainError('CONFLICT', `The guild already has a template named "${name}"`, {
        details: { field: 'name' },
      });
    }
  }

  /**
   * The checked values of the fields given (ids of this guild's roles and enabled channels), and
   * the channel row to insert when Discord knows the channel and we do not yet.
   */
  async function checked(guildId: string, input: TemplateFields) {
    const data: TemplateData = {};
    let newChannel: { id: string; name: string } | null = null;
    if (input.channelId !== undefined) {
      if (input.channelId !== null) {
        const found = await contexts.channel(guildId, input.channelId);
        if (found === null)
          throw validationError('channelId', 'is not a text channel of this guild');
        if (found.row !== null && !found.row.isEnabled) {
          throw validationError('channelId', 'is not enabled for games');
        }
        if (found.row === null) newChannel = { id: input.channelId, name: found.name };
      }
      data.channelId = input.channelId;
    }
    if (input.allowedRoleIds !== undefined) {
      data.allowedRoleIds = await contexts.roleIds(guildId, input.allowedRoleIds, 'allowedRoleIds');
    }
    if (input.description !== undefined) data.description = input.description;
    if (input.durationMinutes !== undefined) data.durationMinutes = input.durationMinutes;
    if (input.maxPlayers !== undefined) data.maxPlayers = input.maxPlayers;
    if (input.reminderMinutes !== undefined)
      data.reminderMinutes = reminders(input.reminderMinutes);
    if (input.where !== undefined) data.where = input.where;
    if (input.isDefault !== undefined) data.isDefault = input.isDefault;
    return { data, newChannel };
  }

  async function prepare(
    tx: Tx,
    guildId: string,
    newChannel: { id: string; name: string } | null,
    isDefault: boolean | undefined,
    except: string | null,
  ) {
    if (newChannel !== null) {
      await tx.channel.upsert({
        where: { id: newChannel.id },
        create: { id: newChannel.id, guildId, name: newChannel.name },
        update: {},
      });
    }
    if (isDefault === true) {
      await tx.gameTemplate.updateMany({
        where: { guildId, isDefault: true, ...(except === null ? {} : { id: { not: except } }) },
        data: { isDefault: false },
      });
    }
  }

  return {
    async list(userId, guildId) {
      await contexts.member(userId, guildId);
      const rows = await prisma.gameTemplate.findMany({ where: { guildId }, orderBy: [...ORDER] });
      return rows.map(templateView);
    },

    async get(userId, guildId, templateId) {
      await contexts.member(userId, guildId);
      return templateView(await inGuild(prisma, guildId, templateId));
    },

    create(userId, guildId, input) {
      return configureGuild('templateCreated', guildId, async () => {
        await contexts.manager(userId, guildId);
        const { data, newChannel } = await checked(guildId, input);
        const created = await prisma.$transaction(async (tx) => {
          await lockGuild(tx, guildId);
          await assertNameFree(tx, guildId, input.name, null);
          await prepare(tx, guildId, newChannel, input.isDefault, null);
          const last = await tx.gameTemplate.aggregate({
            where: { guildId },
            _max: { sortOrder: true },
          });
          return tx.gameTemplate.create({
            data: {
              ...data,
              guildId,
              name: input.name,
              sortOrder: (last._max.sortOrder ?? -1) + 1,
            },
          });
        }, TRANSACTION_OPTIONS);
        return templateView(created);
      });
    },

    update(userId, guildId, templateId, input) {
      return configureGuild('templateUpdated', guildId, async () => {
        await contexts.manager(userId, guildId);
        await inGuild(prisma, guildId, templateId);
        const { data, newChannel } = await checked(guildId, input);
        const updated = await prisma.$transaction(async (tx) => {
          await lockGuild(tx, guildId);
          await inGuild(tx, guildId, templateId);
          if (input.name !== undefined) {
            await assertNameFree(tx, guildId, input.name, templateId);
            data.name = input.name;
          }
          await prepare(tx, guildId, newChannel, input.isDefault, templateId);
          return tx.gameTemplate.update({ where: { id: templateId }, data });
        }, TRANSACTION_OPTIONS);
        return templateView(updated);
      });
    },

    remove(userId, guildId, templateId) {
      return configureGuild('templateDeleted', guildId, async () => {
        await contexts.manager(userId, guildId);
        await prisma.$transaction(async (tx) => {
          await lockGuild(tx, guildId);
          await inGuild(tx, guildId, templateId);
          await tx.gameTemplate.delete({ where: { id: templateId } });
        }, TRANSACTION_OPTIONS);
      });
    },

    reorder(userId, guildId, templateIds) {
      return configureGuild('templatesReordered', guildId, async () => {
        await contexts.manager(userId, guildId);
        return prisma.$transaction(async (tx) => {
          await lockGuild(tx, guildId);
          const current = await tx.gameTemplate.findMany({
            where: { guildId },
            select: { id: true },
          });
          const known = new Set(current.map((row) => row.id));
          const given = new Set(templateIds);
          if (
            given.size !== templateIds.length ||
            given.size !== known.size ||
            templateIds.some((id) => !known.has(id))
          ) {
            throw validationError(
              'templateIds',
              "must list each of the guild's templates exactly once",
            );
          }
          for (const [index, id] of templateIds.entries()) {
            await tx.gameTemplate.update({ where: { id }, data: { sortOrder: index } });
          }
          const rows = await tx.gameTemplate.findMany({ where: { guildId }, orderBy: [...ORDER] });
          return rows.map(templateView);
        }, TRANSACTION_OPTIONS);
      });
    },
  };
}
