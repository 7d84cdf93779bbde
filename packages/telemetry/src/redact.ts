// Redaction of secrets in free text: credentials in URLs, bearer/bot tokens, secret query parameters
// and key=value pairs. Used by the logger (messages, error messages, stacks) and by the exporters
// (span attributes, events and status messages) as a last line of defence.

export const REDACTED = '***';

/** Object keys whose values are always secret (matched case-insensitively by the logger). */
export const SECRET_KEYS = [
  'password',
  'passwd',
  'pass',
  'secret',
  'clientSecret',
  'client_secret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'botToken',
  'bot_token',
  'apiKey',
  'api_key',
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
] as const;

/** Query parameters whose values are replaced in URLs. */
export const SECRET_QUERY_PARAMS = [
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'code',
  'client_secret',
  'password',
  'secret',
  'api_key',
  'apikey',
  'key',
  'sig',
  'signature',
  'Signature',
  'AWSAccessKeyId',
  'X-Goog-Signature',
] as const;

// scheme://user:password@host  →  scheme://user:***@host
// (quotes and backslashes excluded so that redacting a serialised JSON line keeps it valid JSON)
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^\s/:@"'\\]*):[^\s/@"'\\]*@/gi;
// Authorization: Bearer xxx / Bot xxx / Basic xxx
const AUTH_SCHEME = /\b(Bearer|Bot|Basic)\s+[A-Za-z0-9._~+/=-]{16,}/g;
// token=xxx, password: xxx, "secret":"xxx" in free text
// (case-insensitive, so clientSecret, accessToken, botToken, apiKey … as JSON keys too)
const KEY_VALUE =
  /\b(password|passwd|secret|client_?secret|token|access_?token|refresh_?token|id_token|api_?key|bot_?token|authorization|cookie)(["']?\s*[:=]\s*["']?)(?!(?:Bearer|Bot|Basic)\s)([^\s"'&,;}\\]+)/gi;
// Discord bot tokens have a recognisable three-part shape.
const DISCORD_TOKEN = /\b[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}\b/g;

const QUICK_CHECK =
  /:\/\/[^\s/]*@|bearer|bot |basic |password|passwd|secret|token|api_?key|authorization|cookie|\.[A-Za-z0-9_-]{6}\./i;

/** Replaces secrets inside a string. Cheap when the string contains nothing suspicious. */
export function redactString(text: string): string {
  if (!QUICK_CHECK.test(text)) return text;
  return text
    .replace(URL_CREDENTIALS, `$1:${REDACTED}@`)
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`)
    .replace(KEY_VALUE, `$1$2${REDACTED}`)
    .replace(DISCORD_TOKEN, REDACTED);
}

/** Redacts each string in a shallow value (strings, and arrays of strings); other values pass. */
export function redactValue<T>(value: T): T {
  if (typeof value === 'string') return redactString(value) as T;
  if (Array.isArray(value)) {
    return value.map((item: unknown) =>
      typeof item === 'string' ? redactString(item) : item,
    ) as T;
  }
  return value;
}

/** Long texts redacted lately, and what they became: see redactRepeatedText. */
const redactedRepeats = new Map<string, string>();
const REPEATED_FROM_LENGTH = 64;
const MAX_REPEATED = 256;

/** Registers additional literal secrets (e.g. the bot token from config) to be masked everywhere. */
const knownSecrets = new Set<string>();
export function registerSecret(secret: string | undefined): void {
  if (secret !== undefined && secret.length >= 6) {
    knownSecrets.add(secret);
    redactedRepeats.clear(); // what was clean may hold the new secret
  }
}

/** redactString plus masking of registered literal secrets. */
export function redactText(text: string): string {
  let result = redactString(text);
  for (const secret of knownSecrets) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  return result;
}

/**
 * redactText for values that come back again and again — the SQL of a query Prisma runs for every
 * request, scrubbed from every statement span: a long text is redacted once and then looked up
 * (hashing it costs a fraction of the regular expressions). At most 256 texts are kept.
 */
export function redactRepeatedText(text: string): string {
  if (text.length < REPEATED_FROM_LENGTH) return redactText(text);
  const known = redactedRepeats.get(text);
  if (known !== undefined) return known;
  const redacted = redactText(text);
  if (redactedRepeats.size >= MAX_REPEATED) redactedRepeats.clear();
  redactedRepeats.set(text, redacted);
  return redacted;
}
