// Request field schemas shared by the routes: text PostgreSQL can store (no NUL) and the limits of
// the numbers a game or a template carries.
import { snowflake } from './schemas.ts';

/** A name or title: something other than blanks, no NUL. */
export const nameField = (maxLength: number) =>
  ({
    type: 'string',
    minLength: 1,
    maxLength,
    pattern: '^(?=[\\s\\S]*\\S)[^\\u0000]*$',
  }) as const;

/** Optional free text (null clears it), no NUL. */
export const textField = (maxLength: number) =>
  ({ type: ['string', 'null'], maxLength, pattern: '^[^\\u0000]*$' }) as const;

export const title = nameField(200);
export const description = textField(4000);
export const where = textField(500);
export const startsAt = { type: 'string', format: 'date-time' } as const;
export const durationMinutes = { type: 'integer', minimum: 1, maximum: 10_080 } as const;
export const maxPlayers = { type: ['integer', 'null'], minimum: 1, maximum: 1000 } as const;
export const reminderMinutes = {
  type: 'array',
  maxItems: 10,
  items: { type: 'integer', minimum: 0, maximum: 40_320 },
} as const;
/** Role ids of a guild (checked against Discord's list by the use case). */
export const roleIds = { type: 'array', maxItems: 50, items: snowflake } as const;
