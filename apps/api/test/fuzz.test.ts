import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newGame } from './support/games.ts';
import { GUILD_ID, HANA, PAT, startHarness, type Harness } from './support/harness.ts';

let h: Harness;
let cookies: string[];
/** Who each signed-in cookie belongs to: the owner, a player, someone in no guild of ours. */
let signedIn: string[];
let gameId: string;
let templateId: string;

beforeAll(async () => {
  h = await startHarness();
  signedIn = [HANA, PAT, h.sim.addUser({ username: 'outsider_olli' })];
  cookies = [...(await Promise.all(signedIn.map((id) => h.login(id)))), '', 'gs_session=garbage'];
  const created = await h.app.inject({
    method: 'POST',
    url: '/api/v1/games',
    headers: { cookie: cookies[0] ?? '' },
    payload: newGame({ maxPlayers: 2 }),
  });
  gameId = created.json<{ id: string }>().id;
  const template = await h.prisma.gameTemplate.create({
    data: { guildId: GUILD_ID, name: 'Fuzzed', allowedRoleIds: ['1300000000000000301'] },
  });
  templateId = template.id;
});

afterAll(async () => {
  await h.close();
});

const nasty = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '%00',
  '%',
  '../..',
  '💥',
  '2020-12-31T23:59:60Z',
  '+275760-09-13T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '1e309',
  '-1',
  '99999999999999999999999',
  'null',
  '{}',
  '[]',
  'bm9wZQ',
  'WyIyMDIwIiwiYSJd',
);
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  nasty,
);
const snowflake = fc.oneof(
  fc.constantFrom(GUILD_ID, '1300000000000000401', '1300000000000000402', PAT, HANA),
  fc.bigInt({ min: 10n ** 16n, max: 10n ** 20n - 1n }).map(String),
);
const segment = fc.oneof(
  text.map(encodeURIComponent),
  snowflake,
  fc.uuid(),
  fc.constantFrom('GAME', 'TEMPLATE', 'order'),
);
const paths = fc.oneof(
  fc.constant('/api/v1/games'),
  fc.constant('/api/v1/me'),
  fc.constant('/api/v1/auth/login'),
  fc.constant('/api/v1/auth/callback'),
  fc.constant('/api/v1/auth/logout'),
  fc.constant('/health'),
  segment.map((id) => `/api/v1/games/${id}`),
  fc
    .tuple(segment, fc.constantFrom('join', 'leave', 'cancel', 'calendar.ics'))
    .map(([id, action]) => `/api/v1/games/${id}/${action}`),
  fc.tuple(segment, segment).map(([id, user]) => `/api/v1/games/${id}/participants/${user}`),
  fc.constant('/api/v1/guilds'),
  // Well-formed paths, often, so that requests also get past validation to the use cases.
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      '/api/v1/games/GAME',
      `/api/v1/guilds/${GUILD_ID}`,
      `/api/v1/guilds/${GUILD_ID}/channels`,
      `/api/v1/guilds/${GUILD_ID}/templates`,
      `/api/v1/guilds/${GUILD_ID}/templates/TEMPLATE`,
    ),
  },
  fc.oneof(segment, fc.constant(GUILD_ID)).map((guild) => `/api/v1/guilds/${guild}`),
  fc
    .tuple(fc.oneof(segment, fc.constant(GUILD_ID)), fc.constantFrom('channels', 'templates'))
    .map(([guild, resource]) => `/api/v1/guilds/${guild}/${resource}`),
  fc
    .tuple(
      fc.oneof(segment, fc.constant(GUILD_ID)),
      fc.constantFrom('channels', 'templates'),
      segment,
    )
    .map(([guild, resource, id]) => `/api/v1/guilds/${guild}/${resource}/${id}`),
  fc.array(segment, { maxLength: 4 }).map((parts) => `/${parts.join('/')}`),
);
const queryKeys = fc.constantFrom(
  'guildId',
  'channelId',
  'status',
  'from',
  'to',
  'limit',
  'cursor',
  'returnTo',
  'code',
  'state',
  'error',
);
const queryValue = fc.oneof(
  text,
  snowflake,
  fc.integer().map(String),
  fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())),
);
const query = fc
  .array(fc.tuple(queryKeys, queryValue), { maxLength: 5 })
  .map((pairs) => new URLSearchParams(pairs).toString());
const gameField = fc.constantFrom(
  'guildId',
  'channelId',
  'title',
  'description',
  'where',
  'startsAt',
  'durationMinutes',
  'maxPlayers',
  'reminderMinutes',
  'reason',
  'templateId',
  'timeZone',
  'botManagerRoleIds',
  'isEnabled',
  'name',
  'allowedRoleIds',
  'isDefault',
  'templateIds',
);
const fieldValue = fc.oneof(
  text,
  snowflake,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.integer(), text, snowflake, fc.uuid()), { maxLength: 4 }),
  fc.constantFrom('Europe/Berlin', 'utc', '+05:00', 'Mars/Base', 'TEMPLATE'),
  fc.date().map((d) => (Number.isNaN(d.getTime()) ? null : d.toISOString())),
  fc.jsonValue({ maxDepth: 2 }),
);
const body = fc.oneof(
  fc.constant(undefined),
  fc
    .dictionary(gameField, fieldValue, { maxKeys: 9 })
    .map((fields) => JSON.stringify({ ...newGame(), ...fields })),
  fc.dictionary(gameField, fieldValue, { maxKeys: 5 }).map((fields) => JSON.stringify(fields)),
  fc
    .dictionary(gameField, fieldValue, { maxKeys: 4 })
    .map((fields) => JSON.stringify({ name: 'Template', ...fields })),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  text,
);
const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS', 'HEAD'),
  path: paths,
  query,
  body,
  contentType: fc.constantFrom(
    'application/json',
    'text/plain',
    'application/x-www-form-urlencoded',
    undefined,
  ),
  cookie: fc.nat({ max: 4 }),
});

/** Which resource a path names, to check the run reached each one past validation. */
function resourceOf(path: string): string {
  const match = /^\/api\/v1\/(games|guilds|me)(?:\/[^/]+(?:\/(channels|templates))?)?/.exec(path);
  return match === null ? 'other' : (match[2] ?? match[1] ?? 'other');
}

describe('random and malformed requests', () => {
  it('never get a 5xx, and every error has the one error shape', async () => {
    const reached = new Set<string>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const path = r.path.replace('GAME', gameId).replace('TEMPLATE', templateId);
        const url = `${path}${r.query === '' ? '' : `?${r.query}`}`;
        const response = await h.app.inject({
          method: r.method as 'GET',
          url,
          headers: {
            cookie: cookies[r.cookie] ?? '',
            ...(r.contentType === undefined ? {} : { 'content-type': r.contentType }),
          },
          ...(r.body === undefined || r.method === 'GET' || r.method === 'HEAD'
            ? {}
            : { payload: r.body.replaceAll('TEMPLATE', templateId) }),
        });
        if (response.statusCode < 300) reached.add(`${r.method} ${resourceOf(path)}`);
        const user = signedIn[r.cookie];
        if (r.method === 'POST' && path.startsWith('/api/v1/auth/logout') && user !== undefined) {
          // A logout ended the session: sign the same user in again for the next requests.
          cookies[r.cookie] = await h.login(user);
        }
        if (response.statusCode >= 500) {
          throw new Error(`${r.method} ${url} → ${String(response.statusCode)} ${response.body}`);
        }
        if (response.statusCode >= 400 && r.method !== 'HEAD') {
          const parsed = response.json<{ error?: { code?: unknown; message?: unknown } }>();
          expect(typeof parsed.error?.code).toBe('string');
          expect(typeof parsed.error?.message).toBe('string');
        }
      }),
      { numRuns: 4000 },
    );
    // Not only the validation layer: some requests reached every resource and succeeded.
    expect([...reached]).toEqual(
      expect.arrayContaining([
        'GET games',
        'GET guilds',
        'GET channels',
        'GET templates',
        'GET me',
      ]),
    );
  }, 300_000);
});
