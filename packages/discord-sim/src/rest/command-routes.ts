import { DiscordErrors } from '../http/errors.ts';
import type { Router } from '../http/router.ts';
import type { JsonObject } from '../state/types.ts';
import { bodyObject, json, noContent, param } from './context.ts';
import type { RestRequest, RestRoute, SimContext } from './context.ts';

function requireApplication(ctx: SimContext, req: RestRequest): void {
  if (param(req, 'applicationId') !== ctx.store.application.id) throw DiscordErrors.missingAccess();
}

function guildIdOf(req: RestRequest): string | null {
  return req.params.guildId ?? null;
}

function commandsFor(ctx: SimContext, guildId: string | null): JsonObject[] {
  if (guildId === null) return ctx.store.globalCommands;
  return ctx.store.guildCommands.get(guildId) ?? [];
}

function saveCommands(ctx: SimContext, guildId: string | null, commands: JsonObject[]): void {
  if (guildId === null) ctx.store.globalCommands = commands;
  else ctx.store.guildCommands.set(guildId, commands);
  ctx.store.changed();
}

/** Stores a command definition as Discord returns it; a command keeps its id across overwrites. */
function toCommand(
  ctx: SimContext,
  input: JsonObject,
  guildId: string | null,
  existing?: JsonObject,
): JsonObject {
  if (typeof input.name !== 'string' || input.name.length === 0) {
    throw DiscordErrors.fieldError('name', 'BASE_TYPE_REQUIRED', 'This field is required');
  }
  const type = typeof input.type === 'number' ? input.type : 1;
  const command: JsonObject = {
    id: existing?.id ?? ctx.store.nextId(),
    application_id: ctx.store.application.id,
    version: ctx.store.nextId(),
    default_member_permissions: input.default_member_permissions ?? null,
    type,
    name: input.name,
    name_localizations: input.name_localizations ?? null,
    description: typeof input.description === 'string' ? input.description : '',
    description_localizations: input.description_localizations ?? null,
    dm_permission: input.dm_permission ?? true,
    contexts: input.contexts ?? null,
    integration_types: input.integration_types ?? [0],
    nsfw: input.nsfw ?? false,
  };
  if (Array.isArray(input.options)) command.options = input.options;
  if (guildId !== null) command.guild_id = guildId;
  return command;
}

function registerFor(router: Router<RestRoute>, base: string): void {
  router.add('GET', base, {
    auth: 'bot',
    handle: (req, ctx) => {
      requireApplication(ctx, req);
      return json(commandsFor(ctx, guildIdOf(req)));
    },
  });

  router.add('PUT', base, {
    auth: 'bot',
    handle: (req, ctx) => {
      requireApplication(ctx, req);
      if (!Array.isArray(req.body)) throw DiscordErrors.invalidFormBody({});
      const guildId = guildIdOf(req);
      const current = commandsFor(ctx, guildId);
      const next = (req.body as JsonObject[]).map((input) =>
        toCommand(
          ctx,
          input,
          guildId,
          current.find((c) => c.name === input.name && (c.type ?? 1) === (input.type ?? 1)),
        ),
      );
      saveCommands(ctx, guildId, next);
      return json(next);
    },
  });

  router.add('POST', base, {
    auth: 'bot',
    handle: (req, ctx) => {
      requireApplication(ctx, req);
      const guildId = guildIdOf(req);
      const input = bodyObject(req);
      const current = commandsFor(ctx, guildId);
      const existing = current.find((c) => c.name === input.name);
      const command = toCommand(ctx, input, guildId, existing);
      saveCommands(ctx, guildId, [...current.filter((c) => c !== existing), command]);
      return json(command, existing ? 200 : 201);
    },
  });

  router.add('GET', `${base}/:commandId`, {
    auth: 'bot',
    handle: (req, ctx) => {
      requireApplication(ctx, req);
      const command = commandsFor(ctx, guildIdOf(req)).find(
        (c) => c.id === param(req, 'commandId'),
      );
      if (!command) throw DiscordErrors.unknownCommand();
      return json(command);
    },
  });

  router.add('DELETE', `${base}/:commandId`, {
    auth: 'bot',
    handle: (req, ctx) => {
      requireApplication(ctx, req);
      const guildId = guildIdOf(req);
      const current = commandsFor(ctx, guildId);
      if (!current.some((c) => c.id === param(req, 'commandId')))
        throw DiscordErrors.unknownCommand();
      saveCommands(
        ctx,
        guildId,
        current.filter((c) => c.id !== param(req, 'commandId')),
      );
      return noContent();
    },
  });
}

export function registerCommandRoutes(router: Router<RestRoute>): void {
  registerFor(router, '/applications/:applicationId/commands');
  registerFor(router, '/applications/:applicationId/guilds/:guildId/commands');

  router.add('GET', '/applications/@me', {
    auth: 'bot',
    handle: (_req, ctx) => {
      const app = ctx.store.application;
      return json({
        id: app.id,
        name: app.name,
        icon: null,
        description: '',
        bot_public: true,
        bot_require_code_grant: false,
        verify_key: '0'.repeat(64),
        flags: 0,
        team: null,
        owner: { id: app.botUserId, username: app.name, discriminator: '0', avatar: null },
        redirect_uris: app.redirectUris,
        interactions_endpoint_url: null,
      });
    },
  });
}
