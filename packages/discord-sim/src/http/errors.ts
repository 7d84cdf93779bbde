import type { JsonObject } from '../state/types.ts';

/** An error the simulated API answers with: HTTP status plus Discord's JSON error body. */
export class SimApiError extends Error {
  readonly status: number;
  readonly body: JsonObject;
  readonly headers: Record<string, string>;

  constructor(status: number, body: JsonObject, headers: Record<string, string> = {}) {
    super(typeof body.message === 'string' ? body.message : `HTTP ${status}`);
    this.name = 'SimApiError';
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

function discordError(status: number, code: number, message: string): SimApiError {
  return new SimApiError(status, { message, code });
}

/** Discord's JSON error codes used by the simulator. */
export const DiscordErrors = {
  unauthorized: () => discordError(401, 0, '401: Unauthorized'),
  notFound: () => discordError(404, 0, '404: Not Found'),
  methodNotAllowed: () => discordError(405, 0, '405: Method Not Allowed'),
  unknownChannel: () => discordError(404, 10003, 'Unknown Channel'),
  unknownGuild: () => discordError(404, 10004, 'Unknown Guild'),
  unknownMember: () => discordError(404, 10007, 'Unknown Member'),
  unknownMessage: () => discordError(404, 10008, 'Unknown Message'),
  unknownRole: () => discordError(404, 10011, 'Unknown Role'),
  unknownUser: () => discordError(404, 10013, 'Unknown User'),
  unknownWebhook: () => discordError(404, 10015, 'Unknown Webhook'),
  unknownApplication: () => discordError(404, 10002, 'Unknown Application'),
  unknownCommand: () => discordError(404, 10063, 'Unknown application command'),
  unknownInteraction: () => discordError(404, 10062, 'Unknown interaction'),
  missingAccess: () => discordError(403, 50001, 'Missing Access'),
  missingPermissions: () => discordError(403, 50013, 'Missing Permissions'),
  cannotEditOthersMessage: () =>
    discordError(403, 50005, 'Cannot edit a message authored by another user'),
  emptyMessage: () => discordError(400, 50006, 'Cannot send an empty message'),
  cannotSendToUser: () => discordError(403, 50007, 'Cannot send messages to this user'),
  alreadyAcknowledged: () => discordError(400, 40060, 'Interaction has already been acknowledged.'),
  invalidFormBody: (errors: JsonObject) =>
    new SimApiError(400, { message: 'Invalid Form Body', code: 50035, errors }),
  fieldError: (field: string, code: string, message: string) =>
    new SimApiError(400, {
      message: 'Invalid Form Body',
      code: 50035,
      errors: { [field]: { _errors: [{ code, message }] } },
    }),
} as const;
